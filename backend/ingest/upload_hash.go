package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
	"os"
	"sync"
)

// uploadHashes keeps the running SHA-256 of each upload's received bytes, fed
// as chunks are written, so a finished upload's hash is known the moment its
// last byte lands and its master needs no hashing pass. It lives in memory
// only: after a restart (or any write it did not see, such as a truncation)
// the received bytes are hashed again from the part file, once, before the
// next chunk is appended.
type uploadHashes struct {
	mu sync.Mutex
	m  map[string]*runningHash
}

// runningHash is the SHA-256 of an upload's first n bytes.
type runningHash struct {
	h hash.Hash
	n int64
}

// at returns the upload's running hash covering exactly its first received
// bytes in part, re-hashing the file when the kept one does not. The caller
// holds the upload's lock.
func (u *uploadHashes) at(id, part string, received int64) (*runningHash, error) {
	u.mu.Lock()
	rh := u.m[id]
	u.mu.Unlock()
	if rh != nil && rh.n == received {
		return rh, nil
	}
	rh = &runningHash{h: sha256.New()}
	if received > 0 {
		f, err := os.Open(part)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		pooled := copyBuffers.Get().(*[]byte)
		defer copyBuffers.Put(pooled)
		n, err := io.CopyBuffer(rh.h, io.NewSectionReader(f, 0, received), *pooled)
		if err != nil {
			return nil, err
		}
		rh.n = n
	}
	u.mu.Lock()
	if u.m == nil {
		u.m = map[string]*runningHash{}
	}
	u.m[id] = rh
	u.mu.Unlock()
	return rh, nil
}

// sum returns the hex SHA-256 of the upload's first total bytes, hashing the
// part file only if the running hash does not cover exactly them.
func (u *uploadHashes) sum(id, part string, total int64) (string, error) {
	rh, err := u.at(id, part, total)
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(rh.h.Sum(nil)), nil
}

// forget drops an upload's running hash (it finished, or its bytes changed
// in a way the hash did not follow).
func (u *uploadHashes) forget(id string) {
	u.mu.Lock()
	delete(u.m, id)
	u.mu.Unlock()
}

// hashingWriter writes to the part file and feeds exactly the bytes written to
// the running hash, so the hash never covers a byte the file lacks.
type hashingWriter struct {
	f  *os.File
	rh *runningHash
}

func (w hashingWriter) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	w.rh.h.Write(p[:n])
	w.rh.n += int64(n)
	return n, err
}
