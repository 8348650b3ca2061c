import type { Toast } from '../hooks/useToasts';
import { CloseIcon } from './icons';

export function Toasts({ toasts, onDismiss }: { toasts: Toast[]; onDismiss: (id: number) => void }) {
  return (
    <div class="toasts" role="status" aria-live="polite">
      {toasts.map((toast) => (
        <div key={toast.id} class={`toast toast-${toast.kind}`}>
          <span>{toast.text}</span>
          <button type="button" class="icon-button" onClick={() => onDismiss(toast.id)} aria-label="Dismiss">
            <CloseIcon width="16" height="16" />
          </button>
        </div>
      ))}
    </div>
  );
}
