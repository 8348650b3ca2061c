import { Component } from 'preact';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Asset } from '../api/types';
import { type LibraryQuery, type SortKey } from '../assetList';
import { formatBytes, formatCreatedAt, formatDuration, titleOf } from '../format';
import { rebuildLine } from '../masterSize';
import { hrefFor } from '../hooks/useRoute';
import type { Selection } from '../hooks/useSelection';
import { AssetCard, pictureLabel, ProgressText, RebuildFailedMark } from './AssetCard';
import type { LibraryLayout } from './LibraryToolbar';
import { StatusBadge } from './StatusBadge';
import { Thumbnail } from './Thumbnail';

/** Card text under the picture: fixed, so every row of the grid has one height to scroll by. */
export const CARD_BODY_HEIGHT = 108;
/** One row card (thumbnail beside the text) in a narrow window. */
const NARROW_ROW_HEIGHT = 96;
const LIST_ROW_HEIGHT = 56;
/** Rows rendered above and below what is on screen, so a quick scroll does not show blanks. */
const OVERSCAN_ROWS = 2;
/** Without layout (a test DOM, a hidden pane), assume a window of this size. */
const FALLBACK_WIDTH = 1000;
const FALLBACK_HEIGHT = 800;

export interface Geometry {
  cols: number;
  rowHeight: number;
  gap: number;
}

/** The grid's columns and row height for a width, as the CSS would lay it out with auto-fill. */
export function gridGeometry(width: number, layout: LibraryLayout, cardMin: number, viewport: number): Geometry {
  if (layout === 'list') return { cols: 1, rowHeight: LIST_ROW_HEIGHT, gap: 0 };
  if (viewport <= 520) return { cols: 1, rowHeight: NARROW_ROW_HEIGHT, gap: 8 };
  const gap = viewport <= 640 ? 12 : 16;
  const min = viewport <= 640 ? Math.min(cardMin, 160) : cardMin;
  const cols = Math.max(1, Math.floor((width + gap) / (min + gap)));
  const cardWidth = (width - gap * (cols - 1)) / cols;
  return { cols, rowHeight: Math.round((cardWidth * 9) / 16) + CARD_BODY_HEIGHT, gap };
}

/** The rows [first, last] on screen (plus overscan), from the grid's place in its scrolling pane. */
export function visibleRows(gridTop: number, paneHeight: number, pitch: number, rowCount: number): [number, number] {
  if (rowCount === 0) return [0, -1];
  const first = Math.max(0, Math.floor(-gridTop / pitch) - OVERSCAN_ROWS);
  const last = Math.min(rowCount - 1, Math.max(first, Math.ceil((paneHeight - gridTop) / pitch) + OVERSCAN_ROWS));
  return [Math.min(first, rowCount - 1), last];
}

const paneOf = (el: Element | null) => el?.closest<HTMLElement>('.library-pane') ?? null;

/** A card's link: the master's download link when one is active, else this video in Reelvault; and what to say. */
export function linkOf(asset: Asset): { url: string; copied: string } {
  const title = titleOf(asset);
  if (asset.master?.status === 'ready' && asset.master.url) return { url: asset.master.url, copied: `Copied the download link of “${title}”.` };
  const here = `${window.location.origin}${window.location.pathname}`;
  return { url: here + hrefFor({ page: 'asset', id: asset.id }), copied: `Copied a link to “${title}” in Reelvault.` };
}

export type CardCommand = 'play' | 'delete' | 'copy' | 'menu';

interface Props {
  assets: Asset[];
  /** How many videos the list holds on the server (placeholders stand for those not loaded yet). */
  total: number;
  layout: LibraryLayout;
  cardMin: number;
  selectedId: string | undefined;
  selection: Selection;
  query: LibraryQuery;
  onSort: (sort: SortKey, order: 'asc' | 'desc') => void;
  stale: boolean;
  hasMore: boolean;
  loadingMore: boolean;
  loadMore: () => Promise<void>;
  /** A keyboard or menu command on the card at `index` (the menu opens at x, y). */
  onCommand: (command: CardCommand, asset: Asset, at: { x: number; y: number }) => void;
}

