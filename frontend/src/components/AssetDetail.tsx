import { useEffect, useRef, useState } from 'preact/hooks';
import type { AppInfo, Asset } from '../api/types';
import { canRevealInFolder, revealInFolder } from '../desktop';
import { getAsset, retryAsset } from '../api/assets';
import { messageOf } from '../api/client';
import { secondsLeft } from '../buildRate';
import { asSentence, formatCreatedAt, isWorking, progressLabel, progressLine, recordingLabel, titleOf } from '../format';
import { rebuildLine, tierLabels } from '../masterSize';
import { pictureLabel } from './AssetCard';
import { ChangeSizeDialog, RebuildStatus } from './ChangeSize';
import { hrefFor } from '../hooks/useRoute';
import { useAsset } from '../hooks/useAsset';
import { useKeptOriginal } from '../hooks/useKeptOriginal';
import { useNow } from '../hooks/useNow';
import { useScrollToTop } from '../hooks/useScrollToTop';
import { useNotify } from '../hooks/useToasts';
import { AssetFacts } from './AssetFacts';
import { AssetShareLinks } from './AssetShareLinks';
import { DeleteAsset } from './DeleteAsset';
import { CloseIcon, FolderIcon } from './icons';
import { KeptOriginal } from './KeptOriginal';
import { MasterAccessPanel } from './MasterAccessPanel';
import { PlaybackURL } from './PlaybackURL';
import { Player } from './Player';
import { ProxiesPanel } from './ProxiesPanel';
import { SourceFacts } from './SourceFacts';
import { ProgressBar } from './ProgressBar';
import { StatusBadge } from './StatusBadge';
import { Thumbnail } from './Thumbnail';
import { TitleEditor } from './TitleEditor';

interface Props {
  id: string;
  seed: Asset | undefined;
  info: AppInfo | null;
  onChanged: (asset: Asset) => void;
  onDeleted: (asset: Asset) => void;
  onClose: () => void;
}

/** Everything about one asset: metadata, its download link, rename and delete. */
export function AssetDetail({ id, seed, info, onChanged, onDeleted, onClose }: Props) {
  const { asset, notFound, error, replace, refresh } = useAsset(id, seed, onChanged);
  const sectionRef = useRef<HTMLElement>(null);
  useScrollToTop(sectionRef, '.detail-pane', id);

  // Move focus into the panel when it opens so keyboard users land where the content is.
  useEffect(() => {
    sectionRef.current?.querySelector<HTMLElement>('#detail-title')?.focus({ preventScroll: true });
  }, [asset === undefined]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (event.key === 'Escape' && !target?.closest('input, textarea, select, .confirm')) onClose();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);

  return (
    <section class="detail" aria-labelledby="detail-title" ref={sectionRef}>
      <div class="detail-top">
        <button type="button" class="button button-quiet back-button" onClick={onClose}>
          ← Library
        </button>
        <button type="button" class="icon-button close-button" onClick={onClose} aria-label="Close details">
          <CloseIcon />
        </button>
      </div>
      {notFound ? (
        <div class="detail-empty">
          <h2 id="detail-title" tabIndex={-1}>
            Not found
          </h2>
          <p class="muted">This video is no longer in the archive. It may have been deleted.</p>
        </div>
      ) : !asset ? (
        <div class="detail-empty">
          <h2 id="detail-title" tabIndex={-1} class="muted">
            Loading…
          </h2>
          {error && (
            <p class="field-error" role="alert">
              {error}
            </p>
          )}
        </div>
      ) : (
        <DetailBody asset={asset} info={info} error={error} onChanged={replace} onDeleted={onDeleted} onExpired={refresh} />
      )}
    </section>
  );
}

/** A recording still coming in, as its card says it: "Recording 0:05", ticking (not "Preparing · 0%"). */
function RecordingFor({ asset }: { asset: Asset }) {
  const now = useNow(1_000);
  return <>{recordingLabel(asset, now)}</>;
}

