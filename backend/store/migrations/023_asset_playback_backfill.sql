-- Masters made before playback copies existed: those whose recorded codecs a browser cannot
-- play (HEVC, ALAC...) get the copy job once, as a new master would. The job probes the
-- master and settles on "not needed" when it plays after all.
INSERT OR IGNORE INTO asset_playback (asset_id, state, made_ns)
  SELECT id, 'preparing', 0 FROM assets
  WHERE status = 'ready' AND coalesce(master_file, '') != ''
    AND (coalesce(master_video_codec, '') NOT IN ('', 'h264')
      OR coalesce(master_audio_codec, '') NOT IN ('', 'aac', 'mp3', 'opus'));
INSERT INTO jobs (kind, ref, state, run_after_ms, created_ms, updated_ms)
  SELECT 'asset.playback_copy', asset_id, 'queued', 0, 0, 0 FROM asset_playback WHERE made_ns = 0
    AND asset_id NOT IN (SELECT ref FROM jobs WHERE kind = 'asset.playback_copy' AND state = 'queued');
