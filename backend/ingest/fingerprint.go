package ingest

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"io"
	"os"
)

// fingerprintSpan is how much of each end of a file its fingerprint reads.
const fingerprintSpan = 1 << 20

// fileStamp is what a cheap stat says about a file.
type fileStamp struct {
	size    int64
	mtimeNS int64
}

func stampOf(st os.FileInfo) fileStamp {
	return fileStamp{size: st.Size(), mtimeNS: st.ModTime().UnixNano()}
}

// fingerprint identifies a file's content without reading all of it: the
// SHA-256 of its size, first MB and last MB. Video files that differ at all
// differ there (headers, index, the last frames), and reading 2 MB keeps a
// rescan of a folder of large files cheap.
func fingerprint(path string) (string, fileStamp, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fileStamp{}, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", fileStamp{}, err
	}
	h := sha256.New()
	binary.Write(h, binary.BigEndian, st.Size())
	if _, err := io.Copy(h, io.NewSectionReader(f, 0, fingerprintSpan)); err != nil {
		return "", fileStamp{}, err
	}
	if tail := max(fingerprintSpan, st.Size()-fingerprintSpan); tail < st.Size() {
		if _, err := io.Copy(h, io.NewSectionReader(f, tail, st.Size()-tail)); err != nil {
			return "", fileStamp{}, err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), stampOf(st), nil
}
