import { useEffect, useId, useState } from 'preact/hooks';
import { messageOf } from '../api/client';
import { getSettings } from '../api/settings';
import { createShareLink, type Expiry, expiryOf, type ShareLink } from '../api/shareLinks';
import type { Asset } from '../api/types';
import { asSentence, formatBytes } from '../format';
import { hrefFor } from '../hooks/useRoute';
import { CopyField } from './CopyField';
import { Modal } from './Modal';
import { QrCode } from './QrCode';
import { describeExpiry, EXPIRY_CHOICES, expiryFor, type ExpiryChoice } from './shareExpiry';

/** A file kind a link can offer, with its words. */
export interface FileChoice {
  kind: string;
  label: string;
  note?: string;
}

/** The master: every ready asset has one. */
export const DEFAULT_FILE_CHOICES: FileChoice[] = [{ kind: 'master', label: 'Master', note: 'the archived MP4' }];

const RENDITION_ORDER = ['highest', '2160p', '1440p', '1080p', '720p', '540p', '480p', '360p', '270p', 'audio-only'];

/**
 * The files a link over these assets can offer: the master, the uploaded original when one was
 * kept, and each proxy (static rendition) that is ready on at least one of them.
 */
export function fileChoicesFor(assets: Asset[]): FileChoice[] {
  const choices = [...DEFAULT_FILE_CHOICES];
  if (assets.some((a) => a.source === 'upload')) {
    choices.push({ kind: 'original', label: 'Original', note: 'the uploaded file, as it was sent' });
  }
  const ready = new Set<string>();
  for (const a of assets) {
    for (const f of a.static_renditions?.files ?? []) {
      if (f.status === 'ready' && f.resolution) ready.add(f.resolution);
    }
  }
  for (const kind of RENDITION_ORDER.filter((k) => ready.has(k))) {
    const label = kind === 'audio-only' ? 'Audio' : kind === 'highest' ? 'Full-size proxy' : `${kind} proxy`;
    const note = kind === 'audio-only' ? 'M4A with every audio track' : 'H.264 for editing and viewing';
    choices.push({ kind, label, note });
  }
  return choices;
}

interface Props {
  assetIds: string[];
  /** The videos' titles, for the heading ("Share “Interview A”", "Share 3 videos"). */
  titles?: string[];
  fileChoices?: FileChoice[];
  onClose: () => void;
  /** The new link, as the server answered. */
  onCreated?: (link: ShareLink) => void;
}

/**
 * Makes a share link for one video or a selection: who it is for, which files, how long,
 * how many downloads and an optional password; then shows the link to copy and its QR code.
 */
export function ShareDialog({ assetIds, titles = [], fileChoices = DEFAULT_FILE_CHOICES, onClose, onCreated }: Props) {
  const titleId = useId();
  const [created, setCreated] = useState<ShareLink | null>(null);
  const heading =
    assetIds.length === 1 && titles[0] ? `Share “${titles[0]}”` : assetIds.length === 1 ? 'Share this video' : `Share ${assetIds.length} videos`;

  return (
    <Modal title={created ? 'Link ready' : heading} titleId={titleId} onClose={onClose}>
      {created ? (
        <CreatedLink link={created} onDone={onClose} />
      ) : (
        <ShareForm
          assetIds={assetIds}
          fileChoices={fileChoices}
          onCancel={onClose}
          onCreated={(link) => {
            setCreated(link);
            onCreated?.(link);
          }}
        />
      )}
    </Modal>
  );
}

interface FormProps {
  assetIds: string[];
  fileChoices: FileChoice[];
  onCancel: () => void;
  onCreated: (link: ShareLink) => void;
}

