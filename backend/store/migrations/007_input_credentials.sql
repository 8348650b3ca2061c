-- The user:password of an http input URL, kept apart from the asset so it
-- is never shown, logged or sent in an event; removed once the master is built.
CREATE TABLE input_credentials (
	asset_id TEXT PRIMARY KEY,
	userinfo TEXT NOT NULL
);
