import { useState } from 'preact/hooks';
import { messageOf } from '../api/client';
import type { Webhook } from '../api/types';
import { deleteWebhook, rotateWebhookSecret, sendTestEvent, setWebhookEnabled } from '../api/webhooks';
import { formatTimestamp } from '../format';
import { useDeliveries } from '../hooks/useDeliveries';
import { useNotify } from '../hooks/useToasts';
import { ConfirmAction } from './ConfirmAction';
import { DeliveryLog } from './DeliveryLog';
import { KeyIcon, SendIcon, TrashIcon } from './icons';
import { SecretReveal } from './SecretReveal';

export interface RevealedSecret {
  secret: string;
  reason: 'created' | 'rotated';
}

interface Props {
  webhook: Webhook;
  /** Set right after create or rotate: the one time the secret can be shown. */
  revealed: RevealedSecret | undefined;
  onRevealed: (id: string, revealed: RevealedSecret | undefined) => void;
  onChanged: (webhook: Webhook) => void;
  onDeleted: (webhook: Webhook) => void;
}

/** One endpoint: on/off, test, rotate, delete, and its delivery log. */
export function WebhookCard({ webhook, revealed, onRevealed, onChanged, onDeleted }: Props) {
  const notify = useNotify();
  const log = useDeliveries(webhook.id, true);
  const [toggling, setToggling] = useState(false);
  const [testing, setTesting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function toggle() {
    setToggling(true);
    setError(null);
    try {
      onChanged(await setWebhookEnabled(webhook.id, !webhook.enabled));
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setToggling(false);
    }
  }

  async function test() {
    setTesting(true);
    setError(null);
    try {
      log.upsert(await sendTestEvent(webhook.id));
      log.pollNow();
      notify('info', 'Test event queued. Watch the delivery log for the answer.');
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setTesting(false);
    }
  }

  async function rotate() {
    const rotated = await rotateWebhookSecret(webhook.id);
    if (rotated.signing_secret) onRevealed(webhook.id, { secret: rotated.signing_secret, reason: 'rotated' });
    onChanged(rotated);
  }

  async function remove() {
    await deleteWebhook(webhook.id);
    onDeleted(webhook);
  }

  const switchLabelId = `webhook-enabled-${webhook.id}`;
  return (
    <li class="webhook-card" data-testid="webhook" aria-label={webhook.address}>
      <div class="webhook-head">
        <div class="webhook-title">
          <code class="webhook-address">{webhook.address}</code>
          <span class="muted small">
            Added {formatTimestamp(webhook.created_at)}
            {!webhook.enabled && ' · Paused: new events are not sent here; queued ones wait until it is enabled again.'}
          </span>
        </div>
        <div class="webhook-switch">
          <span id={switchLabelId} class="small muted">
            Enabled
          </span>
          <button
            type="button"
            role="switch"
            class="switch"
            aria-checked={webhook.enabled}
            aria-labelledby={switchLabelId}
            onClick={toggle}
            disabled={toggling}
          >
            <span class="switch-thumb" aria-hidden="true" />
          </button>
        </div>
      </div>
      {revealed && <SecretReveal {...revealed} onDone={() => onRevealed(webhook.id, undefined)} />}
      <div class="webhook-actions">
        <button type="button" class="button" onClick={test} disabled={testing || !webhook.enabled}>
          <SendIcon /> {testing ? 'Sending…' : 'Send test event'}
        </button>
        <ConfirmAction
          trigger={
            <>
              <KeyIcon /> New secret…
            </>
          }
          question="Replace the signing secret? The old one stops working at once: update your receiver with the new one."
          confirmLabel="Replace secret"
          busyLabel="Replacing…"
          onConfirm={rotate}
        />
        <ConfirmAction
          trigger={
            <>
              <TrashIcon /> Delete…
            </>
          }
          question={
            <>
              Delete the endpoint <strong>{webhook.address}</strong>? It receives nothing more and its delivery log is
              removed.
            </>
          }
          confirmLabel="Delete"
          busyLabel="Deleting…"
          danger
          onConfirm={remove}
        />
      </div>
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
      <DeliveryLog webhook={webhook} log={log} />
    </li>
  );
}
