-- Static renditions (Mux's MP4 and M4A files), made as proxies an editor can
-- relink to the master. legacy marks those made for the deprecated
-- mp4_support, which Mux shows without an id, status or resolution.
CREATE TABLE static_renditions (
	id          TEXT PRIMARY KEY,
	asset_id    TEXT NOT NULL,
	resolution  TEXT NOT NULL,
	legacy      INTEGER NOT NULL DEFAULT 0,
	name        TEXT NOT NULL,
	status      TEXT NOT NULL,
	passthrough TEXT NOT NULL DEFAULT '',
	width       INTEGER,
	height      INTEGER,
	bitrate     INTEGER,
	filesize    INTEGER,
	sha256      TEXT,
	file        TEXT,
	error       TEXT,
	created_ns  INTEGER NOT NULL
);
CREATE INDEX static_renditions_by_asset ON static_renditions (asset_id, created_ns);
