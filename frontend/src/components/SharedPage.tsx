import { useState } from 'preact/hooks';
import { useShareLinks } from '../hooks/useShareLinks';
import { ListPage } from './ListPage';
import { ShareLinkRow } from './ShareLinkRow';

/** Every live share link across the library, with its downloads; ended links on request. */
export function SharedPage() {
  const list = useShareLinks();
  const [showEnded, setShowEnded] = useState(false);
  const live = list.links.filter((l) => l.status === 'active');
  const shown = showEnded ? list.links : live;
  const ended = list.links.length - live.length;

  return (
    <ListPage
      pageClass="shared-page"
      title="Shared"
      count={shown.length}
      unit={showEnded ? ['link', 'links'] : ['live link', 'live links']}
      form={
        <div class="shared-intro">
          <p class="muted">Links you made from a video's panel or from a selection in the library.</p>
          {ended > 0 && (
            <label class="option option-check small">
              <input type="checkbox" checked={showEnded} onChange={(e) => setShowEnded(e.currentTarget.checked)} />
              Show {ended} ended link{ended === 1 ? '' : 's'} (expired, revoked or used up)
            </label>
          )}
        </div>
      }
      loaded={list.loaded}
      error={list.error}
      onRetry={list.reload}
      loadingText="Loading share links…"
      empty={
        <p class="muted shared-empty">
          {ended > 0 ? 'No live links right now.' : 'Nothing is shared yet.'} Open a video and choose <strong>Share…</strong> to make a
          link.
        </p>
      }
    >
      <ul class="share-list" aria-label="Share links">
        {shown.map((link) => (
          <ShareLinkRow key={link.id} link={link} onChanged={list.replace} wide />
        ))}
      </ul>
    </ListPage>
  );
}
