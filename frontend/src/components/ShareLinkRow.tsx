import { useEffect, useId, useState } from 'preact/hooks';
import { messageOf } from '../api/client';
import { expiryOf, getShareLink, listShareDownloads, parseMoment, revokeShareLink, type ShareDownload, type ShareLink, updateShareLink } from '../api/shareLinks';
import { asSentence, formatBytes, formatTimestamp } from '../format';
import { useNow } from '../hooks/useNow';
import { hrefFor } from '../hooks/useRoute';
import { ConfirmAction } from './ConfirmAction';
import { CopyButton } from './CopyButton';
import { describeExpiry, EXPIRY_CHOICES, expiryFor, type ExpiryChoice } from './shareExpiry';

const STATUS_WORDS: Record<string, string> = {
  active: 'Active',
  expired: 'Expired',
  revoked: 'Revoked',
  exhausted: 'Limit reached',
};

export function ShareStatusBadge({ status }: { status: string }) {
  return (
    <span class={`badge share-status share-status-${status}`}>
      <span class="badge-dot" aria-hidden="true" />
      {STATUS_WORDS[status] ?? status}
    </span>
  );
}

interface Props {
  link: ShareLink;
  onChanged: (link: ShareLink) => void;
  /** The Shared page names the videos and offers the download log. */
  wide?: boolean;
}

/** One share link: who it is for, its state, downloads, and Copy / Edit / Extend / Revoke. */
export function ShareLinkRow({ link, onChanged, wide = false }: Props) {
  const now = useNow();
  const [showLog, setShowLog] = useState(false);
  const labelId = useId();
  const live = link.status === 'active';
  const last = parseMoment(link.last_download_at ?? null);

  async function revoke() {
    await revokeShareLink(link.id);
    // The server's view after revoking (status "revoked"); if it cannot be read, say so locally.
    onChanged(await getShareLink(link.id).catch(() => ({ ...link, status: 'revoked' })));
  }

  return (
    <li class="share-link" aria-labelledby={labelId}>
      <div class="share-link-head">
        <strong id={labelId} class="share-link-label">
          {link.label || 'Untitled link'}
        </strong>
        <ShareStatusBadge status={link.status} />
      </div>
      {wide && <SharedVideos link={link} />}
      <p class="muted small share-link-facts">
        {[
          `${link.downloads} download${link.downloads === 1 ? '' : 's'}${link.max_downloads ? ` of ${link.max_downloads}` : ''}`,
          last && `last ${formatTimestamp(last.toISOString())}`,
          link.status !== 'revoked' && describeExpiry(expiryOf(link), now),
          link.has_password && 'password',
        ]
          .filter(Boolean)
          .join(' · ')}
      </p>
      <div class="share-link-actions">
        {live && <CopyButton value={link.url} label={`link ${link.label || ''}`.trim()} />}
        {link.status !== 'revoked' && <EditLink link={link} onChanged={onChanged} />}
        {link.status !== 'revoked' && <ExtendLink link={link} onChanged={onChanged} />}
        {wide && (
          <button type="button" class="button button-small" aria-expanded={showLog} onClick={() => setShowLog((s) => !s)}>
            {showLog ? 'Hide downloads' : 'Downloads'}
          </button>
        )}
        {link.status !== 'revoked' && (
          <ConfirmAction
            trigger="Revoke…"
            question={
              <>
                Revoke {link.label ? `“${link.label}”` : 'this link'}? It stops working at once; your other links keep working.
              </>
            }
            confirmLabel="Revoke"
            busyLabel="Revoking…"
            danger
            onConfirm={revoke}
          />
        )}
      </div>
      {showLog && <DownloadLog link={link} />}
    </li>
  );
}

/** The videos a link shares, each linking to its panel. */
function SharedVideos({ link }: { link: ShareLink }) {
  const names = new Map<string, string>();
  for (const file of link.files) if (!names.has(file.asset_id)) names.set(file.asset_id, file.name.replace(/\.[^.]+$/, ''));
  return (
    <p class="share-link-videos small">
      {link.asset_ids.map((id, i) => (
        <span key={id}>
          {i > 0 && ', '}
          <a href={hrefFor({ page: 'asset', id })}>{names.get(id) || id}</a>
        </span>
      ))}
    </p>
  );
}

/** The most downloads a limit may allow, as the server checks it. */
const MAX_DOWNLOAD_LIMIT = 1_000_000;