/**
 * The library as a virtualised grid or list: only the rows on screen (and two either side) are
 * in the page, so 10,000 videos scroll as smoothly as 20. The grid's height stands for every
 * video the server counts; rows not loaded yet show placeholders and are fetched as they near
 * the screen. Arrow keys move between cards by row and column.
 */
export function AssetGrid(props: Props) {
  const { assets, total, layout, cardMin, selectedId, selection, stale } = props;
  const ulRef = useRef<HTMLUListElement>(null);
  const [width, setWidth] = useState(FALLBACK_WIDTH);
  const [viewport, setViewport] = useState(() => (typeof window === 'undefined' ? 1280 : window.innerWidth || 1280));
  const geometry = gridGeometry(width, layout, cardMin, viewport);
  const { cols, rowHeight, gap } = geometry;
  const pitch = rowHeight + gap;
  const count = Math.max(assets.length, total);
  const rowCount = Math.ceil(count / cols);
  const [range, setRange] = useState<[number, number]>(() => visibleRows(0, FALLBACK_HEIGHT, pitch, rowCount));
  const pendingFocus = useRef<number | null>(null);
  const [, setFocusTick] = useState(0);

  // Width of the grid (a resize, the asset panel opening) and of the window (the CSS breakpoints).
  useLayoutEffect(() => {
    const ul = ulRef.current;
    if (!ul) return;
    const measure = () => {
      const w = ul.clientWidth;
      if (w > 0) setWidth(w);
      if (window.innerWidth > 0) setViewport(window.innerWidth);
    };
    measure();
    if (typeof ResizeObserver !== 'function') return;
    const observer = new ResizeObserver(measure);
    observer.observe(ul);
    return () => observer.disconnect();
  }, []);

  const computeRange = useCallback(() => {
    const ul = ulRef.current;
    const pane = paneOf(ul);
    if (!ul || !pane || pane.clientHeight === 0) return; // no layout: keep what is shown
    const top = ul.getBoundingClientRect().top - pane.getBoundingClientRect().top;
    const next = visibleRows(top, pane.clientHeight, pitch, rowCount);
    setRange((prev) => (prev[0] === next[0] && prev[1] === next[1] ? prev : next));
  }, [pitch, rowCount]);

  useLayoutEffect(computeRange, [computeRange]);
  useEffect(() => {
    const pane = paneOf(ulRef.current);
    if (!pane) return;
    let frame = 0;
    const onScroll = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        computeRange();
      });
    };
    pane.addEventListener('scroll', onScroll, { passive: true });
    window.addEventListener('resize', onScroll);
    // What sits above the grid changes height without a scroll (a finished upload list
    // folding away, the selection bar, a banner): the grid moves, so the rows on screen change.
    const content = ulRef.current?.parentElement;
    const observer = content && typeof ResizeObserver === 'function' ? new ResizeObserver(onScroll) : undefined;
    if (content) observer?.observe(content);
    return () => {
      cancelAnimationFrame(frame);
      observer?.disconnect();
      pane.removeEventListener('scroll', onScroll);
      window.removeEventListener('resize', onScroll);
    };
  }, [computeRange]);

  // Fetch the next page as the loaded end nears the screen (once per length: a page that adds
  // nothing does not ask again until the list grows).
  const askedAt = useRef(-1);
  const [first, last] = range;
  const wantUpTo = (last + 1) * cols;
  useEffect(() => {
    if (!props.hasMore || props.loadingMore || stale) return;
    if (wantUpTo < assets.length - cols * OVERSCAN_ROWS || askedAt.current === assets.length) return;
    askedAt.current = assets.length;
    void props.loadMore();
  }, [wantUpTo, assets.length, props.hasMore, props.loadingMore, stale]);

  /** Scrolls the pane so the card at `index` is on screen, below the sticky toolbar. */
  const reveal = useCallback(
    (index: number) => {
      const ul = ulRef.current;
      const pane = paneOf(ul);
      if (!ul || !pane || pane.clientHeight === 0) return;
      const row = Math.floor(index / cols);
      const paneTop = pane.getBoundingClientRect().top;
      const top = ul.getBoundingClientRect().top - paneTop + pane.scrollTop + row * pitch;
      const sticky = pane.querySelector<HTMLElement>('.library-sticky');
      const covered = sticky ? Math.max(0, sticky.getBoundingClientRect().bottom - paneTop) : 0;
      if (top - covered < pane.scrollTop) pane.scrollTop = Math.max(0, top - covered - 8);
      else if (top + rowHeight > pane.scrollTop + pane.clientHeight) pane.scrollTop = top + rowHeight - pane.clientHeight + 8;
      computeRange();
    },
    [cols, pitch, rowHeight, computeRange],
  );

  const focusIndex = useCallback(
    (index: number) => {
      reveal(index);
      const card = ulRef.current?.querySelector<HTMLElement>(`li[data-index="${index}"] .asset-card`);
      if (card) {
        card.focus({ preventScroll: true });
        return;
      }
      // Not in the page yet: focus it once the rows around it render.
      pendingFocus.current = index;
      setFocusTick((n) => n + 1);
    },
    [reveal],
  );

  // After each render: a card asked to take the focus does, once it is in the page.
  useEffect(() => {
    const index = pendingFocus.current;
    if (index === null) return;
    const card = ulRef.current?.querySelector<HTMLElement>(`li[data-index="${index}"] .asset-card`);
    if (card) {
      pendingFocus.current = null;
      card.focus({ preventScroll: true });
    }
  });

  // The video shown in the panel stays in view as the grid narrows; when the panel closes,
  // focus goes back to its card (not to the page's body).
  const assetsRef = useRef(assets);
  assetsRef.current = assets;
  const lastSelected = useRef(selectedId);
  const returnTo = useRef<string | undefined>(undefined);
  useEffect(() => {
    const previous = lastSelected.current;
    lastSelected.current = selectedId;
    if (!selectedId && previous) {
      // The panel has just closed and the grid is wider already, but its columns are still the
      // narrow ones: measure now and focus once the rows are laid out anew (else the card is
      // scrolled to by the old rows, is not drawn, and the focus falls to the page).
      const w = ulRef.current?.clientWidth ?? 0;
      if (w > 0 && w !== width) {
        returnTo.current = previous;
        setWidth(w);
        return;
      }
    }
    const back = selectedId ? undefined : (previous ?? returnTo.current);
    returnTo.current = undefined;
    const id = selectedId ?? back;
    if (!id) return;
    const index = assetsRef.current.findIndex((a) => a.id === id);
    if (index < 0) return;
    if (selectedId) reveal(index);
    else focusIndex(index);
  }, [selectedId, cols, rowHeight, width]);

  function onKeyDown(event: KeyboardEvent) {
    const target = event.target as HTMLElement;
    const li = target.closest<HTMLElement>('li[data-index]');
    if (!li || target.closest('.context-menu')) return;
    const index = Number(li.dataset.index);
    const asset = assets[index];
    if (!asset) return;
    const mod = event.metaKey || event.ctrlKey;
    const loadedLast = assets.length - 1;
    const go = (to: number) => focusIndex(Math.max(0, Math.min(loadedLast, to)));
    const rect = li.getBoundingClientRect();
    const at = { x: rect.left + 24, y: rect.top + 24 };
    const onCheckbox = target.matches('input');
    switch (event.key) {
      case 'ArrowRight':
        if (cols === 1) return;
        go(index + 1);
        break;
      case 'ArrowLeft':
        if (cols === 1) return;
        go(index - 1);
        break;
      case 'ArrowDown':
        go(index + cols);
        break;
      case 'ArrowUp':
        go(index - cols);
        break;
      case 'PageDown':
      case 'PageUp': {
        const pane = paneOf(ulRef.current);
        const rows = Math.max(1, Math.floor((pane?.clientHeight ?? FALLBACK_HEIGHT) / pitch) - 1);
        go(index + (event.key === 'PageDown' ? 1 : -1) * rows * cols);
        break;
      }
      case 'Home':
        go(0);
        break;
      case 'End':
        go(loadedLast);
        break;
      case ' ':
        if (onCheckbox) return; // Space ticks the box
        props.onCommand('play', asset, at);
        break;
      case 'Delete':
      case 'Backspace':
        props.onCommand('delete', asset, at);
        break;
      case 'ContextMenu':
        props.onCommand('menu', asset, at);
        break;
      case 'F10':
        if (!event.shiftKey) return;
        props.onCommand('menu', asset, at);
        break;
      case 'c':
      case 'C':
        if (!mod || window.getSelection()?.toString()) return;
        props.onCommand('copy', asset, at);
        break;
      case 'a':
      case 'A':
        if (!mod) return;
        selection.set(assets.map((a) => a.id));
        break;
      default:
        return;
    }
    event.preventDefault();
  }

  const from = first * cols;
  const to = Math.min(count, (last + 1) * cols);
  const items = [];
  for (let i = from; i < to; i++) {
    const asset = assets[i];
    items.push(
      asset ? (
        <li key={asset.id} data-index={i} data-id={asset.id}>
          <Card
            asset={asset}
            layout={layout}
            selected={asset.id === selectedId}
            checked={selection.checked.has(asset.id)}
            onPick={selection.pick}
            onMenu={(e) => {
              e.preventDefault();
              props.onCommand('menu', asset, { x: e.clientX, y: e.clientY });
            }}
          />
        </li>
      ) : (
        <li key={`slot-${i}`} class="card-slot" aria-hidden="true" />
      ),
    );
  }
  const height = Math.max(0, rowCount * pitch - gap);
  return (
    <>
      {layout === 'list' && <ListHead query={props.query} onSort={props.onSort} />}
      <ul
        ref={ulRef}
        class={`asset-grid is-virtual${selection.checked.size > 0 ? ' has-checked' : ''}${layout === 'list' ? ' is-list' : ''}${stale ? ' is-stale' : ''}`}
        aria-label="Videos"
        aria-busy={stale}
        data-cols={cols}
        style={{
          height: `${height}px`,
          paddingTop: `${first * pitch}px`,
          gridTemplateColumns: `repeat(${cols}, minmax(0, 1fr))`,
          gridAutoRows: `${rowHeight}px`,
          gap: `${gap}px`,
        }}
        onKeyDown={onKeyDown}
      >
        {items}
      </ul>
    </>
  );
}

