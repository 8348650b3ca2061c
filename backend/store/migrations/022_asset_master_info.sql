-- The master file as ffprobe describes it once it is written (media.InputFile as JSON, like
-- input_info): its bit depth, chroma, scan and bitrate beside the source's. NULL for masters
-- made before it was recorded.
ALTER TABLE assets ADD COLUMN master_info TEXT;
