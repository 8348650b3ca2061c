-- Share links (issue 15): one link per recipient, each with its own expiry,
-- limit and password, over one or more assets; and a log of every download.
CREATE TABLE share_links (
	id               TEXT PRIMARY KEY,
	token            TEXT NOT NULL UNIQUE,   -- the unguessable part of the URL
	label            TEXT NOT NULL DEFAULT '',
	created_at       INTEGER NOT NULL,        -- unix seconds
	expires_at       INTEGER,                 -- NULL: never
	max_downloads    INTEGER NOT NULL DEFAULT 0, -- 0: no limit
	password_hash    TEXT NOT NULL DEFAULT '',   -- bcrypt; '' for none
	files            TEXT NOT NULL DEFAULT '["master"]', -- JSON list of kinds
	revoked_at       INTEGER,
	expired_notified INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE share_link_assets (
	link_id  TEXT NOT NULL REFERENCES share_links(id) ON DELETE CASCADE,
	asset_id TEXT NOT NULL,
	position INTEGER NOT NULL,
	PRIMARY KEY (link_id, asset_id)
);
CREATE INDEX share_link_assets_asset ON share_link_assets(asset_id);
-- One row per download: the requests of one client for one file (a resume,
-- the connections of a download manager) add to the same row until the
-- bytes served cover the whole file.
CREATE TABLE share_downloads (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	link_id     TEXT NOT NULL REFERENCES share_links(id) ON DELETE CASCADE,
	asset_id    TEXT NOT NULL,
	file_kind   TEXT NOT NULL,
	started_at  INTEGER NOT NULL,
	last_at     INTEGER NOT NULL,
	client      TEXT NOT NULL,
	user_agent  TEXT NOT NULL DEFAULT '',
	bytes_sent  INTEGER NOT NULL DEFAULT 0,
	file_size   INTEGER NOT NULL,
	covered     TEXT NOT NULL DEFAULT '[]', -- JSON [[start,end),...] merged
	complete    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX share_downloads_link ON share_downloads(link_id, id);