interface CardProps {
  asset: Asset;
  layout: LibraryLayout;
  selected: boolean;
  checked: boolean;
  onPick: (id: string, how: 'toggle' | 'range') => void;
  onMenu: (event: MouseEvent) => void;
}

/**
 * Unchanged assets keep their object, so a new page or a progress tick re-renders only the cards
 * that changed (memo without preact/compat).
 */
class Card extends Component<CardProps> {
  override shouldComponentUpdate(next: CardProps) {
    const p = this.props;
    return next.asset !== p.asset || next.selected !== p.selected || next.checked !== p.checked || next.layout !== p.layout;
  }

  override render() {
    const { asset, layout, selected, checked, onPick, onMenu } = this.props;
    return (
      <div
        class={`card-wrap${checked ? ' is-checked' : ''}`}
        onContextMenu={onMenu}
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
        {layout === 'list' ? <AssetRow asset={asset} selected={selected} /> : <AssetCard asset={asset} selected={selected} />}
      </div>
    );
  }
}

/** The list's columns; those with a key sort on the server. */
const COLUMNS: { label: string; key?: SortKey; first: 'asc' | 'desc'; className: string }[] = [
  { label: 'Name', key: 'name', first: 'asc', className: 'col-name' },
  { label: 'Duration', key: 'duration', first: 'desc', className: 'col-duration' },
  { label: 'Picture', key: 'resolution', first: 'desc', className: 'col-picture' },
  { label: 'Codec', first: 'asc', className: 'col-codec' },
  { label: 'Size', key: 'size', first: 'desc', className: 'col-size' },
  { label: 'Recorded', key: 'captured', first: 'desc', className: 'col-captured' },
  { label: 'Added', key: 'created_at', first: 'desc', className: 'col-added' },
  { label: 'Status', first: 'asc', className: 'col-status' },
];