/** The label and the download limit, changed in place (PATCH); an empty limit is none. */
function EditLink({ link, onChanged }: { link: ShareLink; onChanged: (link: ShareLink) => void }) {
  const [open, setOpen] = useState(false);
  const [label, setLabel] = useState(link.label);
  const [limit, setLimit] = useState(link.max_downloads ? String(link.max_downloads) : '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const labelId = useId();
  const limitId = useId();

  if (!open) {
    return (
      <button
        type="button"
        class="button button-small"
        onClick={() => {
          setLabel(link.label);
          setLimit(link.max_downloads ? String(link.max_downloads) : '');
          setError(null);
          setOpen(true);
        }}
      >
        Edit…
      </button>
    );
  }

  async function save(event: Event) {
    event.preventDefault();
    const text = limit.trim();
    const max = text === '' ? 0 : Number(text);
    if (!Number.isInteger(max) || max < 0 || max > MAX_DOWNLOAD_LIMIT) {
      setError(`Give a whole number of downloads from 1 to ${MAX_DOWNLOAD_LIMIT.toLocaleString('en')}, or leave it empty for no limit.`);
      return;
    }
    const change: { label?: string; max_downloads?: number } = {};
    if (label.trim() !== link.label) change.label = label.trim();
    if (max !== (link.max_downloads ?? 0)) change.max_downloads = max;
    if (Object.keys(change).length === 0) {
      setOpen(false);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onChanged(await updateShareLink(link.id, change));
      setOpen(false);
    } catch (err) {
      setError(asSentence(messageOf(err)));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="share-edit" aria-label="Edit the link" onSubmit={save} noValidate>
      <label for={labelId} class="small">
        Label
      </label>
      <input
        id={labelId}
        class="input"
        type="text"
        maxLength={200}
        value={label}
        placeholder="for the colourist"
        onInput={(e) => setLabel(e.currentTarget.value)}
        autoFocus
      />
      <label for={limitId} class="small">
        Download limit
      </label>
      <input
        id={limitId}
        class="input share-edit-limit"
        type="number"
        min={1}
        max={MAX_DOWNLOAD_LIMIT}
        step={1}
        inputMode="numeric"
        value={limit}
        placeholder="none"
        onInput={(e) => setLimit(e.currentTarget.value)}
      />
      <div class="share-edit-buttons">
        <button type="submit" class="button button-small button-primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save'}
        </button>
        <button type="button" class="button button-small" onClick={() => setOpen(false)} disabled={busy}>
          Cancel
        </button>
      </div>
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

/** A new expiry from now: a preset or never. */
function ExtendLink({ link, onChanged }: { link: ShareLink; onChanged: (link: ShareLink) => void }) {
  const [open, setOpen] = useState(false);
  const [choice, setChoice] = useState<ExpiryChoice>('7d');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const selectId = useId();

  if (!open) {
    return (
      <button type="button" class="button button-small" onClick={() => setOpen(true)}>
        Extend…
      </button>
    );
  }

  async function save() {
    setBusy(true);
    setError(null);
    try {
      onChanged(await updateShareLink(link.id, expiryFor(choice)));
      setOpen(false);
    } catch (err) {
      setError(asSentence(messageOf(err)));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="share-extend" role="group" aria-label="Extend the link">
      <label for={selectId} class="small">
        Expires
      </label>
      <select id={selectId} class="select" value={choice} onChange={(e) => setChoice(e.currentTarget.value as ExpiryChoice)} autoFocus>
        {EXPIRY_CHOICES.map((c) => (
          <option key={c.id} value={c.id}>
            {c.id === 'never' ? 'Never' : `${c.label} from now`}
          </option>
        ))}
      </select>
      <button type="button" class="button button-small button-primary" onClick={save} disabled={busy}>
        {busy ? 'Saving…' : 'Save'}
      </button>
      <button type="button" class="button button-small" onClick={() => setOpen(false)} disabled={busy}>
        Cancel
      </button>
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** Who downloaded what, newest first: time, address, file, bytes, complete or not. */
function DownloadLog({ link }: { link: ShareLink }) {
  const [rows, setRows] = useState<ShareDownload[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    listShareDownloads(link.id, controller.signal).then(setRows, (err) => {
      if (!controller.signal.aborted) setError(messageOf(err));
    });
    return () => controller.abort();
  }, [link.id, link.downloads]);

  if (error) return <p class="field-error" role="alert">{asSentence(error)}</p>;
  if (!rows) return <p class="muted small">Loading downloads…</p>;
  if (rows.length === 0) return <p class="muted small">Nobody has downloaded from this link yet.</p>;
  const fileName = (row: ShareDownload) =>
    link.files.find((f) => f.asset_id === row.asset_id && f.kind === row.file)?.name || row.file || '–';
  return (
    <div class="share-log">
      <table>
        <caption class="visually-hidden">Downloads of {link.label || 'this link'}</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">From</th>
            <th scope="col">File</th>
            <th scope="col">Sent</th>
            <th scope="col">Done</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={row.id ?? i}>
              <td data-label="When">{formatTimestamp(row.at || row.started_at)}</td>
              <td data-label="From" title={row.user_agent}>
                {row.client_address || '–'}
              </td>
              <td data-label="File" class="share-log-file">
                {fileName(row)}
              </td>
              <td data-label="Sent">
                {formatBytes(row.bytes_sent)}
                {row.size ? ` of ${formatBytes(row.size)}` : ''}
              </td>
              <td data-label="Done">{row.complete ? 'Complete' : 'Partial'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
