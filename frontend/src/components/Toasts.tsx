import { useEffect, useState } from 'preact/hooks';
import type { Toast } from '../hooks/useToasts';
import { CloseIcon } from './icons';

/** The width below which the phone layout applies (styles.css, `@media (max-width: 640px)`). */
const NARROW_PX = 640;

/** How many of the newest messages show before the others fold behind "N more". */
export function visibleToasts(viewportWidth: number): number {
  return viewportWidth > 0 && viewportWidth <= NARROW_PX ? 1 : 2;
}

/**
 * The messages in a corner. They sit over the page, so only the newest show (one, one line tall,
 * in a narrow window; two in a wide one), with "2 more" to open the others; every message is
 * still read out as it comes, and each one closes.
 */
export function Toasts({ toasts, onDismiss }: { toasts: Toast[]; onDismiss: (id: number) => void }) {
  const [expanded, setExpanded] = useState(false);
  const width = useViewportWidth();
  const folded = Math.max(0, toasts.length - visibleToasts(width));
  useEffect(() => {
    if (folded <= 0) setExpanded(false);
  }, [folded]);
  return (
    <div class={`toasts${expanded ? ' is-expanded' : ''}`}>
      {folded > 0 && (
        <button type="button" class="toasts-more" aria-expanded={expanded} onClick={() => setExpanded(!expanded)}>
          {expanded ? 'Show only the newest' : `${folded} more message${folded === 1 ? '' : 's'}`}
        </button>
      )}
      <div class="toast-list" role="status" aria-live="polite">
        {toasts.map((toast, index) => (
          <div key={toast.id} class={`toast toast-${toast.kind}${!expanded && index < folded ? ' is-folded' : ''}`}>
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

function useViewportWidth(): number {
  const [width, setWidth] = useState(() => window.innerWidth);
  useEffect(() => {
    const onResize = () => setWidth(window.innerWidth);
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  return width;
}
