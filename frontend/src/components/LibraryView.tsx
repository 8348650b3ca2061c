import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Asset } from '../api/types';
import { DEFAULT_QUERY, isFiltered, type SortKey } from '../assetList';
import { allMatching } from '../bulk';
import { copyText, revealInFolder } from '../desktop';
import { titleOf } from '../format';
import type { Adder } from '../hooks/useAdder';
import type { AssetList } from '../hooks/useAssetList';
import { navigate } from '../hooks/useRoute';
import { useScrollToTop } from '../hooks/useScrollToTop';
import { useSelection } from '../hooks/useSelection';
import { useNotify } from '../hooks/useToasts';
import { requestPlay } from '../playRequest';
import { AddPanel } from './AddPanel';
import { AssetGrid, type CardCommand, linkOf } from './AssetGrid';
import { AssetMenu, DeleteDialog, type MenuAction, RenameDialog } from './AssetMenu';
import { ChangeSizeDialog } from './ChangeSize';
import { EmptyState } from './EmptyState';
import { AlertIcon } from './icons';
import { CARD_SIZE, LayoutControls, type LibraryLayout, LibraryToolbar } from './LibraryToolbar';
import { SelectionBar } from './SelectionBar';
import { fileChoicesFor, ShareDialog } from './ShareDialog';

interface Props {
  list: AssetList;
  adder: Adder;
  selectedId: string | undefined;
}

const LAYOUT_KEY = 'reelvault.libraryLayout';
const CARD_SIZE_KEY = 'reelvault.cardSize';

/** A dialog or menu opened from a card. */
type Overlay =
  | { kind: 'menu'; asset: Asset; x: number; y: number }
  | { kind: 'share'; ids: string[]; titles: string[]; assets: Asset[] }
  | { kind: 'rename'; asset: Asset }
  | { kind: 'size'; ids: string[]; asset: Asset }
  | { kind: 'delete'; ids: string[]; title: string };

