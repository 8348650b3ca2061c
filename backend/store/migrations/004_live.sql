-- Live streams: an RTMP source recorded into assets (Mux's live stream object).
-- The recording in progress is active_asset_id; its files live under
-- live/<id>/<asset>-partN.mp4 in the data folder, one part per connection.

CREATE TABLE live_streams (
  id                      TEXT PRIMARY KEY,
  created_ns              INTEGER NOT NULL,
  stream_key              TEXT NOT NULL UNIQUE,
  status                  TEXT NOT NULL CHECK (status IN ('idle', 'active', 'disabled')),
  reconnect_window        REAL NOT NULL,
  new_asset_settings      TEXT NOT NULL DEFAULT '{}', -- JSON, as the API shows it
  passthrough             TEXT NOT NULL DEFAULT '',
  latency_mode            TEXT NOT NULL DEFAULT 'standard',
  max_continuous_duration INTEGER NOT NULL DEFAULT 43200,
  active_asset_id         TEXT,
  recent_asset_ids        TEXT NOT NULL DEFAULT '[]', -- JSON array, newest last
  connected               INTEGER NOT NULL DEFAULT 0,
  recording_started_ns    INTEGER,                   -- start of the active recording
  disconnected_ns         INTEGER,                   -- the encoder left; the reconnect window runs from here
  part_count              INTEGER NOT NULL DEFAULT 0 -- parts of the active recording so far
);
CREATE INDEX live_streams_created ON live_streams (created_ns DESC, id DESC);
