-- The fixity audit's findings: when each master was last re-hashed, and
-- what was wrong with it (missing, changed), if anything.
ALTER TABLE assets ADD COLUMN master_damage TEXT;
ALTER TABLE assets ADD COLUMN master_checked_at INTEGER;
