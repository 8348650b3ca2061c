-- A ready asset's master made again at another max_resolution_tier (issue 16, "change
-- tier"). One row per asset while a rebuild is queued, building, or failed (kept so the
-- user sees why until the next request or a cancel). The new master is written to
-- masters/ASSET.ID.mp4 (ID is this row's id) and the asset points at it in the same
-- transaction that deletes this row; until then the current master keeps serving.
CREATE TABLE asset_rebuilds (
  asset_id            TEXT PRIMARY KEY,
  id                  TEXT NOT NULL,
  max_resolution_tier TEXT NOT NULL,
  state               TEXT NOT NULL,          -- queued | building | failed
  progress            REAL NOT NULL DEFAULT 0,
  error               TEXT,
  created_ns          INTEGER NOT NULL
);

-- Files the app made that no asset points at any more (a master a rebuild replaced):
-- recorded in the transaction that let go of them, removed after it commits; start-up
-- removes those a crash left behind, unless an asset points at one again.
CREATE TABLE retired_files (
  path     TEXT PRIMARY KEY,                   -- relative to the data folder
  asset_id TEXT NOT NULL
);
