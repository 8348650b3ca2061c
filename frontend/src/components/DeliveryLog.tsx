import type { Webhook } from '../api/types';
import type { DeliveryLog as Log } from '../hooks/useDeliveries';
import { DeliveryRow } from './DeliveryRow';

interface Props {
  webhook: Webhook;
  log: Log;
}

/** What was sent to one endpoint, newest first; refreshed by the owner every 2 s. */
export function DeliveryLog({ webhook, log }: Props) {
  return (
    <section class="delivery-log" aria-label={`Delivery log for ${webhook.address}`}>
      <h4>Delivery log</h4>
      {log.error && (
        <p class="banner banner-error" role="alert">
          {log.error}
        </p>
      )}
      {!log.loaded ? (
        <p class="muted small">Loading…</p>
      ) : log.deliveries.length === 0 ? (
        !log.error && (
          <p class="muted small delivery-empty">
            Nothing sent yet. Press <strong>Send test event</strong> to check that your receiver answers, or add a video:
            its events appear here as they are delivered.
          </p>
        )
      ) : (
        <ul class="delivery-list">
          {log.deliveries.map((delivery) => (
            <DeliveryRow key={delivery.id} delivery={delivery} endpointEnabled={webhook.enabled} onChanged={log.upsert} />
          ))}
        </ul>
      )}
      {log.canShowMore && (
        <button type="button" class="button button-quiet button-small" onClick={log.showMore}>
          Show older deliveries
        </button>
      )}
    </section>
  );
}