function ShareForm({ assetIds, fileChoices, onCancel, onCreated }: FormProps) {
  const ids = { label: useId(), expiry: useId(), limit: useId(), password: useId(), files: useId() };
  const [label, setLabel] = useState('');
  const [files, setFiles] = useState<string[]>(fileChoices.slice(0, 1).map((c) => c.kind));
  const [expiry, setExpiry] = useState<ExpiryChoice>('7d');
  const [limit, setLimit] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const limitValue = limit.trim() === '' ? undefined : Number(limit);
  const limitBad = limitValue !== undefined && (!Number.isInteger(limitValue) || limitValue < 1 || limitValue > 1_000_000);

  async function submit(event: Event) {
    event.preventDefault();
    if (limitBad || files.length === 0) return;
    setBusy(true);
    setError(null);
    try {
      const link = await createShareLink(
        {
          asset_ids: assetIds,
          label: label.trim(),
          files,
          ...(limitValue !== undefined && { max_downloads: limitValue }),
          ...(password !== '' && { password }),
        },
        expiryFor(expiry) as Expiry,
      );
      onCreated(link);
    } catch (err) {
      setError(asSentence(messageOf(err)));
      setBusy(false);
    }
  }

  const toggleFile = (kind: string, on: boolean) =>
    setFiles((current) => (on ? [...current, kind] : current.filter((k) => k !== kind)));

  return (
    <form class="share-form" onSubmit={submit} noValidate>
      <div class="share-field">
        <label for={ids.label}>Who is it for?</label>
        <input
          id={ids.label}
          class="input"
          type="text"
          maxLength={200}
          placeholder="For the colourist"
          value={label}
          onInput={(e) => setLabel(e.currentTarget.value)}
          data-autofocus
        />
        <p class="muted small">A label for you; it tells this link apart from the others in the download log.</p>
      </div>

      {fileChoices.length > 1 ? (
        <fieldset class="share-field share-files">
          <legend>Files</legend>
          {fileChoices.map((choice) => (
            <label key={choice.kind} class="option option-check">
              <input type="checkbox" checked={files.includes(choice.kind)} onChange={(e) => toggleFile(choice.kind, e.currentTarget.checked)} />
              {choice.label}
              {choice.note && <span class="muted small">{choice.note}</span>}
            </label>
          ))}
          {files.length === 0 && <p class="field-error">Pick at least one file.</p>}
        </fieldset>
      ) : (
        <div class="share-field">
          <span class="share-field-label">Files</span>
          <p class="share-files-one">
            {fileChoices[0]?.label ?? 'Master'}
            {fileChoices[0]?.note && <span class="muted small"> · {fileChoices[0].note}</span>}
          </p>
        </div>
      )}

      <div class="share-row">
        <div class="share-field">
          <label for={ids.expiry}>Expires</label>
          <select id={ids.expiry} class="select" value={expiry} onChange={(e) => setExpiry(e.currentTarget.value as ExpiryChoice)}>
            {EXPIRY_CHOICES.map((choice) => (
              <option key={choice.id} value={choice.id}>
                {choice.label}
              </option>
            ))}
          </select>
        </div>
        <div class="share-field">
          <label for={ids.limit}>Download limit</label>
          <input
            id={ids.limit}
            class="input"
            type="number"
            inputMode="numeric"
            min={1}
            step={1}
            placeholder="No limit"
            value={limit}
            aria-invalid={limitBad}
            aria-describedby={limitBad ? `${ids.limit}-error` : undefined}
            onInput={(e) => setLimit(e.currentTarget.value)}
          />
        </div>
      </div>
      {expiry === 'never' && <p class="muted small">The link keeps working until you revoke it.</p>}
      {limitBad && (
        <p class="field-error" id={`${ids.limit}-error`}>
          The limit is a whole number of downloads, 1 or more.
        </p>
      )}

      <div class="share-field">
        <label for={ids.password}>Password (optional)</label>
        <input
          id={ids.password}
          class="input"
          type="password"
          autoComplete="new-password"
          maxLength={128}
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        <p class="muted small">Send it separately; the recipient types it before anything is shown.</p>
      </div>

      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
      <div class="modal-actions">
        <button type="submit" class="button button-primary" disabled={busy || limitBad || files.length === 0}>
          {busy ? 'Creating…' : 'Create link'}
        </button>
        <button type="button" class="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The new link: copy it, scan it, and what it allows. */
function CreatedLink({ link, onDone }: { link: ShareLink; onDone: () => void }) {
  const listen = useShareListen();
  const linkHost = hostOf(link.url);
  const linkLocal = isLoopbackHost(linkHost);
  const listenerLocal = listen !== null && isLoopbackHost(listen.replace(/:\d+$/, ''));
  const size = link.files.reduce((sum, f) => sum + (f.size || 0), 0);

  return (
    <div class="share-created">
      <CopyField value={link.url} label="Share link" />
      <p class="muted small">
        {[
          link.label && `“${link.label}”`,
          describeExpiry(expiryOf(link)),
          link.max_downloads ? `${link.max_downloads} download${link.max_downloads === 1 ? '' : 's'} at most` : 'no download limit',
          link.has_password && 'asks for a password',
          link.files.length > 0 && `${link.files.length} file${link.files.length === 1 ? '' : 's'}, ${formatBytes(size)}`,
        ]
          .filter(Boolean)
          .join(' · ')}
      </p>
      {listenerLocal && !linkLocal && (
        <p class="callout callout-warning" role="status">
          Share links are only answered on this computer ({listen}), but this link points to {linkHost}. Others cannot open it
          until you pick a network address under <a href={hrefFor({ page: 'settings' })}>Settings → Share links on</a>.
        </p>
      )}
      {linkLocal ? (
        <p class="muted small">
          This link opens on this computer only, so there is no QR code for phones. To share on your network, pick an address
          under <a href={hrefFor({ page: 'settings' })}>Settings → Share links on</a>.
        </p>
      ) : (
        <figure class="qr">
          <QrCode value={link.url} label="QR code of the share link" />
          <figcaption class="muted small">Scan with a phone on the same network to open the link.</figcaption>
        </figure>
      )}
      <div class="modal-actions">
        <button type="button" class="button button-primary" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}

/** Where the share listener is bound (host:port), from the settings; null until known or when they cannot be read. */
function useShareListen(): string | null {
  const [listen, setListen] = useState<string | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    getSettings(controller.signal).then(
      (s) => setListen(s.share_listen || null),
      () => undefined, // no warning without settings; the link is still there to copy
    );
    return () => controller.abort();
  }, []);
  return listen;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\./.test(h);
}
