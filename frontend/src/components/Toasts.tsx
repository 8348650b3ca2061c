import { useEffect, useState } from 'preact/hooks';
import type { Toast } from '../hooks/useToasts';
import { CloseIcon } from './icons';

/**
 * The messages in a corner. In a narrow window they would cover the page, so there only the
 * newest shows, one line tall, with "2 more" to open the others (the CSS decides by width);
 * every message is still read out as it comes, and each one closes.
 */
export function Toasts({ toasts, onDismiss }: { toasts: Toast[]; onDismiss: (id: number) => void }) {
  const [expanded, setExpanded] = useState(false);
  const older = toasts.length - 1;
  useEffect(() => {
    if (older <= 0) setExpanded(false);
  }, [older]);
  return (
    <div class={`toasts${expanded ? ' is-expanded' : ''}`}>
      {older > 0 && (
        <button type="button" class="toasts-more" aria-expanded={expanded} onClick={() => setExpanded(!expanded)}>
          {expanded ? 'Show only the newest' : `${older} more message${older === 1 ? '' : 's'}`}
        </button>
      )}
      <div class="toast-list" role="status" aria-live="polite">
        {toasts.map((toast) => (
          <div key={toast.id} class={`toast toast-${toast.kind}`}>
            <span>{toast.text}</span>
            <button type="button" class="icon-button" onClick={() => onDismiss(toast.id)} aria-label="Dismiss">
              <CloseIcon width="16" height="16" />
            </button>
          </div>
        ))}
      </div>
    </div>
  );
}