interface BodyProps {
  asset: Asset;
  info: AppInfo | null;
  error: string | null;
  onChanged: (asset: Asset) => void;
  onDeleted: (asset: Asset) => void;
  onExpired: () => void;
}

function DetailBody({ asset, info, error, onChanged, onDeleted, onExpired }: BodyProps) {
  const original = useKeptOriginal(asset);
  return (
    <>
      <TitleEditor asset={asset} onChanged={onChanged} />
      <div class="detail-status">
        <StatusBadge status={asset.status} />
        {asset.status === 'preparing' && (
          <span class="muted small" data-testid="detail-progress">
            {asset.is_live ? <RecordingFor asset={asset} /> : progressLine(asset, secondsLeft(asset))}
          </span>
        )}
        {asset.status === 'ready' && asset.rebuild && <span class="muted small">{rebuildLine(asset)}</span>}
      </div>
      {error && (
        <p class="banner banner-error" role="alert">
          {error}
        </p>
      )}
      {asset.status === 'ready' ? (
        <Player asset={asset} />
      ) : (
        <div class="detail-thumb">
          <Thumbnail asset={asset} />
          {asset.status === 'preparing' && !asset.is_live && (
            <div class="detail-progress">
              <ProgressBar value={isWorking(asset) ? asset.progress?.progress : 0} label={progressLabel(asset)} />
            </div>
          )}
        </div>
      )}
      {asset.status === 'ready' && <RebuildStatus asset={asset} onChanged={onChanged} />}
      {asset.status === 'errored' && <AssetErrors asset={asset} onRetried={onChanged} />}
      {asset.master_damage && <MasterDamage damage={asset.master_damage} />}
      {asset.duplicates && asset.duplicates.length > 0 && (
        <Duplicates asset={asset} others={asset.duplicates} onDeleted={onDeleted} />
      )}
      {asset.status !== 'errored' && <MasterAccessPanel asset={asset} info={info} onChanged={onChanged} onExpired={onExpired} />}
      {asset.status !== 'errored' && <AssetShareLinks asset={asset} />}
      {asset.status === 'ready' && <ProxiesPanel asset={asset} onChanged={onChanged} />}
      <PlaybackURL asset={asset} />
      {asset.status === 'ready' && (
        <section class="panel" aria-labelledby="source-title">
          <h3 id="source-title">Source and master</h3>
          <SourceFacts asset={asset} />
          <MasterSize asset={asset} onChanged={onChanged} />
        </section>
      )}
      <KeptOriginal original={original} />
      <section class="panel" aria-labelledby="facts-title">
        <h3 id="facts-title">Details</h3>
        <AssetFacts asset={asset} original={original} />
      </section>
      <div class="detail-actions">
        {canRevealInFolder() && asset.status === 'ready' && <RevealButton asset={asset} />}
        <DeleteAsset asset={asset} onDeleted={onDeleted} />
      </div>
    </>
  );
}

/** The size the master was made at, and "Change master size…" (a new master from the source). */
function MasterSize({ asset, onChanged }: { asset: Asset; onChanged: (asset: Asset) => void }) {
  const [open, setOpen] = useState(false);
  const tier = asset.max_resolution_tier;
  const picture = pictureLabel(asset);
  if (asset.resolution_tier === 'audio-only') return null;
  return (
    <div class="panel-row master-size-row">
      <p class="small">
        <span class="muted">Master size: </span>
        {tier ? tierLabels[tier] : 'Not known'}
        {picture && <span class="muted"> · {picture}</span>}
      </p>
      {/* Also while a rebuild runs: asking for another size replaces it. */}
      <button type="button" class="button" onClick={() => setOpen(true)}>
        Change master size…
      </button>
      {open && <ChangeSizeDialog ids={[asset.id]} nameOf={() => titleOf(asset)} asset={asset} onChanged={onChanged} onClose={() => setOpen(false)} />}
    </div>
  );
}

