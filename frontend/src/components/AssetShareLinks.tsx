import { useState } from 'preact/hooks';
import type { Asset } from '../api/types';
import { titleOf } from '../format';
import { useShareLinks } from '../hooks/useShareLinks';
import { RetryBanner } from './RetryBanner';
import { fileChoicesFor, ShareDialog } from './ShareDialog';
import { ShareLinkRow } from './ShareLinkRow';

/** The asset panel's share links: a "Share…" button and this video's links, each with its downloads. */
export function AssetShareLinks({ asset }: { asset: Asset }) {
  const list = useShareLinks(asset.id);
  const [sharing, setSharing] = useState(false);
  const ready = asset.status === 'ready';

  return (
    <section class="panel share-panel" aria-labelledby="share-links-title">
      <div class="panel-row">
        <div>
          <h3 id="share-links-title">Share links</h3>
          <p class="muted small">A link per person, each with its own expiry and limit; revoke one and the others keep working.</p>
        </div>
        <button type="button" class="button" onClick={() => setSharing(true)} disabled={!ready} title={ready ? undefined : 'Available once the video is ready'}>
          Share…
        </button>
      </div>
      {list.error && <RetryBanner onRetry={list.reload}>{list.error}</RetryBanner>}
      {list.loaded && list.links.length > 0 && (
        <ul class="share-list" aria-label="Share links of this video">
          {list.links.map((link) => (
            <ShareLinkRow key={link.id} link={link} onChanged={list.replace} />
          ))}
        </ul>
      )}
      {sharing && <ShareDialog assetIds={[asset.id]} titles={[titleOf(asset)]} fileChoices={fileChoicesFor([asset])} onClose={() => setSharing(false)} onCreated={list.replace} />}
    </section>
  );
}
