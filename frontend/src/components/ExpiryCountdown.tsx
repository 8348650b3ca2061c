import { useEffect, useRef } from 'preact/hooks';
import { formatCountdown } from '../format';
import { useNow } from '../hooks/useNow';

interface Props {
  /** Unix seconds, as the API gives `master_expires_at`. */
  expiresAt: string | number | undefined;
  /** Called once when the countdown reaches zero (the server then reports the link off). */
  onExpired?: () => void;
}

/** "Expires in 23:59:58", ticking each second, with the local date and time beside it. */
export function ExpiryCountdown({ expiresAt, onExpired }: Props) {
  const now = useNow(1_000);
  const seconds = Number(expiresAt);
  const valid = expiresAt !== undefined && expiresAt !== '' && Number.isFinite(seconds);
  const left = valid ? seconds - now / 1000 : 0;
  const expired = valid && left <= 0;

  const fired = useRef(false);
  const onExpiredRef = useRef(onExpired);
  onExpiredRef.current = onExpired;
  useEffect(() => {
    if (expired && !fired.current) {
      fired.current = true;
      onExpiredRef.current?.();
    }
  }, [expired]);

  if (!valid) return null;
  const at = new Date(seconds * 1000);
  const when = at.toLocaleString(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit', day: 'numeric', month: 'short' });
  if (expired) {
    return (
      <p class="expiry is-expired" data-testid="expiry">
        This link has expired. Switch the download link on again for a new one.
      </p>
    );
  }
  return (
    <p class="expiry" data-testid="expiry">
      Expires in{' '}
      <time class="countdown" dateTime={at.toISOString()}>
        {formatCountdown(left)}
      </time>{' '}
      <span class="muted">({when})</span>
    </p>
  );
}
