import { useEffect, useRef, useState } from 'preact/hooks';
import type { LibraryQuery, SortOrder } from '../assetList';
import { useDebouncedEffect } from '../hooks/useDebounced';
import { LibraryIcon, ListIcon, SearchIcon } from './icons';

export type LibraryLayout = 'grid' | 'list';

/** Typing pauses this long before the server is asked: one request per word, not per key. */
export const SEARCH_DEBOUNCE_MS = 300;

interface Props {
  query: LibraryQuery;
  onQuery: (query: LibraryQuery) => void;
  layout: LibraryLayout;
  onLayout: (layout: LibraryLayout) => void;
  searching: boolean;
}

/** Search, status filter, date order and grid/list switch above the library. */
export function LibraryToolbar({ query, onQuery, layout, onLayout, searching }: Props) {
  const [text, setText] = useState(query.q);
  const queryRef = useRef(query);
  queryRef.current = query;
  const searchRef = useRef<HTMLInputElement>(null);

  useDebouncedEffect(text, SEARCH_DEBOUNCE_MS, (q) => onQuery({ ...queryRef.current, q }));

  // Someone else cleared the search (the "Show all videos" button of an empty result).
  const lastQ = useRef(query.q);
  useEffect(() => {
    if (lastQ.current === query.q) return;
    lastQ.current = query.q;
    if (query.q === '') setText('');
  }, [query.q]);

  // "/" jumps to the search box, as in most tools with a list to search.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
      if (target?.closest('input, textarea, select, [contenteditable="true"]')) return;
      event.preventDefault();
      searchRef.current?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div class="library-toolbar" role="search" aria-label="Find videos">
      <div class={`search-field${searching ? ' is-searching' : ''}`}>
        <SearchIcon />
        <label class="visually-hidden" for="library-search">
          Search titles
        </label>
        <input
          id="library-search"
          ref={searchRef}
          class="input search-input"
          type="search"
          placeholder="Search titles and file names  ( / )"
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') onQuery({ ...queryRef.current, q: e.currentTarget.value });
            if (e.key === 'Escape' && text) {
              e.stopPropagation();
              setText('');
              onQuery({ ...queryRef.current, q: '' });
            }
          }}
          autocomplete="off"
          spellcheck={false}
        />
      </div>
      <label class="toolbar-option">
        <span class="visually-hidden">Status</span>
        <select
          class="select"
          value={query.status}
          onChange={(e) => onQuery({ ...queryRef.current, status: e.currentTarget.value as LibraryQuery['status'] })}
        >
          <option value="">All statuses</option>
          <option value="preparing">Preparing</option>
          <option value="ready">Ready</option>
          <option value="errored">Failed</option>
        </select>
      </label>
      <label class="toolbar-option">
        <span class="visually-hidden">Sort</span>
        <select
          class="select"
          value={query.order}
          onChange={(e) => onQuery({ ...queryRef.current, order: e.currentTarget.value as SortOrder })}
        >
          <option value="desc">Newest first</option>
          <option value="asc">Oldest first</option>
        </select>
      </label>
      <div class="layout-switch" role="group" aria-label="Show as">
        <button
          type="button"
          class="icon-button"
          aria-pressed={layout === 'grid'}
          aria-label="Grid"
          title="Grid"
          onClick={() => onLayout('grid')}
        >
          <LibraryIcon />
        </button>
        <button
          type="button"
          class="icon-button"
          aria-pressed={layout === 'list'}
          aria-label="List"
          title="List"
          onClick={() => onLayout('list')}
        >
          <ListIcon />
        </button>
      </div>
    </div>
  );
}
