-- Browser logins: one-time codes and the sessions they open, kept so a
-- session survives a restart and can be revoked. Only hashes are stored.
CREATE TABLE ui_login_codes (
	code_hash  TEXT PRIMARY KEY,
	expires_at INTEGER NOT NULL
);
CREATE TABLE ui_sessions (
	token_hash TEXT PRIMARY KEY,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	client     TEXT NOT NULL DEFAULT ''
);
