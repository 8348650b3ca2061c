import { formatBytes } from '../format';
import type { UploadItem, Uploads } from '../hooks/useUploads';
import { hrefFor } from '../hooks/useRoute';
import { CloseIcon } from './icons';
import { ProgressBar } from './ProgressBar';

/** Files being sent from this browser, each with its progress and a way to stop it. */
export function UploadList({ uploads }: { uploads: Uploads }) {
  if (uploads.items.length === 0) return null;
  return (
    <ul class="upload-list" aria-label="Uploads">
      {uploads.items.map((item) => (
        <UploadRow key={item.key} item={item} uploads={uploads} />
      ))}
    </ul>
  );
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
      return `${formatBytes(item.sent)} of ${formatBytes(item.size)} · ${Math.floor(percent)}%`;
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
