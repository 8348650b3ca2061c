-- Ingest: direct uploads (Mux's upload object) and watch folders with the
-- files they have seen, so each file is ingested once across restarts.

CREATE TABLE uploads (
  id                 TEXT PRIMARY KEY,
  token              TEXT NOT NULL,             -- the secret in the upload URL
  created_ns         INTEGER NOT NULL,
  status             TEXT NOT NULL CHECK (status IN ('waiting', 'asset_created', 'errored', 'cancelled', 'timed_out')),
  timeout_s          INTEGER NOT NULL,
  new_asset_settings TEXT NOT NULL,             -- JSON object, as the client gave it
  cors_origin        TEXT NOT NULL DEFAULT '',
  test               INTEGER NOT NULL DEFAULT 0,
  total_bytes        INTEGER,                   -- declared by the uploader (Content-Range / Content-Length)
  asset_id           TEXT,
  file               TEXT,                      -- relative to the data folder, once complete
  error_type         TEXT,
  error_message      TEXT,
  updated_ns         INTEGER NOT NULL
);
CREATE INDEX uploads_created ON uploads (created_ns DESC, id DESC);
CREATE INDEX uploads_waiting ON uploads (created_ns) WHERE status = 'waiting';

CREATE TABLE watch_folders (
  id                  TEXT PRIMARY KEY,
  path                TEXT NOT NULL UNIQUE,
  max_resolution_tier TEXT NOT NULL,
  master_access       TEXT NOT NULL,
  video_quality       TEXT NOT NULL,
  after               TEXT NOT NULL CHECK (after IN ('leave', 'move')),
  done_path           TEXT NOT NULL DEFAULT '',  -- '' means <path>/done
  from_command_line   INTEGER NOT NULL DEFAULT 0,
  created_ns          INTEGER NOT NULL
);

-- One row per (path, content): the same path with other content is a new file.
CREATE TABLE watch_files (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  folder_id   TEXT REFERENCES watch_folders (id) ON DELETE SET NULL,
  path        TEXT NOT NULL,
  size        INTEGER NOT NULL,
  mtime_ns    INTEGER NOT NULL,
  fingerprint TEXT NOT NULL,
  outcome     TEXT NOT NULL CHECK (outcome IN ('ingested', 'skipped')),
  asset_id    TEXT,
  note        TEXT NOT NULL DEFAULT '',
  after_state TEXT CHECK (after_state IN ('waiting', 'moved', 'left')),  -- NULL: nothing to do after ingest
  moved_to    TEXT,
  seen_ns     INTEGER NOT NULL,
  UNIQUE (path, fingerprint)
);
CREATE INDEX watch_files_folder ON watch_files (folder_id, seen_ns DESC);
CREATE INDEX watch_files_path ON watch_files (path, seen_ns DESC);
CREATE INDEX watch_files_after ON watch_files (after_state) WHERE after_state = 'waiting';
