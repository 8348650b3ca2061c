-- Core tables: settings, the event outbox, the durable job queue, assets.

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- Outbox: every state change writes its events here in the same transaction.
CREATE TABLE events (
  seq           INTEGER PRIMARY KEY AUTOINCREMENT,
  id            TEXT NOT NULL UNIQUE,
  type          TEXT NOT NULL,
  object_type   TEXT NOT NULL,
  object_id     TEXT NOT NULL,
  created_at_us INTEGER NOT NULL,
  data          TEXT NOT NULL
);
CREATE INDEX events_object ON events (object_id, seq);

-- Durable work: claimed with a lease so a crashed worker's job is picked up again.
CREATE TABLE jobs (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  kind         TEXT NOT NULL,
  ref          TEXT NOT NULL,
  state        TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
  attempts     INTEGER NOT NULL DEFAULT 0,
  run_after_ms INTEGER NOT NULL,
  lease_ms     INTEGER,
  last_error   TEXT,
  created_ms   INTEGER NOT NULL,
  updated_ms   INTEGER NOT NULL
);
CREATE INDEX jobs_ready ON jobs (state, run_after_ms);
CREATE INDEX jobs_ref ON jobs (ref, kind);

CREATE TABLE assets (
  id                  TEXT PRIMARY KEY,
  created_ns          INTEGER NOT NULL,          -- order and cursor; created_at is created_ns / 1e9
  status              TEXT NOT NULL CHECK (status IN ('preparing', 'ready', 'errored')),
  error_type          TEXT,
  error_message       TEXT,
  source              TEXT NOT NULL,             -- file | url | upload | watch | live
  input               TEXT NOT NULL,
  ingest_type         TEXT NOT NULL,
  max_resolution_tier TEXT NOT NULL,
  video_quality       TEXT NOT NULL,
  passthrough         TEXT NOT NULL DEFAULT '',
  title               TEXT NOT NULL DEFAULT '',
  creator_id          TEXT NOT NULL DEFAULT '',
  external_id         TEXT NOT NULL DEFAULT '',
  upload_id           TEXT,
  live_stream_id      TEXT,
  is_live             INTEGER NOT NULL DEFAULT 0,
  progress_state      TEXT NOT NULL,
  progress            REAL NOT NULL DEFAULT 0,
  duration            REAL,
  aspect_ratio        TEXT,
  resolution_tier     TEXT,
  tracks              TEXT,                      -- JSON array, as the API shows it
  master_mode         TEXT,                      -- remux | transcode | audio-only
  master_reason       TEXT,
  master_video_codec  TEXT,
  master_audio_codec  TEXT,
  master_file         TEXT,                      -- relative to the data folder
  master_size         INTEGER,
  master_sha256       TEXT,
  thumbnail_file      TEXT,
  master_access       TEXT NOT NULL CHECK (master_access IN ('temporary', 'none')),
  master_status       TEXT CHECK (master_status IN ('preparing', 'ready', 'errored')),
  master_error        TEXT,
  link_generation     INTEGER NOT NULL DEFAULT 1,
  link_expires_at     INTEGER                    -- Unix seconds; set while master_status is ready
);
CREATE INDEX assets_created ON assets (created_ns DESC, id DESC);
CREATE INDEX assets_link_expiry ON assets (link_expires_at) WHERE link_expires_at IS NOT NULL;
CREATE INDEX assets_live ON assets (live_stream_id) WHERE live_stream_id IS NOT NULL;
CREATE INDEX assets_upload ON assets (upload_id) WHERE upload_id IS NOT NULL;