function ListHead({ query, onSort }: { query: LibraryQuery; onSort: (sort: SortKey, order: 'asc' | 'desc') => void }) {
  return (
    <div class="list-head" role="group" aria-label="Sort by column">
      <span class="col-thumb" />
      {COLUMNS.map((c) => {
        const active = c.key !== undefined && query.sort === c.key;
        const sort = active ? (query.order === 'asc' ? 'ascending' : 'descending') : undefined;
        return c.key ? (
          <button
            key={c.label}
            type="button"
            class={`list-sort ${c.className}${active ? ' is-active' : ''}`}
            aria-label={`Sort by ${c.label.toLowerCase()}${sort ? `, now ${sort}` : ''}`}
            onClick={() => onSort(c.key!, active ? (query.order === 'asc' ? 'desc' : 'asc') : c.first)}
          >
            {c.label}
            {active && <span aria-hidden="true">{query.order === 'asc' ? ' ▲' : ' ▼'}</span>}
          </button>
        ) : (
          <span key={c.label} class={c.className}>
            {c.label}
          </span>
        );
      })}
    </div>
  );
}

/** A video as a list row: the columns of ListHead. */
function AssetRow({ asset, selected }: { asset: Asset; selected: boolean }) {
  const codecs = [asset.master_codecs?.video, asset.master_codecs?.audio].filter(Boolean).join(' · ');
  const preparing = asset.status === 'preparing' && !asset.is_live;
  return (
    <a
      class={`asset-card asset-row${selected ? ' is-selected' : ''}`}
      href={hrefFor({ page: 'asset', id: asset.id })}
      aria-current={selected ? 'true' : undefined}
      data-testid="asset-card"
    >
      <span class="thumb col-thumb">
        <Thumbnail asset={asset} />
      </span>
      {asset.rebuild || preparing ? (
        <span class="col-name col-name-with-line">
          <span class="card-title" title={titleOf(asset)}>
            {titleOf(asset)}
          </span>
          {asset.rebuild?.state === 'failed' ? (
            <RebuildFailedMark asset={asset} />
          ) : asset.rebuild ? (
            <span class="row-line" data-testid="card-rebuild">
              {rebuildLine(asset)}
            </span>
          ) : (
            <ProgressText asset={asset} class="row-line" testId="row-progress" />
          )}
        </span>
      ) : (
        <span class="card-title col-name" title={titleOf(asset)}>
          {titleOf(asset)}
        </span>
      )}
      <span class="col-duration">{asset.duration !== undefined ? formatDuration(asset.duration) : '—'}</span>
      <span class="col-picture">{pictureLabel(asset) ?? '—'}</span>
      <span class="col-codec">{codecs || '—'}</span>
      <span class="col-size">{asset.master_size !== undefined ? formatBytes(asset.master_size) : '—'}</span>
      <span class="col-captured">{asset.captured_at ? formatCreatedAt(asset.captured_at) : '—'}</span>
      <span class="col-added">{formatCreatedAt(asset.created_at)}</span>
      <span class="col-status">
        <StatusBadge status={asset.status} />
      </span>
    </a>
  );
}
