-- Playback IDs (issue 13): Mux's public and signed playback IDs of assets and
-- live streams; the id is the unguessable part of a delivery URL.
CREATE TABLE playback_ids (
	id          TEXT PRIMARY KEY,
	policy      TEXT NOT NULL CHECK (policy IN ('public', 'signed')),
	object_type TEXT NOT NULL CHECK (object_type IN ('asset', 'live_stream')),
	object_id   TEXT NOT NULL,
	created_ns  INTEGER NOT NULL
);
CREATE INDEX playback_ids_object ON playback_ids(object_type, object_id, created_ns);
-- URL signing keys: only the public half is kept; the private key is shown
-- once, when the key is made.
CREATE TABLE signing_keys (
	id          TEXT PRIMARY KEY,
	public_key  TEXT NOT NULL, -- PEM, PKIX
	created_at  INTEGER NOT NULL -- unix seconds
);
