-- A copy the window's player can play when browsers cannot play the master (a ProRes
-- source's HEVC 4:2:2 10-bit master, an ALAC master): made in the background after the
-- master, never on the way to it, and never listed as a Mux static rendition. The file
-- lives under thumbs/, named after the asset (ID.play.mp4 or ID.play.m4a).
CREATE TABLE asset_playback (
  asset_id TEXT PRIMARY KEY,
  state    TEXT NOT NULL,  -- preparing | ready | failed | not_needed
  file     TEXT,           -- relative to the data folder, once ready
  made_ns  INTEGER NOT NULL
);
