package media

// StoresInputAsIs reports whether the master the plan describes holds the input's streams
// and tags exactly as they are: every stream copied (timecode and chapter tracks kept),
// none dropped, encoded, converted or given another codec tag, no cover art to rewrite,
// no tag changed apart from the file's brand tags (a master written without ffmpeg keeps
// the input's file type box, brand included). Then moving the input's index to the front
// (package media/faststart) makes the master ffmpeg would make, in one pass over the data.
func (p Plan) StoresInputAsIs(info *Info) bool {
	if info == nil || (p.Mode != ModeRemux && p.Mode != ModeAudioOnly) || len(p.Streams) != len(info.Streams) {
		return false
	}
	for i, sp := range p.Streams {
		s := info.Streams[i]
		switch {
		case sp.Index != s.Index, sp.AttachedPic:
			return false
		case sp.Action == ActionTimecode || sp.Action == ActionChapters:
		case sp.Action != ActionCopy, sp.Tag != "" && sp.Tag != s.CodecTag:
			return false
		}
	}
	for _, kv := range p.Metadata {
		if kv[1] != "" || !isFileTag(kv[0]) {
			return false
		}
	}
	return true
}

func isFileTag(key string) bool {
	for _, k := range fileTags {
		if k == key {
			return true
		}
	}
	return false
}
