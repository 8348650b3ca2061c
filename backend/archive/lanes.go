package archive

// transcodeLane sizes the transcode pool: one transcode per two cores
// (an encoder already spreads over several), and no more than the memory
// holds at about 3 GiB each (a 2160p x264 encode with lookahead takes 1-2
// GiB, ffmpeg's decoder and filters the rest). At least 1.
func transcodeLane(cpus int, memBytes int64) int {
	n := cpus / 2
	if memBytes > 0 {
		n = min(n, int(memBytes/(3<<30)))
	}
	return max(n, 1)
}
