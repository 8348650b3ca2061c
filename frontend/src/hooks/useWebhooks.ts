import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, messageOf } from '../api/client';
import type { Webhook } from '../api/types';
import { createWebhook, listWebhooks } from '../api/webhooks';

export interface WebhookList {
  webhooks: Webhook[];
  loaded: boolean;
  error: string | null;
  reload: () => void;
  /** Creates an endpoint; resolves to the server's answer, the only one with the secret. */
  add: (address: string) => Promise<Webhook>;
  replace: (webhook: Webhook) => void;
  remove: (id: string) => void;
}

/**
 * The webhook endpoints, newest first. Loaded when the page opens; every change made here
 * updates the list from the server's answer, so it needs no polling of its own.
 */
export function useWebhooks(): WebhookList {
  const [webhooks, setWebhooks] = useState<Webhook[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    listWebhooks(controller.signal).then(
      (list) => {
        setWebhooks(list.map(withoutSecret));
        setError(null);
        setLoaded(true);
      },
      (err) => {
        if (controller.signal.aborted) return;
        // A 401 swaps the window for the login screen; nothing to show here.
        if (!(err instanceof ApiError && err.status === 401)) setError(messageOf(err));
        setLoaded(true);
      },
    );
    return () => controller.abort();
  }, [generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  const add = useCallback(async (address: string) => {
    const created = await createWebhook(address);
    setWebhooks((all) => [withoutSecret(created), ...all.filter((w) => w.id !== created.id)]);
    return created;
  }, []);

  const replace = useCallback(
    (webhook: Webhook) => setWebhooks((all) => all.map((w) => (w.id === webhook.id ? withoutSecret(webhook) : w))),
    [],
  );
  const remove = useCallback((id: string) => setWebhooks((all) => all.filter((w) => w.id !== id)), []);

  return { webhooks, loaded, error, reload, add, replace, remove };
}

// The list never holds a secret: the page shows it once from the create (or rotate) answer.
function withoutSecret({ signing_secret: _secret, ...webhook }: Webhook): Webhook {
  return webhook;
}
