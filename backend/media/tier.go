package media

import "math"

// Resolution tiers: the master must fit the box, compared long side against long side
// and short against short, so a portrait video fits the same box turned.
const (
	TierAudioOnly = "audio-only"
	Tier720p      = "720p"
	Tier1080p     = "1080p"
	Tier1440p     = "1440p"
	Tier2160p     = "2160p"
)

type tierBox struct {
	name        string
	long, short int
}

// tierBoxes is ordered smallest first.
var tierBoxes = []tierBox{
	{Tier720p, 1280, 720},
	{Tier1080p, 1920, 1080},
	{Tier1440p, 2560, 1440},
	{Tier2160p, 3840, 2160},
}

// maxTierBox returns the box of a max_resolution_tier value; 720p is not a valid maximum.
func maxTierBox(tier string) (tierBox, bool) {
	switch tier {
	case Tier1080p, Tier1440p, Tier2160p:
		for _, b := range tierBoxes {
			if b.name == tier {
				return b, true
			}
		}
	}
	return tierBox{}, false
}

func (b tierBox) holds(w, h int) bool {
	long, short := max(w, h), min(w, h)
	return long <= b.long && short <= b.short
}

// ResolutionTierFor names the tier of a WxH video: the smallest box among 720p (1280x720),
// 1080p, 1440p and 2160p that holds it (long side x short side); anything larger is
// "2160p". No picture (0x0) is "audio-only".
func ResolutionTierFor(w, h int) string {
	if w <= 0 || h <= 0 {
		return TierAudioOnly
	}
	for _, b := range tierBoxes {
		if b.holds(w, h) {
			return b.name
		}
	}
	return Tier2160p
}

// fitInBox scales a display size down (never up) to fit the box, keeping the aspect ratio
// and making both sides even, as 4:2:0 encoders require.
func fitInBox(w, h int, b tierBox) (int, int) {
	long, short := max(w, h), min(w, h)
	scale := math.Min(1, math.Min(float64(b.long)/float64(long), float64(b.short)/float64(short)))
	return evenFloor(float64(w) * scale), evenFloor(float64(h) * scale)
}

// evenFloor rounds to the nearest integer (absorbing float noise such as 1079.9999) and
// then down to even, so the result never exceeds the box.
func evenFloor(v float64) int {
	n := int(math.Round(v*1000) / 1000)
	n -= n % 2
	return max(n, 2)
}
