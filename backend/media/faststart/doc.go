// Package faststart makes an archive master from an MP4 or MOV in one pass over its
// bytes: the file type box and the index (moov) are written first, with every chunk
// offset moved by the index's new position, then the media data is copied in one
// sequential read and one sequential write, hashed (SHA-256) on the way. Nothing is
// re-muxed: every track (timecode, second audio, chapters), edit list and metadata box
// is kept byte for byte; only the chunk offset tables change (stco upgraded to co64
// where a moved offset no longer fits in 32 bits). This is the technique of FFmpeg's
// tools/qt-faststart.c.
//
// A fragmented MP4 (the live recorder's, a DASH/CMAF file: an index without samples,
// then moof+mdat fragments) becomes an ordinary one in the same single pass: one index
// is built from its own and its fragments' tables (each track run a chunk, a track that
// starts late delayed by an empty edit) and the fragments' media data are copied back
// to back into one mdat (fragmented.go).
//
// Inspect reads only the index (and a fragmented file's fragment headers); Write
// refuses (ErrNotEligible) anything it cannot relocate with certainty — several media
// data boxes, external data references, auxiliary offset tables, encrypted or grouped
// fragment samples, damaged or truncated structure — so the caller falls back to
// ffmpeg, which reports real damage the usual way. Whether the codecs may
// be stored is the caller's decision (Index.Tracks names each track's sample entries).
//
// Write never renames: it writes exactly the path it is given (the caller's ".part"),
// fsyncs it and leaves temp files, renames and cleanup to the caller.
package faststart