export function LibraryView({ list, adder, selectedId }: Props) {
  const [layout, setLayout] = useStored<LibraryLayout>(LAYOUT_KEY, 'grid', (v) => (v === 'list' ? 'list' : 'grid'));
  const [cardSize, setCardSize] = useStored<number>(CARD_SIZE_KEY, CARD_SIZE.default, (v) => {
    const n = Number(v);
    return Number.isFinite(n) && n >= CARD_SIZE.min && n <= CARD_SIZE.max ? n : CARD_SIZE.default;
  });
  const rootRef = useRef<HTMLDivElement>(null);
  useScrollToTop(rootRef, '.library-pane');
  const notify = useNotify();
  const count = list.assets.length;
  const filtered = isFiltered(list.query);
  // The server's total when it gives one ("214 videos"); else what is loaded, "+" while more pages wait.
  const shownTotal = list.total ?? count;
  const selection = useSelection(list.assets);
  const [overlay, setOverlay] = useState<Overlay | null>(null);

  // A new search or filter starts a new selection: what was picked may no longer be shown.
  const queryKey = JSON.stringify({ ...list.query, q: list.query.q.trim() });
  useEffect(() => selection.clear(), [queryKey]);

  const removed = useCallback(
    (id: string) => {
      list.remove(id);
      selection.drop(id);
    },
    [list.remove, selection.drop],
  );

  const byId = (id: string) => list.assets.find((a) => a.id === id);
  const nameOf = (id: string) => {
    const a = byId(id);
    return a ? titleOf(a) : 'A video not loaded here';
  };
  const titlesOf = (ids: string[]) => ids.map((id) => byId(id)).filter((a): a is Asset => Boolean(a)).map(titleOf);
  // Share and Delete from one card act on the whole selection when the card is part of it.
  const targetIds = (asset: Asset) => (selection.checked.has(asset.id) && selection.checked.size > 1 ? [...selection.checked] : [asset.id]);

  async function copyLink(asset: Asset) {
    const { url, copied } = linkOf(asset);
    try {
      await copyText(url);
      notify('info', copied);
    } catch (err) {
      notify('error', err instanceof Error ? err.message : String(err));
    }
  }

  function run(action: MenuAction | CardCommand, asset: Asset, at = { x: 0, y: 0 }) {
    const ids = targetIds(asset);
    switch (action) {
      case 'menu':
        setOverlay({ kind: 'menu', asset, ...at });
        return;
      case 'open':
        setOverlay(null);
        navigate({ page: 'asset', id: asset.id });
        return;
      case 'play':
        // A video still being made, or failed, has nothing to play: Space opens its panel, which
        // says how far it is or why it failed, instead of doing nothing.
        setOverlay(null);
        if (asset.status === 'ready') requestPlay(asset.id);
        navigate({ page: 'asset', id: asset.id });
        return;
      case 'share':
        setOverlay({ kind: 'share', ids, titles: titlesOf(ids), assets: ids.map((id) => byId(id)).filter((a): a is Asset => Boolean(a)) });
        return;
      case 'copy':
        setOverlay(null);
        void copyLink(asset);
        return;
      case 'reveal':
        setOverlay(null);
        revealInFolder(asset.id).catch((err) => notify('error', `Could not open the folder: ${err instanceof Error ? err.message : String(err)}`));
        return;
      case 'rename':
        setOverlay({ kind: 'rename', asset });
        return;
      case 'size':
        setOverlay({ kind: 'size', ids, asset });
        return;
      case 'delete':
        setOverlay({ kind: 'delete', ids, title: titleOf(asset) });
        return;
    }
  }

  // Closing a menu or dialog puts the focus back on the card it was opened from.
  const closeOverlay = () => {
    const id = overlay && 'asset' in overlay ? overlay.asset.id : undefined;
    setOverlay(null);
    if (id) requestAnimationFrame(() => document.querySelector<HTMLElement>(`li[data-id="${CSS.escape(id)}"] .asset-card`)?.focus());
  };

  const onSort = (sort: SortKey, order: 'asc' | 'desc') => list.setQuery({ ...list.query, sort, order });

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
        {(count > 0 || filtered) && <LayoutControls layout={layout} onLayout={setLayout} cardSize={cardSize} onCardSize={setCardSize} />}
      </header>
      <AddPanel adder={adder} />
      <div class="library-sticky">
        {(count > 0 || filtered) && (
          <LibraryToolbar query={list.query} onQuery={list.setQuery} searching={list.searching} />
        )}
        {selection.checked.size > 0 && (
          <SelectionBar
            count={selection.checked.size}
            loaded={count}
            matching={list.total}
            ids={() => [...selection.checked]}
            titles={() => titlesOf([...selection.checked])}
            nameOf={nameOf}
            onSelectAll={() => selection.set(list.assets.map((a) => a.id))}
            onSelectMatching={async () => selection.set((await allMatching(list.query)).map((a) => a.id))}
            onClear={selection.clear}
            onDeleted={removed}
            onChanged={list.upsert}
          />
        )}
      </div>
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
        <AssetGrid
          assets={list.assets}
          total={list.total ?? count}
          layout={layout}
          cardMin={cardSize}
          selectedId={selectedId}
          selection={selection}
          query={list.query}
          onSort={onSort}
          stale={list.searching}
          // Without a total the Load more sentinel below fetches pages; with one, the grid does.
          hasMore={list.hasMore && list.total !== null}
          loadingMore={list.loadingMore}
          loadMore={list.loadMore}
          onCommand={(command, asset, at) => run(command, asset, at)}
        />
      )}
      {list.hasMore && list.total === null && <LoadMore list={list} />}
      {overlay?.kind === 'menu' && (
        <AssetMenu
          asset={overlay.asset}
          count={targetIds(overlay.asset).length}
          x={overlay.x}
          y={overlay.y}
          onAction={(action) => run(action, overlay.asset)}
          onClose={closeOverlay}
        />
      )}
      {overlay?.kind === 'share' && <ShareDialog assetIds={overlay.ids} titles={overlay.titles} fileChoices={fileChoicesFor(overlay.assets)} onClose={() => setOverlay(null)} />}
      {overlay?.kind === 'rename' && <RenameDialog asset={overlay.asset} onDone={list.upsert} onClose={closeOverlay} />}
      {overlay?.kind === 'size' && (
        <ChangeSizeDialog
          ids={overlay.ids}
          nameOf={nameOf}
          asset={overlay.ids.length === 1 ? overlay.asset : undefined}
          onChanged={list.upsert}
          onClose={closeOverlay}
        />
      )}
      {overlay?.kind === 'delete' && <DeleteDialog ids={overlay.ids} title={overlay.title} onDeleted={removed} onClose={() => setOverlay(null)} />}
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

/** A view choice kept across sessions (localStorage), read back through `parse`. */
function useStored<T extends string | number>(key: string, fallback: T, parse: (raw: string | null) => T): [T, (value: T) => void] {
  const [value, setValue] = useState<T>(() => {
    try {
      return parse(localStorage.getItem(key));
    } catch {
      return fallback;
    }
  });
  return [
    value,
    (next) => {
      setValue(next);
      try {
        localStorage.setItem(key, String(next));
      } catch {
        // Unavailable storage: the choice lasts for this session.
      }
    },
  ];
}
