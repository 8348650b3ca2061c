-- The name the uploaded file had on the sender's computer (Reelvault's file_name on
-- POST /video/v1/uploads), so the kept original is shown and downloaded as the user knew it.
ALTER TABLE uploads ADD COLUMN file_name TEXT;
