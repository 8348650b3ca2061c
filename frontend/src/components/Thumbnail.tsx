import { useState } from 'preact/hooks';
import type { Asset } from '../api/types';
import { FilmIcon } from './icons';

/**
 * The asset's poster frame once the server has made it (it says so with thumbnail_url, a
 * moment after the master is ready); a calm placeholder before that. A failed load is
 * remembered per URL, so a thumbnail that arrives later still shows.
 */
export function Thumbnail({ asset }: { asset: Asset }) {
  const [failedUrl, setFailedUrl] = useState<string | null>(null);
  const url = asset.thumbnail_url;
  const audioOnly = asset.resolution_tier === 'audio-only' || asset.master_mode === 'audio-only';
  if (asset.status !== 'ready' || !url || failedUrl === url || audioOnly) {
    return (
      <div class="thumb-placeholder" aria-hidden="true">
        <FilmIcon width="32" height="32" />
        {audioOnly && <span class="thumb-note">Audio only</span>}
      </div>
    );
  }
  return <img class="thumb-image" src={url} alt="" loading="lazy" decoding="async" onError={() => setFailedUrl(url)} />;
}
