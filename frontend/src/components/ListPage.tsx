import type { ComponentChildren } from 'preact';
import { RetryBanner } from './RetryBanner';

interface Props {
  /** The page's own class, for its width and spacing. */
  pageClass: string;
  title: string;
  count: number;
  /** What is counted, singular then plural: ['stream', 'streams']. */
  unit: [string, string];
  /** The form that adds an item, above the list. */
  form: ComponentChildren;
  loaded: boolean;
  error: string | null;
  onRetry: () => void;
  /** Shown until the first load ends, e.g. "Loading endpoints…". */
  loadingText: string;
  /** Shown when the list loaded and is empty (not when loading failed: the banner says why). */
  empty: ComponentChildren;
  /** The list itself, shown when there is at least one item. */
  children: ComponentChildren;
}

/** A page of one kind of item (live streams, webhooks): header with count, add form, then the list or why there is none. */
export function ListPage({ pageClass, title, count, unit, form, loaded, error, onRetry, loadingText, empty, children }: Props) {
  return (
    <div class={pageClass}>
      <header class="page-header">
        <h1>{title}</h1>
        {count > 0 && (
          <span class="page-count">
            {count} {count === 1 ? unit[0] : unit[1]}
          </span>
        )}
      </header>
      {form}
      {error && <RetryBanner onRetry={onRetry}>{error}</RetryBanner>}
      {!loaded ? <p class="muted loading">{loadingText}</p> : count === 0 ? !error && empty : children}
    </div>
  );
}
