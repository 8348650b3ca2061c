-- Assets and uploads a person added (the window, a watch folder, "Open with", a live stream)
-- rather than a script: the desktop window notifies when their masters are ready or fail.
-- No foreign key on assets: saving an asset is an INSERT OR REPLACE, whose delete would
-- cascade; deleting an asset removes its row here.
CREATE TABLE asset_notices (
	asset_id TEXT PRIMARY KEY
);
CREATE TABLE upload_notices (
	upload_id TEXT PRIMARY KEY REFERENCES uploads(id) ON DELETE CASCADE
);
