-- Hover-skim sprites and audio waveforms (issue 16): made in the background from the
-- master once it is ready, never on the way to it. The files live under thumbs/, named
-- after the asset (ID.sprite.jpg, ID.wave.png); a row exists once the job has run.
CREATE TABLE asset_previews (
  asset_id      TEXT PRIMARY KEY,
  sprite_file   TEXT,          -- relative to the data folder; NULL: no picture to skim
  sprite        TEXT,          -- its layout as JSON (media.Sprite)
  waveform_file TEXT,          -- audio-only assets; NULL otherwise
  made_ns       INTEGER NOT NULL
);
