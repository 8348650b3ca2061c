import { useCallback, useState } from 'preact/hooks';
import type { Webhook } from '../api/types';
import { useNotify } from '../hooks/useToasts';
import { useWebhooks } from '../hooks/useWebhooks';
import { AddWebhookForm } from './AddWebhookForm';
import { WebhookIcon } from './icons';
import { ListPage } from './ListPage';
import { type RevealedSecret, WebhookCard } from './WebhookCard';

/** Endpoints that receive signed events about the archive, each with its delivery log. */
export function WebhooksPage() {
  const list = useWebhooks();
  const notify = useNotify();
  // Secrets live only here, in memory, until the user closes them; the server never repeats them.
  const [revealed, setRevealed] = useState<Record<string, RevealedSecret>>({});

  const reveal = useCallback((id: string, secret: RevealedSecret | undefined) => {
    setRevealed(({ [id]: _old, ...others }) => (secret ? { ...others, [id]: secret } : others));
  }, []);

  const onAdded = useCallback(
    (webhook: Webhook) => {
      if (webhook.signing_secret) reveal(webhook.id, { secret: webhook.signing_secret, reason: 'created' });
    },
    [reveal],
  );

  const onDeleted = useCallback(
    (webhook: Webhook) => {
      list.remove(webhook.id);
      reveal(webhook.id, undefined);
      notify('info', `Deleted the endpoint ${webhook.address}.`);
    },
    [list.remove, reveal, notify],
  );

  return (
    <ListPage
      pageClass="webhooks"
      title="Webhooks"
      count={list.webhooks.length}
      unit={['endpoint', 'endpoints']}
      form={<AddWebhookForm add={list.add} onAdded={onAdded} />}
      loaded={list.loaded}
      error={list.error}
      onRetry={list.reload}
      loadingText="Loading endpoints…"
      empty={<WebhooksEmpty />}
    >
      <ul class="webhook-list" aria-label="Endpoints">
        {list.webhooks.map((webhook) => (
          <WebhookCard
            key={webhook.id}
            webhook={webhook}
            revealed={revealed[webhook.id]}
            onRevealed={reveal}
            onChanged={list.replace}
            onDeleted={onDeleted}
          />
        ))}
      </ul>
    </ListPage>
  );
}

function WebhooksEmpty() {
  return (
    <div class="empty-state">
      <div class="empty-icon" aria-hidden="true">
        <WebhookIcon width="36" height="36" />
      </div>
      <h2>No webhooks yet</h2>
      <p>
        Webhooks let your other tools react to the archive. Whenever a video is added, its master is ready or fails, or it
        is deleted, Reelvault sends a signed JSON event to each URL you add here, and retries for a day if it is not
        answered.
      </p>
      <p>
        Events use Mux Video's format and <code>Mux-Signature</code> header, so a receiver written for Mux works unchanged.
        Add its URL above, keep the signing secret it shows you, then press <strong>Send test event</strong>.
      </p>
    </div>
  );
}
