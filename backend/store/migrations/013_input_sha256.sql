-- The input's SHA-256 when its source knew it (an upload hashes its chunks as
-- they arrive): a master that is the input itself needs no hashing pass.
ALTER TABLE assets ADD COLUMN input_sha256 TEXT;
