-- What each master changed compared to its original (a JSON array of sentences,
-- empty for a pure remux), and the original's description as probed at ingest
-- (JSON; the original may be gone later): GET /video/v1/assets/{id}/input-info.
ALTER TABLE assets ADD COLUMN master_changes TEXT;
ALTER TABLE assets ADD COLUMN input_info TEXT;
