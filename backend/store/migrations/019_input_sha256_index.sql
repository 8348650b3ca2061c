-- Duplicate detection: assets whose input has the same SHA-256 are found by it.
CREATE INDEX assets_input_sha256 ON assets (input_sha256) WHERE input_sha256 IS NOT NULL;