/**
 * The same file (same SHA-256) is in the library already: name the other entries, and offer to
 * keep one by deleting this copy (or opening the other to delete that one instead).
 */
function Duplicates({ asset, others, onDeleted }: { asset: Asset; others: string[]; onDeleted: (asset: Asset) => void }) {
  const [named, setNamed] = useState<Record<string, Asset>>({});
  useEffect(() => {
    const abort = new AbortController();
    for (const id of others.slice(0, 3)) {
      getAsset(id, abort.signal).then(
        (other) => setNamed((all) => ({ ...all, [id]: other })),
        () => undefined, // deleted meanwhile: the list refreshes soon
      );
    }
    return () => abort.abort();
  }, [others.join(',')]);
  const more = others.length - 3;
  return (
    <div class="callout callout-warning" role="status" data-testid="duplicate-warning">
      <strong>{others.length === 1 ? 'This file is already in the library.' : `This file is in the library ${others.length} more times.`}</strong>
      <ul>
        {others.slice(0, 3).map((id) => (
          <li key={id}>
            <a href={hrefFor({ page: 'asset', id })}>{named[id] ? titleOf(named[id]) : 'Another entry'}</a>
            {named[id] && <span class="muted"> · added {formatCreatedAt(named[id].created_at)}</span>}
          </li>
        ))}
        {more > 0 && <li class="muted">and {more} more</li>}
      </ul>
      <p class="callout-hint-plain small">Same bytes (SHA-256). Keep one: delete this copy, or open the other to delete it instead.</p>
      <div class="callout-actions">
        <DeleteAsset asset={asset} onDeleted={onDeleted} label="Delete this copy…" />
      </div>
    </div>
  );
}

/** The fixity audit found the master file missing or changed: say so plainly, and what to do. */
function MasterDamage({ damage }: { damage: string }) {
  return (
    <div class="callout callout-error" role="alert">
      <strong>The master file is damaged.</strong>
      <p>{asSentence(damage)}</p>
      <p class="callout-hint">
        Its links are stopped. Put the file back from a backup (reelvault verify checks it), or delete this entry and
        add the original again.
      </p>
    </div>
  );
}

function AssetErrors({ asset, onRetried }: { asset: Asset; onRetried: (asset: Asset) => void }) {
  const messages = asset.errors?.messages?.filter(Boolean).length
    ? asset.errors.messages.filter(Boolean)
    : ['Reelvault could not make a master of this video.'];
  const theInput = asset.errors?.type === 'invalid_input';
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  async function retry() {
    setBusy(true);
    setRefusal(null);
    try {
      onRetried(await retryAsset(asset.id));
    } catch (err) {
      setRefusal(messageOf(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div class="callout callout-error" role="alert">
      <strong>{titleOf(asset)} could not be archived.</strong>
      <ul>
        {messages.map((m) => (
          <li key={m}>{asSentence(m)}</li>
        ))}
      </ul>
      <p class="callout-hint">
        {theInput
          ? 'Check the source (is the file still there, complete, and a video?), then retry.'
          : 'This was a problem on this computer, not with your video. Retry; if it fails again, check the free disk space.'}
      </p>
      <div class="callout-actions">
        <button type="button" class="button button-primary" onClick={retry} disabled={busy}>
          {busy ? 'Retrying…' : 'Retry'}
        </button>
      </div>
      {refusal && (
        <p class="field-error" role="status">
          {asSentence(refusal)}
        </p>
      )}
    </div>
  );
}

function RevealButton({ asset }: { asset: Asset }) {
  const notify = useNotify();
  const [busy, setBusy] = useState(false);
  async function reveal() {
    setBusy(true);
    try {
      await revealInFolder(asset.id);
    } catch (err) {
      notify('error', `Could not open the folder: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setBusy(false);
    }
  }
  return (
    <button type="button" class="button" onClick={reveal} disabled={busy}>
      <FolderIcon /> Show in folder
    </button>
  );
}
