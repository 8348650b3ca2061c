import { useEffect, useRef, useState } from 'preact/hooks';
import type { LibraryQuery, ResolutionFilter, SortKey, SortOrder } from '../assetList';
import { useDebouncedEffect } from '../hooks/useDebounced';
import { LibraryIcon, ListIcon, SearchIcon } from './icons';

export type LibraryLayout = 'grid' | 'list';

/** The thumbnail size slider's range: the grid's smallest card width, in px. */
export const CARD_SIZE = { min: 150, max: 360, default: 210 };

/** Typing pauses this long before the server is asked: one request per word, not per key. */
export const SEARCH_DEBOUNCE_MS = 300;

interface Props {
  query: LibraryQuery;
  onQuery: (query: LibraryQuery) => void;
  searching: boolean;
}

interface LayoutProps {
  layout: LibraryLayout;
  onLayout: (layout: LibraryLayout) => void;
  /** The grid's smallest card width in px (the thumbnail size slider). */
  cardSize: number;
  onCardSize: (px: number) => void;
}

/** The sorts offered, each a server order_by and direction, in words an editor uses. */
export const SORTS: { key: SortKey; order: SortOrder; label: string }[] = [
  { key: 'created_at', order: 'desc', label: 'Newest first' },
  { key: 'created_at', order: 'asc', label: 'Oldest first' },
  { key: 'name', order: 'asc', label: 'Name A–Z' },
  { key: 'name', order: 'desc', label: 'Name Z–A' },
  { key: 'duration', order: 'desc', label: 'Longest first' },
  { key: 'duration', order: 'asc', label: 'Shortest first' },
  { key: 'size', order: 'desc', label: 'Largest file first' },
  { key: 'size', order: 'asc', label: 'Smallest file first' },
  { key: 'resolution', order: 'desc', label: 'Largest picture first' },
  { key: 'resolution', order: 'asc', label: 'Smallest picture first' },
  { key: 'captured', order: 'desc', label: 'Recorded, newest first' },
  { key: 'captured', order: 'asc', label: 'Recorded, oldest first' },
];

const SOURCES: [string, string][] = [
  ['', 'All sources'],
  ['file', 'Files'],
  ['upload', 'Uploads'],
  ['url', 'URLs'],
  ['watch', 'Watch folders'],
  ['live', 'Live'],
];
const RESOLUTIONS: [ResolutionFilter, string][] = [
  ['', 'Any picture size'],
  ['4k', '4K and up'],
  ['full_hd', '1920 wide and up'],
  ['hd', '1280–1919 wide'],
  ['sd', 'Under 1280 wide'],
  ['audio', 'Audio only'],
];
const CODECS: [string, string][] = [
  ['', 'Any codec'],
  ['h264', 'H.264'],
  ['hevc', 'HEVC'],
  ['prores', 'ProRes'],
  ['av1', 'AV1'],
  ['vp9', 'VP9'],
  ['aac', 'AAC'],
];

/** Search, filters and sort above the library. */
export function LibraryToolbar({ query, onQuery, searching }: Props) {
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
          placeholder="Search by name  ( / )"
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
          data-testid="library-sort"
          value={`${query.sort}:${query.order}`}
          onChange={(e) => {
            const [sort, order] = e.currentTarget.value.split(':') as [SortKey, SortOrder];
            onQuery({ ...queryRef.current, sort, order });
          }}
        >
          {SORTS.map((s) => (
            <option key={`${s.key}:${s.order}`} value={`${s.key}:${s.order}`}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
      <FilterSelect label="Source" value={query.source} options={SOURCES} onChange={(source) => onQuery({ ...queryRef.current, source })} />
      <FilterSelect
        label="Picture size"
        value={query.resolution}
        options={RESOLUTIONS}
        onChange={(resolution) => onQuery({ ...queryRef.current, resolution })}
      />
      <FilterSelect label="Codec" value={query.codec} options={CODECS} onChange={(codec) => onQuery({ ...queryRef.current, codec })} />
    </div>
  );
}

/** Grid or list, and the grid's thumbnail size: beside the page title, set once and kept. */
export function LayoutControls({ layout, onLayout, cardSize, onCardSize }: LayoutProps) {
  return (
    <div class="layout-controls">
      {layout === 'grid' && (
        <label class="card-size" title="Thumbnail size">
          <span class="visually-hidden">Thumbnail size</span>
          <input
            type="range"
            min={CARD_SIZE.min}
            max={CARD_SIZE.max}
            step={10}
            value={cardSize}
            onInput={(e) => onCardSize(Number(e.currentTarget.value))}
          />
        </label>
      )}
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

function FilterSelect<T extends string>({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: T;
  options: [T, string][];
  onChange: (value: T) => void;
}) {
  return (
    <label class="toolbar-option">
      <span class="visually-hidden">{label}</span>
      <select class="select" value={value} onChange={(e) => onChange(e.currentTarget.value as T)}>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}
