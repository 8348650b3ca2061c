package app

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"reelvault/backend/internal/partfile"
)

type accessToken struct {
	ID     string `json:"id"`
	Secret string `json:"secret"`
}

// loadOrCreateToken returns the API access token kept in the data folder,
// making one (mode 0600) on first start.
func loadOrCreateToken(dataDir string) (accessToken, error) {
	path := filepath.Join(dataDir, "access-token.json")
	var t accessToken
	b, err := os.ReadFile(path)
	if err == nil {
		if err := json.Unmarshal(b, &t); err != nil || t.ID == "" || t.Secret == "" {
			return t, fmt.Errorf("%s is damaged; remove it to make a new token", path)
		}
		return t, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return t, err
	}
	t = accessToken{ID: randomHex(16), Secret: randomHex(32)}
	b, _ = json.MarshalIndent(t, "", "  ")
	return t, writeSecretFile(path, b)
}

// loadOrCreateKey returns a random key kept in the data folder (mode 0600).
func loadOrCreateKey(dataDir, name string, size int) ([]byte, error) {
	path := filepath.Join(dataDir, name)
	b, err := os.ReadFile(path)
	if err == nil {
		key, err := hex.DecodeString(string(b))
		if err != nil || len(key) != size {
			return nil, fmt.Errorf("%s is damaged; remove it to make a new key (links given out will stop working)", path)
		}
		return key, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	key := make([]byte, size)
	rand.Read(key)
	return key, writeSecretFile(path, []byte(hex.EncodeToString(key)))
}

// writeSecretFile writes a file readable only by its owner, atomically.
func writeSecretFile(path string, data []byte) error {
	return partfile.WriteFile(path, data, 0o600)
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
