package links

import (
	"io/fs"
	"os"
)

// What the share links' listener (package sharing) reuses of the master
// links' serving, so both answer the same headers for the same file.

// ContentDisposition is the attachment header for a file name (SafeFileName'd).
func ContentDisposition(fileName string) string { return contentDisposition(fileName) }

// ETag is the strong ETag of a file with this SHA-256 (false: none usable).
func ETag(sha256 string) (string, bool) { return etagFor(sha256) }

// OpenFile opens a recorded file and checks it is still the recorded size.
func OpenFile(path string, size int64) (*os.File, fs.FileInfo, error) {
	return openMaster(Master{Path: path, Size: size})
}

// EmptySuffixRange reports a Range of "bytes=-0", which net/http answers
// wrongly (see serveMaster).
func EmptySuffixRange(rangeHeader string) bool { return emptySuffixRange(rangeHeader) }
