package delivery

import (
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/golang-jwt/jwt/v5"

	"reelvault/backend/media"
)

// Bounds of a thumbnail's numbers: no picture is made larger than 4K's
// width on either side, and a time is seconds within the video.
const maxThumbnailSide = media.MaxFrameSide

// thumbnailParams are the query parameters of Mux's thumbnail URLs that
// Reelvault serves; others are not read.
var thumbnailParams = []string{"time", "width", "height", "fit_mode", "rotate", "flip_v", "flip_h"}

// paramError is a thumbnail parameter out of range: a 400 naming it.
type paramError struct{ msg string }

func (e *paramError) Error() string { return e.msg }

func badParam(format string, args ...any) error { return &paramError{fmt.Sprintf(format, args...)} }

// withClaims is the query's thumbnail parameters with a token's claims laid
// over them: what the token signed takes precedence, as with Mux.
func withClaims(q url.Values, claims jwt.MapClaims) url.Values {
	out := url.Values{}
	for _, k := range thumbnailParams {
		if v, ok := q[k]; ok {
			out[k] = v
		}
	}
	for _, k := range thumbnailParams {
		switch v := claims[k].(type) {
		case string:
			out.Set(k, v)
		case float64:
			out.Set(k, strconv.FormatFloat(v, 'f', -1, 64))
		case bool:
			out.Set(k, strconv.FormatBool(v))
		}
	}
	return out
}

// parseThumbnail reads and range-checks a thumbnail's parameters; a time
// past duration (when known) is refused. defaultAt is used without a time.
func parseThumbnail(q url.Values, format string, duration, defaultAt float64) (media.FrameOptions, error) {
	o := media.FrameOptions{Format: format, At: defaultAt, Fit: media.FitPreserve}
	if s, ok := one(q, "time"); ok {
		t, err := strconv.ParseFloat(s, 64)
		switch {
		case err != nil || math.IsNaN(t) || math.IsInf(t, 0):
			return o, badParam("time must be a number of seconds, not %q", clip(s))
		case t < 0:
			return o, badParam("time must not be negative")
		case duration > 0 && t > duration:
			return o, badParam("time %g is past the video's end (%.3f s)", t, duration)
		}
		o.At = t
	}
	var err error
	if o.Width, err = side(q, "width"); err != nil {
		return o, err
	}
	if o.Height, err = side(q, "height"); err != nil {
		return o, err
	}
	if s, ok := one(q, "fit_mode"); ok {
		if !slices.Contains(media.FitModes, s) {
			return o, badParam("fit_mode must be one of %s, not %q", strings.Join(media.FitModes, ", "), clip(s))
		}
		o.Fit = s
	}
	if s, ok := one(q, "rotate"); ok {
		r, err := strconv.Atoi(s)
		if err != nil || (r != 0 && r != 90 && r != 180 && r != 270) {
			return o, badParam("rotate must be 90, 180 or 270, not %q", clip(s))
		}
		o.Rotate = r
	}
	if o.FlipV, err = flag(q, "flip_v"); err != nil {
		return o, err
	}
	if o.FlipH, err = flag(q, "flip_h"); err != nil {
		return o, err
	}
	return o, nil
}

func one(q url.Values, k string) (string, bool) {
	v, ok := q[k]
	if !ok || len(v) == 0 {
		return "", false
	}
	return v[0], true
}

func side(q url.Values, k string) (int, error) {
	s, ok := one(q, k)
	if !ok {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > maxThumbnailSide {
		return 0, badParam("%s must be a whole number of pixels from 1 to %d, not %q", k, maxThumbnailSide, clip(s))
	}
	return n, nil
}

func flag(q url.Values, k string) (bool, error) {
	s, ok := one(q, k)
	if !ok {
		return false, nil
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		return false, badParam("%s must be true or false, not %q", k, clip(s))
	}
	return b, nil
}

// clip keeps a hostile value from filling an error message.
func clip(s string) string {
	if len(s) > 32 {
		return s[:32] + "…"
	}
	return s
}
