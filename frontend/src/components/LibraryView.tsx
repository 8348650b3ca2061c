import { Component } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Asset } from '../api/types';
import { DEFAULT_QUERY, isFiltered } from '../assetList';
import type { Adder } from '../hooks/useAdder';
import { titleOf } from '../format';
import type { AssetList } from '../hooks/useAssetList';
import { useScrollToTop } from '../hooks/useScrollToTop';
import { AddPanel } from './AddPanel';
import { AssetCard } from './AssetCard';
import { EmptyState } from './EmptyState';
import { AlertIcon } from './icons';
import { type LibraryLayout, LibraryToolbar } from './LibraryToolbar';
import { SelectionBar } from './SelectionBar';

interface Props {
  list: AssetList;
  adder: Adder;
  selectedId: string | undefined;
}

const LAYOUT_KEY = 'reelvault.libraryLayout';

/**
 * Unchanged assets keep their object, so a new page or a progress tick re-renders only the cards
 * that changed (memo without preact/compat).
 */
class Card extends Component<CardProps> {
  override shouldComponentUpdate(next: CardProps) {
    return next.asset !== this.props.asset || next.selected !== this.props.selected || next.checked !== this.props.checked;
  }

  override render() {
    const { asset, selected, checked, onPick } = this.props;
    return (
      <div
        class={`card-wrap${checked ? ' is-checked' : ''}`}
        onClickCapture={(e) => {
          // Cmd/Ctrl-click and Shift-click select instead of opening.
          if (e.metaKey || e.ctrlKey || e.shiftKey) {
            e.preventDefault();
            e.stopPropagation();
            onPick(asset.id, e.shiftKey ? 'range' : 'toggle');
          }
        }}
      >
        <input
          type="checkbox"
          class="card-check"
          checked={checked}
          aria-label={`Select ${titleOf(asset)}`}
          onClick={(e) => {
            e.stopPropagation();
            onPick(asset.id, e.shiftKey ? 'range' : 'toggle');
          }}
        />
        <AssetCard asset={asset} selected={selected} />
      </div>
    );
  }
}

interface CardProps {
  asset: Asset;
  selected: boolean;
  checked: boolean;
  onPick: (id: string, how: 'toggle' | 'range') => void;
}

/** The checked cards: click/Cmd/Ctrl toggles one, Shift extends from the last one picked. */
function useSelection(assets: Asset[]) {
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set());
  const anchor = useRef<string | null>(null);
  const assetsRef = useRef(assets);
  assetsRef.current = assets;
  // Deleted or filtered-out videos leave the selection.
  useEffect(() => {
    setChecked((prev) => {
      if (prev.size === 0) return prev;
      const shown = new Set(assets.map((a) => a.id));
      const kept = [...prev].filter((id) => shown.has(id));
      return kept.length === prev.size ? prev : new Set(kept);
    });
  }, [assets]);
  const pick = useCallback((id: string, how: 'toggle' | 'range') => {
    setChecked((prev) => {
      const next = new Set(prev);
      const list = assetsRef.current;
      const from = anchor.current ? list.findIndex((a) => a.id === anchor.current) : -1;
      const to = list.findIndex((a) => a.id === id);
      if (how === 'range' && from >= 0 && to >= 0) {
        for (const a of list.slice(Math.min(from, to), Math.max(from, to) + 1)) next.add(a.id);
      } else if (next.has(id)) {
        next.delete(id);
      } else {
        next.add(id);
      }
      return next;
    });
    anchor.current = id;
  }, []);
  return {
    checked,
    pick,
    selectAll: () => setChecked(new Set(assetsRef.current.map((a) => a.id))),
    clear: () => setChecked(new Set()),
  };
}

