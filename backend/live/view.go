package live

import "time"

// StreamState is a stream with what only the running service knows: the
// RTMP URL encoders publish to, and how long the open recording has run.
type StreamState struct {
	Stream
	RTMPURL      string
	RecordingFor time.Duration // zero unless a recording is open; stopped while the encoder is away
}

// State is st as it stands now.
func (s *Service) State(st Stream) StreamState { return s.stateAt(st, s.now()) }

func (s *Service) stateAt(st Stream, now time.Time) StreamState {
	v := StreamState{Stream: st, RTMPURL: s.RTMPURL()}
	if !st.RecordingStartedAt.IsZero() {
		// While the encoder is away nothing is recorded: the time stops where it left.
		end := now
		if !st.Connected && st.DisconnectedAt.After(st.RecordingStartedAt) {
			end = st.DisconnectedAt
		}
		v.RecordingFor = end.Sub(st.RecordingStartedAt)
	}
	return v
}
