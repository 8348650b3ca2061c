import type { Asset } from '../api/types';
import { CopyField } from './CopyField';

/**
 * The asset's public playback URL (Mux's {playback id}/highest.mp4 on the share listener),
 * shown when the asset has a public playback ID: anyone with the URL can play or download the master.
 */
export function PlaybackURL({ asset }: { asset: Asset }) {
  if (!asset.playback_url) return null;
  return (
    <section class="panel" aria-labelledby="playback-url-title">
      <h3 id="playback-url-title">Public playback URL</h3>
      <p class="muted">Anyone with this URL can play the master until its public playback ID is deleted.</p>
      <CopyField value={asset.playback_url} label="Public playback URL" />
    </section>
  );
}
