package live

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// partState is what repairPart found in a recording part.
type partState struct {
	Fragments int   // complete moof+mdat pairs
	Size      int64 // bytes kept
	Cut       int64 // bytes of a torn tail that were cut off
}

// repairPart cuts a recording part back to its last complete fragment.
// A part is written as ftyp, moov, then moof+mdat pairs; a crash or a full
// disk can leave the last pair half-written, which players and ffmpeg
// report as a damaged file. Whole fragments are never touched.
func repairPart(path string) (partState, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return partState{}, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return partState{}, err
	}
	size := st.Size()
	var good, pos int64
	var state partState
	sawMoov, inFragment := false, false
	hdr := make([]byte, 16)
	for pos < size {
		if size-pos < 8 {
			break
		}
		if _, err := f.ReadAt(hdr[:8], pos); err != nil {
			return partState{}, err
		}
		boxSize := int64(binary.BigEndian.Uint32(hdr[:4]))
		typ := string(hdr[4:8])
		headerLen := int64(8)
		if boxSize == 1 { // 64-bit size follows
			if size-pos < 16 {
				break
			}
			if _, err := f.ReadAt(hdr[8:16], pos+8); err != nil {
				return partState{}, err
			}
			boxSize, headerLen = int64(binary.BigEndian.Uint64(hdr[8:16])), 16
		}
		if boxSize < headerLen || pos+boxSize > size {
			break // torn (or size 0, "to the end", which this recorder never writes)
		}
		pos += boxSize
		switch {
		case typ == "moov":
			sawMoov, good = true, pos
		case typ == "moof":
			inFragment = sawMoov
		case typ == "mdat" && inFragment:
			state.Fragments++
			good, inFragment = pos, false
		case !inFragment:
			good = pos // ftyp, free, sidx, mfra...: whole boxes between fragments
		}
	}
	if good < size {
		if err := f.Truncate(good); err != nil {
			return partState{}, fmt.Errorf("cut the torn end of %s: %w", path, err)
		}
		if err := f.Sync(); err != nil {
			return partState{}, err
		}
		state.Cut = size - good
	}
	state.Size = good
	return state, nil
}

// readHeader returns a part's ftyp+moov bytes, to tell whether parts can be
// joined without re-encoding (same tracks, same codec parameters).
func readHeader(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []byte
	hdr := make([]byte, 8)
	for {
		if _, err := io.ReadFull(f, hdr); err != nil {
			return nil, fmt.Errorf("%s: no MP4 header: %w", path, err)
		}
		n := int64(binary.BigEndian.Uint32(hdr[:4]))
		if n < 8 || n > 64<<20 {
			return nil, errors.New(path + ": malformed MP4 header")
		}
		body := make([]byte, n-8)
		if _, err := io.ReadFull(f, body); err != nil {
			return nil, err
		}
		out = append(append(out, hdr...), body...)
		if string(hdr[4:8]) == "moov" {
			return out, nil
		}
	}
}
