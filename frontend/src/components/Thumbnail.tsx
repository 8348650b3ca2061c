import { useState } from 'preact/hooks';
import { thumbnailUrl } from '../api/assets';
import type { Asset } from '../api/types';
import { FilmIcon } from './icons';

/** The asset's poster frame once its master exists; a calm placeholder before that. */
export function Thumbnail({ asset }: { asset: Asset }) {
  const [failed, setFailed] = useState(false);
  const audioOnly = asset.resolution_tier === 'audio-only' || asset.master_mode === 'audio-only';
  if (asset.status !== 'ready' || failed || audioOnly) {
    return (
      <div class="thumb-placeholder" aria-hidden="true">
        <FilmIcon width="32" height="32" />
        {audioOnly && <span class="thumb-note">Audio only</span>}
      </div>
    );
  }
  return <img class="thumb-image" src={thumbnailUrl(asset)} alt="" loading="lazy" decoding="async" onError={() => setFailed(true)} />;
}
