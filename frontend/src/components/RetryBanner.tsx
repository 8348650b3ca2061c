import type { ComponentChildren } from 'preact';
import { AlertIcon } from './icons';

/** A load that failed, with a button to ask again. */
export function RetryBanner({ children, onRetry }: { children: ComponentChildren; onRetry: () => void }) {
  return (
    <div class="banner banner-error" role="alert">
      <AlertIcon /> {children}
      <button type="button" class="button button-small" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}
