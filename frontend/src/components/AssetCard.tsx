import type { Asset } from '../api/types';
import { pictureOf } from '../assetList';
import { secondsLeft } from '../buildRate';
import { recordingLabel } from '../format';
import { asSentence, formatBytes, formatCreatedAt, formatDuration, isRebuilding, isWorking, progressLabel, progressLine, titleOf } from '../format';
import { pictureName, rebuildLine, sizeName } from '../masterSize';
import { useNow } from '../hooks/useNow';
import { hrefFor } from '../hooks/useRoute';
import { AlertIcon, LinkIcon } from './icons';
import { ProgressBar } from './ProgressBar';
import { SourceBadge } from './SourceBadge';
import { StatusBadge } from './StatusBadge';
import { SkimThumbnail } from './SkimThumbnail';

/** The pixels, with the size's name when it has one: "1920 × 1080 (1080p)", "640 × 360". */
function pixelsOf(p: { width: number; height: number }): string {
  const name = sizeName(p);
  return `${p.width} × ${p.height}${name ? ` (${name})` : ''}`;
}

/**
 * The asset panel's resolution: the master's pixels (never Mux's tier bucket, which calls a
 * 640×360 clip "720p"), and the source's when the master was made smaller than it.
 */
export function resolutionLine(asset: Asset): string | undefined {
  if (asset.resolution_tier === 'audio-only') return 'Audio only';
  const master = pictureOf(asset);
  if (!master) return undefined;
  const source = asset.source_picture;
  const smaller = source && source.width * source.height > master.width * master.height;
  return smaller ? `${pixelsOf(master)}, scaled down from ${pixelsOf(source)}` : pixelsOf(master);
}

/**
 * The real picture size, not Mux's tier bucket (a 640×360 clip is not "720p"), and
 * "4K → 1080p" when the master is smaller than the source.
 */
export function pictureLabel(asset: Asset): string | undefined {
  if (asset.resolution_tier === 'audio-only') return 'Audio only';
  const master = pictureOf(asset);
  if (!master) return undefined;
  const source = asset.source_picture;
  if (source && source.width * source.height > master.width * master.height) {
    return `${pictureName(source)} → ${pictureName(master)}`;
  }
  return pictureName(master);
}

export function AssetCard({ asset, selected }: { asset: Asset; selected: boolean }) {
  const title = titleOf(asset);
  const tier = pictureLabel(asset);
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
        <SkimThumbnail asset={asset} />
        {asset.duration !== undefined && <span class="thumb-duration">{formatDuration(asset.duration)}</span>}
      </div>
      <div class="card-body">
        <div class="card-title" title={title}>
          {title}
        </div>
        {asset.status === 'errored' ? (
          <div class="card-error">{asSentence(asset.errors?.messages?.[0] ?? '') || 'Could not be archived.'}</div>
        ) : asset.is_live ? (
          <RecordingFor asset={asset} />
        ) : preparing ? (
          <div class="card-progress card-progress-building">
            <ProgressBar value={isWorking(asset) ? asset.progress?.progress : 0} label={progressLabel(asset)} compact />
            <ProgressText asset={asset} class="card-progress-text" testId="card-progress" />
          </div>
        ) : isRebuilding(asset) ? (
          <RebuildProgress asset={asset} />
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
          {!preparing && asset.master?.status === 'preparing' && <span class="card-link">Preparing link…</span>}
          {asset.rebuild?.state === 'failed' && <RebuildFailedMark asset={asset} />}
          <span class="card-date">{formatCreatedAt(asset.created_at)}</span>
        </div>
      </div>
    </a>
  );
}

/** A recording still coming in: how long it has run, ticking. */
function RecordingFor({ asset }: { asset: Asset }) {
  const now = useNow(1_000);
  return (
    <div class="card-progress">
      <span class="card-progress-text card-recording" data-testid="card-progress">
        <span class="live-dot" aria-hidden="true" /> {recordingLabel(asset, now)}
      </span>
    </div>
  );
}

/** A new master at another size on its way: "Rebuilding at 4K · 42%" (the current master still works). */
export function RebuildProgress({ asset }: { asset: Asset }) {
  const line = rebuildLine(asset) ?? '';
  return (
    <div class="card-progress">
      <ProgressBar value={asset.rebuild?.state === 'building' ? asset.rebuild.progress : 0} label={line} compact />
      <span class="card-progress-text" data-testid="card-rebuild">
        {line}
      </span>
    </div>
  );
}

/** A rebuild that failed: a small mark; the asset panel says why and dismisses it. */
export function RebuildFailedMark({ asset }: { asset: Asset }) {
  const why = asSentence(asset.rebuild?.error ?? '');
  return (
    <span class="card-link card-warn" title={why ? `Rebuild failed: ${why}` : 'Rebuild failed'} data-testid="card-rebuild-failed">
      <AlertIcon width="14" height="14" /> Rebuild failed
    </span>
  );
}

/** A preparing video's progress line, whole in its title when a card or list column cuts it short. */
export function ProgressText({ asset, class: className, testId }: { asset: Asset; class: string; testId: string }) {
  const line = progressLine(asset, secondsLeft(asset));
  return (
    <span class={className} data-testid={testId} title={line}>
      {line}
    </span>
  );
}
