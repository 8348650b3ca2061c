import { useId, useState } from 'preact/hooks';
import { messageOf } from '../api/client';
import type { Delivery, DeliveryAttempt } from '../api/types';
import { resendDelivery } from '../api/webhooks';
import { countOf, formatClock, formatMillis, formatTimestamp } from '../format';
import { hrefFor } from '../hooks/useRoute';
import { ChevronIcon, RetryIcon } from './icons';

interface Props {
  delivery: Delivery;
  /** Resending to a disabled endpoint is refused by the server; say so before the click. */
  endpointEnabled: boolean;
  onChanged: (delivery: Delivery) => void;
}

/** One event sent to one endpoint: what, about which object, when, how it went; attempts on demand. */
export function DeliveryRow({ delivery, endpointEnabled, onChanged }: Props) {
  const [open, setOpen] = useState(false);
  const [resending, setResending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const attemptsId = useId();

  async function resend() {
    setResending(true);
    setError(null);
    try {
      onChanged(await resendDelivery(delivery.id));
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setResending(false);
    }
  }

  return (
    <li class="delivery" data-testid="delivery" data-state={delivery.state}>
      <div class="delivery-row">
        <button
          type="button"
          class="delivery-toggle"
          aria-expanded={open}
          aria-controls={attemptsId}
          onClick={() => setOpen(!open)}
          title={open ? 'Hide the attempts' : 'Show every attempt'}
        >
          <ChevronIcon class="chevron" width="16" height="16" />
          <code class="event-type">{delivery.event_type}</code>
        </button>
        <ObjectName object={delivery.object} />
        <time class="delivery-time muted small" dateTime={delivery.created_at}>
          {formatTimestamp(delivery.created_at)}
        </time>
        <DeliveryStatus delivery={delivery} />
        <button
          type="button"
          class="button button-small"
          onClick={resend}
          disabled={resending || delivery.state === 'delivering' || !endpointEnabled}
          title={endpointEnabled ? 'Send this event again now' : 'Enable the endpoint to resend'}
        >
          <RetryIcon width="15" height="15" /> {resending ? 'Resending…' : 'Resend'}
        </button>
      </div>
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
      {open && (
        <div id={attemptsId} class="attempts">
          {delivery.attempts.length === 0 ? (
            <p class="muted small">Not attempted yet.</p>
          ) : (
            <ol class="attempt-list" aria-label="Attempts, oldest first">
              {delivery.attempts.map((attempt, i) => (
                <AttemptItem key={attempt.id} attempt={attempt} number={i + 1} />
              ))}
            </ol>
          )}
        </div>
      )}
    </li>
  );
}

const stateWords: Record<string, { text: string; badge: string }> = {
  delivered: { text: 'Delivered', badge: 'ready' },
  pending: { text: 'Pending', badge: 'preparing' },
  delivering: { text: 'Sending', badge: 'preparing' },
  failed: { text: 'Failed', badge: 'errored' },
};

function DeliveryStatus({ delivery }: { delivery: Delivery }) {
  const words = stateWords[delivery.state] ?? { text: delivery.state, badge: 'preparing' };
  const retrying = delivery.state === 'pending' && delivery.attempt_count > 0 && delivery.next_attempt_at;
  return (
    <span class="delivery-status">
      <span class={`badge badge-${words.badge}`}>
        <span class="badge-dot" aria-hidden="true" />
        {words.text}
      </span>
      <span class="muted small">
        {countOf(delivery.attempt_count, 'attempt')}
        {delivery.last_status_code !== null && ` · HTTP ${delivery.last_status_code}`}
        {retrying && ` · retrying at ${formatClock(delivery.next_attempt_at)}`}
      </span>
    </span>
  );
}

function ObjectName({ object }: { object: Delivery['object'] }) {
  const short = object.id.length > 12 ? `${object.id.slice(0, 8)}…` : object.id;
  if (object.type === 'asset') {
    return (
      <a class="delivery-object small" href={hrefFor({ page: 'asset', id: object.id })} title={object.id}>
        video {short}
      </a>
    );
  }
  return (
    <span class="delivery-object muted small" title={object.id}>
      {object.type === 'webhook' ? 'this endpoint' : `${object.type} ${short}`}
    </span>
  );
}

function AttemptItem({ attempt, number }: { attempt: DeliveryAttempt; number: number }) {
  const code = attempt.response_status_code;
  const ok = code !== null && code >= 200 && code < 300;
  return (
    <li class="attempt" data-testid="attempt">
      <div class="attempt-line">
        <span class="muted">#{number}</span>
        <time class="small" dateTime={attempt.created_at}>
          {formatTimestamp(attempt.created_at)}
        </time>
        <span class={ok ? 'attempt-ok' : 'attempt-bad'}>{code === null ? 'No answer' : `HTTP ${code}`}</span>
        <span class="muted small">{formatMillis(attempt.duration_ms)}</span>
      </div>
      {attempt.error && <p class="attempt-error small">{attempt.error}</p>}
      {attempt.response_body && (
        <details class="attempt-body">
          <summary class="small">Response</summary>
          <pre>{attempt.response_body}</pre>
        </details>
      )}
    </li>
  );
}
