import type { Adder } from '../hooks/useAdder';
import type { AssetList } from '../hooks/useAssetList';
import { AddPanel } from './AddPanel';
import { AssetCard } from './AssetCard';
import { EmptyState } from './EmptyState';
import { AlertIcon } from './icons';

interface Props {
  list: AssetList;
  adder: Adder;
  selectedId: string | undefined;
}

export function LibraryView({ list, adder, selectedId }: Props) {
  const count = list.assets.length;
  return (
    <div class="library">
      <header class="page-header">
        <h1>Library</h1>
        {count > 0 && (
          <span class="page-count">
            {count}
            {list.hasMore ? '+' : ''} {count === 1 ? 'video' : 'videos'}
          </span>
        )}
      </header>
      <AddPanel adder={adder} />
      {list.error && (
        <div class="banner banner-error" role="alert">
          <AlertIcon /> {list.error}
        </div>
      )}
      {!list.loaded ? (
        <p class="muted loading">Loading your archive…</p>
      ) : count === 0 ? (
        !list.error && <EmptyState />
      ) : (
        <ul class="asset-grid" aria-label="Videos">
          {list.assets.map((asset) => (
            <li key={asset.id}>
              <AssetCard asset={asset} selected={asset.id === selectedId} />
            </li>
          ))}
        </ul>
      )}
      {list.hasMore && (
        <div class="load-more">
          <button type="button" class="button" onClick={() => void list.loadMore()} disabled={list.loadingMore}>
            {list.loadingMore ? 'Loading…' : 'Load more'}
          </button>
        </div>
      )}
    </div>
  );
}
