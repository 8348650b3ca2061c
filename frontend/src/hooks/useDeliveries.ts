import { useCallback, useRef, useState } from 'preact/hooks';
import { ApiError, messageOf } from '../api/client';
import type { Delivery } from '../api/types';
import { listDeliveries } from '../api/webhooks';
import { usePoll } from './usePoll';

export const DELIVERY_POLL_MS = 2_000;
const RETRY_MS = 5_000;
export const DELIVERY_PAGE = 25;
const MAX_DELIVERIES = 100; // the API's largest page

export interface DeliveryLog {
  deliveries: Delivery[];
  loaded: boolean;
  error: string | null;
  /** More may exist than are shown, and the API can give more. */
  canShowMore: boolean;
  showMore: () => void;
  /** Show an answer from a change (test, resend) at once, then poll for what follows. */
  upsert: (delivery: Delivery) => void;
  pollNow: () => void;
}

/** One endpoint's deliveries, newest first, refreshed every 2 s while `active`. */
export function useDeliveries(webhookId: string, active: boolean): DeliveryLog {
  const [deliveries, setDeliveries] = useState<Delivery[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [limit, setLimit] = useState(DELIVERY_PAGE);
  const limitRef = useRef(limit);
  limitRef.current = limit;

  const tick = useCallback(
    async (signal: AbortSignal) => {
      try {
        const list = await listDeliveries(webhookId, limitRef.current, signal);
        if (signal.aborted) return DELIVERY_POLL_MS;
        setDeliveries(list);
        setError(null);
        setLoaded(true);
        return DELIVERY_POLL_MS;
      } catch (err) {
        if (signal.aborted) return DELIVERY_POLL_MS;
        if (!(err instanceof ApiError && err.status === 401)) setError(messageOf(err));
        setLoaded(true);
        return RETRY_MS;
      }
    },
    [webhookId],
  );
  const pollNow = usePoll(tick, active);

  const showMore = useCallback(() => {
    // The ref first: the poll below runs before the next render would update it.
    limitRef.current = Math.min(MAX_DELIVERIES, limitRef.current + DELIVERY_PAGE);
    setLimit(limitRef.current);
    pollNow();
  }, [pollNow]);

  const upsert = useCallback((delivery: Delivery) => {
    setDeliveries((all) =>
      all.some((d) => d.id === delivery.id) ? all.map((d) => (d.id === delivery.id ? delivery : d)) : [delivery, ...all],
    );
  }, []);

  return {
    deliveries,
    loaded,
    error,
    canShowMore: deliveries.length >= limit && limit < MAX_DELIVERIES,
    showMore,
    upsert,
    pollNow,
  };
}
