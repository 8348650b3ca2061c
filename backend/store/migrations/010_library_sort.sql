-- The library sorts by name, duration and size: indexes on the very expressions
-- archive.listAssets orders by, so a 10,000-video page needs no full sort.
CREATE INDEX assets_by_name ON assets (lower(CASE WHEN title <> '' THEN title ELSE input END), id);
CREATE INDEX assets_by_duration ON assets (coalesce(duration, -1), id);
CREATE INDEX assets_by_size ON assets (coalesce(master_size, -1), id);
