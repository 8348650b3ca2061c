-- Assets the user deleted. Start-up removes a file without a row only when
-- its asset is recorded here; any other such file may be the user's only
-- copy (a restored database, lost last commits) and goes to quarantine.
CREATE TABLE deleted_assets (
	id         TEXT PRIMARY KEY,
	deleted_at INTEGER NOT NULL
);
