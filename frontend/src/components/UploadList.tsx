import { formatBytes, formatTimeLeft } from '../format';
import { formatRate } from '../speed';
import type { UploadItem, Uploads } from '../hooks/useUploads';
import { hrefFor } from '../hooks/useRoute';
import { CloseIcon } from './icons';
import { ProgressBar } from './ProgressBar';

/**
 * Files being sent from this browser: one line and bar for the whole batch ("Uploading 2 of 6 ·
 * 120 MB of 400 MB"), then each file with its progress and a way to stop it.
 */
export function UploadList({ uploads }: { uploads: Uploads }) {
  if (uploads.items.length === 0) return null;
  const summary = batchSummary(uploads.items);
  return (
    <div class="upload-group">
      {summary && (
        <div class="upload-summary" data-testid="upload-summary">
          <span class="small">{summary.text}</span>
          <ProgressBar value={summary.percent} label="Uploads" compact />
        </div>
      )}
      <ul class="upload-list" aria-label="Uploads">
        {uploads.items.map((item) => (
          <UploadRow key={item.key} item={item} uploads={uploads} />
        ))}
      </ul>
    </div>
  );
}

/** The batch in one line, while more than one file is in it and any is still going. */
export function batchSummary(items: UploadItem[]): { text: string; percent: number } | null {
  const going = items.filter((i) => i.state === 'queued' || i.state === 'uploading');
  const counted = items.filter((i) => i.state !== 'cancelled');
  if (going.length === 0 || counted.length < 2) return null;
  const total = counted.reduce((n, i) => n + i.size, 0);
  const sent = counted.reduce((n, i) => n + (i.state === 'done' ? i.size : i.sent), 0);
  const finished = counted.filter((i) => i.state === 'done').length;
  const current = Math.min(counted.length, finished + 1);
  const failed = counted.filter((i) => i.state === 'failed').length;
  const percent = total > 0 ? (sent / total) * 100 : 0;
  // Files go one at a time: the batch goes at the pace of the one being sent.
  const rate = going.find((i) => i.state === 'uploading')?.rate;
  const parts = [`Uploading ${current} of ${counted.length}`, ...sentParts(sent, total, percent, rate), failed ? `${failed} failed` : ''];
  return { text: parts.filter(Boolean).join(' · '), percent };
}

/** "120 MB of 400 MB", "30%", and with a rate known "5 MB/s", "about 1 min left" ('' where not known). */
function sentParts(sent: number, total: number, percent: number, rate: number | undefined): string[] {
  return [
    `${formatBytes(sent)} of ${formatBytes(total)}`,
    `${Math.floor(percent)}%`,
    rate ? formatRate(rate) : '',
    rate ? formatTimeLeft((total - sent) / rate) : '',
  ];
}

function UploadRow({ item, uploads }: { item: UploadItem; uploads: Uploads }) {
  const percent = item.size > 0 ? (item.sent / item.size) * 100 : 0;
  const active = item.state === 'queued' || item.state === 'uploading';
  return (
    <li class={`upload upload-${item.state}`} data-testid="upload">
      <div class="upload-line">
        <span class="upload-name" title={item.name}>
          {item.name}
        </span>
        <span class="upload-status small">{statusText(item, percent)}</span>
        {active ? (
          <button type="button" class="button button-small" onClick={() => uploads.cancel(item.key)} aria-label={`Cancel upload of ${item.name}`}>
            Cancel
          </button>
        ) : (
          <button type="button" class="icon-button" onClick={() => uploads.dismiss(item.key)} aria-label={`Dismiss ${item.name}`}>
            <CloseIcon width="16" height="16" />
          </button>
        )}
      </div>
      {active && <ProgressBar value={item.state === 'queued' ? 0 : percent} label={`Uploading ${item.name}`} compact />}
      {item.state === 'failed' && item.error && <p class="field-error">{item.error}</p>}
    </li>
  );
}

function statusText(item: UploadItem, percent: number) {
  switch (item.state) {
    case 'queued':
      return `Waiting · ${formatBytes(item.size)}`;
    case 'uploading':
      if (item.busy) return 'Waiting for a free place: Reelvault is receiving other uploads';
      return sentParts(item.sent, item.size, percent, item.rate).filter(Boolean).join(' · ');
    case 'done':
      return item.assetId ? (
        <>
          Uploaded · <a href={hrefFor({ page: 'asset', id: item.assetId })}>Open</a>
        </>
      ) : (
        'Uploaded'
      );
    case 'cancelled':
      return 'Cancelled';
    case 'failed':
      return 'Failed';
  }
}
