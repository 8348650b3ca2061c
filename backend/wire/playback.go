package wire

import (
	"reelvault/backend/playback"
)

// PlaybackID is Mux's playback ID object, as assets and live streams list
// them and POST .../playback-ids answers.
type PlaybackID struct {
	ID     string `json:"id"`
	Policy string `json:"policy"`
}

// NewPlaybackIDs renders ids; never nil, so an object without any shows [].
func NewPlaybackIDs(ids []playback.ID) []PlaybackID {
	out := make([]PlaybackID, 0, len(ids))
	for _, id := range ids {
		out = append(out, PlaybackID{ID: id.ID, Policy: id.Policy})
	}
	return out
}

// PlaybackIDObject is GET /video/v1/playback-ids/{id}: the ID and what it opens.
type PlaybackIDObject struct {
	ID     string         `json:"id"`
	Policy string         `json:"policy"`
	Object PlaybackObject `json:"object"`
}

// PlaybackObject names the asset or live stream a playback ID opens.
type PlaybackObject struct {
	Type string `json:"type"` // asset, live_stream
	ID   string `json:"id"`
}

// NewPlaybackIDObject renders a playback ID with its object.
func NewPlaybackIDObject(id playback.ID) PlaybackIDObject {
	return PlaybackIDObject{ID: id.ID, Policy: id.Policy, Object: PlaybackObject{Type: id.ObjectType, ID: id.ObjectID}}
}

// SigningKey is Mux's URL signing key object; PrivateKey is set only in the
// answer to its creation.
type SigningKey struct {
	ID         string `json:"id"`
	CreatedAt  string `json:"created_at"`
	PrivateKey string `json:"private_key,omitempty"`
}

// NewSigningKey renders a key (privateKey "" except when just made).
func NewSigningKey(k playback.Key, privateKey string) SigningKey {
	return SigningKey{ID: k.ID, CreatedAt: unixString(k.CreatedAt), PrivateKey: privateKey}
}

// publicPlaybackURL is highest.mp4 of the first public playback ID on the
// share listener, "" when there is none.
func (r *Assets) publicPlaybackURL(ids []playback.ID) string {
	for _, id := range ids {
		if id.Policy == playback.Public {
			return r.signer.Load().Base() + "/" + id.ID + "/highest.mp4"
		}
	}
	return ""
}
