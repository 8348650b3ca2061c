import { useState } from 'preact/hooks';
import { messageOf } from '../api/client';
import type { Webhook } from '../api/types';
import { PlusIcon } from './icons';

interface Props {
  add: (address: string) => Promise<Webhook>;
  onAdded: (webhook: Webhook) => void;
}

/** The URL of a new receiver; the server checks it and its message is shown as it is. */
export function AddWebhookForm({ add, onAdded }: Props) {
  const [address, setAddress] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: Event) {
    event.preventDefault();
    if (!address.trim()) {
      setError('Type the URL that should receive events, for example https://example.com/hooks/reelvault.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onAdded(await add(address.trim()));
      setAddress('');
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="add-panel" aria-label="Add a webhook endpoint">
      <form class="add-row" onSubmit={submit}>
        <label class="visually-hidden" for="webhook-address">
          Endpoint URL
        </label>
        <input
          id="webhook-address"
          class="input add-input"
          type="text"
          inputMode="url"
          placeholder="Endpoint URL — https://example.com/hooks/reelvault"
          value={address}
          onInput={(e) => setAddress(e.currentTarget.value)}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? 'webhook-address-error' : undefined}
          autocomplete="off"
          spellcheck={false}
        />
        <button type="submit" class="button button-primary" disabled={busy}>
          <PlusIcon /> {busy ? 'Adding…' : 'Add endpoint'}
        </button>
      </form>
      {error && (
        <p id="webhook-address-error" class="field-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
