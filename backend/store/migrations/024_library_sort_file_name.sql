-- The library's name order uses an untitled video's file name, not its whole input path
-- (archive.nameKey): the index on that very expression, so a 10,000-video page needs no full sort.
DROP INDEX IF EXISTS assets_by_name;
CREATE INDEX assets_by_name ON assets (lower(CASE WHEN title <> '' THEN title ELSE substr(replace(input, '\', '/'), length(rtrim(replace(input, '\', '/'), replace(replace(input, '\', '/'), '/', ''))) + 1) END), id);
