-- Mux's meta.title of a live stream: the user's name for it.
ALTER TABLE live_streams ADD COLUMN title TEXT NOT NULL DEFAULT '';
