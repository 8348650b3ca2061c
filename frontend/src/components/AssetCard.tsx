import type { Asset } from '../api/types';
import { asSentence, formatBytes, formatCreatedAt, formatDuration, isBusy, progressLabel, titleOf } from '../format';
import { hrefFor } from '../hooks/useRoute';
import { LinkIcon } from './icons';
import { ProgressBar } from './ProgressBar';
import { SourceBadge } from './SourceBadge';
import { StatusBadge } from './StatusBadge';
import { Thumbnail } from './Thumbnail';

export function tierLabel(asset: Asset): string | undefined {
  const tier = asset.resolution_tier;
  return tier === 'audio-only' ? 'Audio only' : tier;
}

export function AssetCard({ asset, selected }: { asset: Asset; selected: boolean }) {
  const title = titleOf(asset);
  const tier = tierLabel(asset);
  const preparing = asset.status === 'preparing';
  const linkReady = asset.master?.status === 'ready';
  return (
    <a
      class={`asset-card${selected ? ' is-selected' : ''}`}
      href={hrefFor({ page: 'asset', id: asset.id })}
      aria-current={selected ? 'true' : undefined}
      data-testid="asset-card"
    >
      <div class="thumb">
        <Thumbnail asset={asset} />
        {asset.duration !== undefined && <span class="thumb-duration">{formatDuration(asset.duration)}</span>}
      </div>
      <div class="card-body">
        <div class="card-title" title={title}>
          {title}
        </div>
        {asset.status === 'errored' ? (
          <div class="card-error">{asSentence(asset.errors?.messages?.[0] ?? '') || 'Could not be archived.'}</div>
        ) : preparing ? (
          <div class="card-progress">
            <ProgressBar value={asset.progress?.progress} label={progressLabel(asset)} compact />
            <span class="card-progress-text">
              {progressLabel(asset)}
              {asset.progress?.progress !== undefined && ` · ${Math.round(asset.progress.progress)}%`}
            </span>
          </div>
        ) : (
          <div class="card-meta">
            {tier && <span>{tier}</span>}
            {asset.master_size !== undefined && <span>{formatBytes(asset.master_size)}</span>}
          </div>
        )}
        <div class="card-foot">
          <StatusBadge status={asset.status} />
          <SourceBadge source={asset.source} />
          {linkReady && (
            <span class="card-link" title="A download link is active">
              <LinkIcon width="14" height="14" /> Link
            </span>
          )}
          {!preparing && isBusy(asset) && <span class="card-link">Preparing link…</span>}
          <span class="card-date">{formatCreatedAt(asset.created_at)}</span>
        </div>
      </div>
    </a>
  );
}
