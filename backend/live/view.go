package live

import "time"

// StreamState is a stream with what only the running service knows: the
// RTMP URL encoders publish to, and how long the open recording has run.
type StreamState struct {
	Stream
	RTMPURL      string
	RecordingFor time.Duration // zero unless a recording is open
}

// State is st as it stands now.
func (s *Service) State(st Stream) StreamState { return s.stateAt(st, s.now()) }

func (s *Service) stateAt(st Stream, now time.Time) StreamState {
	v := StreamState{Stream: st, RTMPURL: s.RTMPURL()}
	if !st.RecordingStartedAt.IsZero() {
		v.RecordingFor = now.Sub(st.RecordingStartedAt)
	}
	return v
}