export function LibraryView({ list, adder, selectedId }: Props) {
  const [layout, setLayout] = useLayout();
  const rootRef = useRef<HTMLDivElement>(null);
  useScrollToTop(rootRef, '.library-pane');
  const count = list.assets.length;
  const filtered = isFiltered(list.query);
  // The server's total when it gives one ("214 videos"); else what is loaded, "+" while more pages wait.
  const shownTotal = list.total ?? count;
  const selection = useSelection(list.assets);
  return (
    <div class="library" ref={rootRef}>
      <header class="page-header">
        <h1>Library</h1>
        {count > 0 && (
          <span class="page-count">
            {shownTotal.toLocaleString('en-US')}
            {list.total === null && list.hasMore ? '+' : ''} {shownTotal === 1 ? 'video' : 'videos'}
            {filtered ? ' found' : ''}
          </span>
        )}
      </header>
      <AddPanel adder={adder} />
      {(count > 0 || filtered) && (
        <LibraryToolbar query={list.query} onQuery={list.setQuery} layout={layout} onLayout={setLayout} searching={list.searching} />
      )}
      {selection.checked.size > 0 && (
        <SelectionBar
          count={selection.checked.size}
          loaded={count}
          ids={() => [...selection.checked]}
          onSelectAll={selection.selectAll}
          onClear={selection.clear}
          onDeleted={list.remove}
        />
      )}
      {list.error && (
        <div class="banner banner-error" role="alert">
          <AlertIcon /> {list.error}
        </div>
      )}
      {!list.loaded ? (
        <p class="muted loading">Loading your archive…</p>
      ) : count === 0 ? (
        list.error ? null : filtered ? (
          <NoMatch list={list} />
        ) : (
          <EmptyState />
        )
      ) : (
        <ul class={`asset-grid${selection.checked.size > 0 ? ' has-checked' : ''}${layout === 'list' ? ' is-list' : ''}${list.searching ? ' is-stale' : ''}`} aria-label="Videos" aria-busy={list.searching}>
          {list.assets.map((asset) => (
            <li key={asset.id}>
              <Card asset={asset} selected={asset.id === selectedId} checked={selection.checked.has(asset.id)} onPick={selection.pick} />
            </li>
          ))}
        </ul>
      )}
      {list.hasMore && <LoadMore list={list} />}
    </div>
  );
}

/** A search or filter with nothing in it: say what was looked for and how to get back. */
function NoMatch({ list }: { list: AssetList }) {
  const { q, status } = list.query;
  const statusWord = status === 'errored' ? 'failed' : status;
  return (
    <div class="empty-state empty-search" role="status">
      <h2>No videos found</h2>
      <p>
        {q.trim() ? (
          <>
            Nothing{statusWord ? ` ${statusWord}` : ''} has “{q.trim()}” in its title or file name.
          </>
        ) : status && !list.query.source && !list.query.codec && !list.query.resolution ? (
          <>No video is {statusWord === 'preparing' ? 'being prepared' : statusWord} right now.</>
        ) : (
          <>No video matches these filters.</>
        )}
      </p>
      <button type="button" class="button" onClick={() => list.setQuery({ ...DEFAULT_QUERY, order: list.query.order, sort: list.query.sort })}>
        Show all videos
      </button>
    </div>
  );
}

/**
 * "Load more" as a button (keyboard, and browsers without IntersectionObserver), pressed by
 * itself when the user scrolls near the end: pages of 50 keep a 5,000-video archive quick.
 */
function LoadMore({ list }: { list: AssetList }) {
  const ref = useRef<HTMLDivElement>(null);
  const loadRef = useRef(list.loadMore);
  loadRef.current = list.loadMore;
  const busy = list.loadingMore || list.searching;

  useEffect(() => {
    const node = ref.current;
    if (!node || busy || typeof IntersectionObserver !== 'function') return;
    // A new observer after each page reports at once if the end is still in view.
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && void loadRef.current(), {
      rootMargin: '600px 0px',
    });
    observer.observe(node);
    return () => observer.disconnect();
  }, [busy, list.assets.length]);

  return (
    <div class="load-more" ref={ref}>
      <button type="button" class="button" onClick={() => void list.loadMore()} disabled={busy}>
        {list.loadingMore ? 'Loading…' : 'Load more'}
      </button>
    </div>
  );
}

function useLayout(): [LibraryLayout, (layout: LibraryLayout) => void] {
  const [layout, setLayout] = useState<LibraryLayout>(() => {
    try {
      return localStorage.getItem(LAYOUT_KEY) === 'list' ? 'list' : 'grid';
    } catch {
      return 'grid';
    }
  });
  return [
    layout,
    (next) => {
      setLayout(next);
      try {
        localStorage.setItem(LAYOUT_KEY, next);
      } catch {
        // Unavailable storage: the choice lasts for this session.
      }
    },
  ];
}
