// "Change master size": a new master from the kept source at another size, for one video or a
// selection, and what the asset panel shows while it is made (the current master keeps working).
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { cancelRebuild, getAsset } from '../api/assets';
import { messageOf } from '../api/client';
import type { Asset, MaxResolutionTier } from '../api/types';
import { rebuildAll, rebuildSummaryLine, type RebuildSummary } from '../bulk';
import { asSentence } from '../format';
import { rebuildLine, sizeAtTier, tierPhrase } from '../masterSize';
import { MasterSizeField } from './AssetSettingsFields';
import { Modal } from './Modal';
import { ProgressBar } from './ProgressBar';

const videos = (n: number) => `${n.toLocaleString('en-US')} ${n === 1 ? 'video' : 'videos'}`;

/** What the dialog says will happen, in plain words; `title` names the video when there is one. */
export function changeSizeText(count: number, tier: MaxResolutionTier, title?: string): string {
  if (count === 1) {
    return (
      `Rebuilds the master of ${title ? `“${title}”` : 'this video'} from its source at ${tierPhrase(tier)}. ` +
      'The current master keeps working until the new one is ready. If the source is no longer on this computer, the video is left as it is.'
    );
  }
  return (
    `Rebuilds the master of ${videos(count)} from their sources at ${tierPhrase(tier)}. ` +
    'The current masters keep working until the new ones are ready. Videos whose source is no longer on this computer are left as they are.'
  );
}

/** The size to offer first: the archive's choice (the source's size), or 1080p for a video already kept at it. */
const firstChoice = (asset: Asset | undefined): MaxResolutionTier => (asset?.max_resolution_tier === '2160p' ? '1080p' : '2160p');

interface DialogProps {
  ids: string[];
  /** The video's title, for the words and the failures ("“Clip 3”: the source is gone"). */
  nameOf: (id: string) => string;
  /** The one video, when the dialog is about one (its current size picks the first choice). */
  asset?: Asset;
  onChanged: (asset: Asset) => void;
  onClose: () => void;
}

/**
 * One question for one video or many: the size (the add panel's "Master size" choices), what
 * happens, then what was done ("9 rebuilding, 2 already that size, 1 left as it is"), naming
 * each video left as it was with the reason.
 */
export function ChangeSizeDialog({ ids, nameOf, asset, onChanged, onClose }: DialogProps) {
  const titleId = useId();
  const textId = useId();
  const [tier, setTier] = useState<MaxResolutionTier>(() => firstChoice(asset));
  const [busy, setBusy] = useState(false);
  const [answered, setAnswered] = useState(0);
  const [summary, setSummary] = useState<RebuildSummary | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const one = ids.length === 1;

  useEffect(() => {
    if (summary) closeRef.current?.focus();
  }, [summary]);

  async function confirm(e: Event) {
    e.preventDefault();
    setBusy(true);
    setRefusal(null);
    setAnswered(0);
    const done = await rebuildAll(ids, tier, onChanged, setAnswered);
    setBusy(false);
    if (one) {
      // One video: its panel shows the rebuild; a refusal stays here to pick another size or cancel.
      if (done.rebuilding.length === 1) onClose();
      else if (done.left[0]) setRefusal(asSentence(done.left[0].reason));
      else setSummary(done);
      return;
    }
    setSummary(done);
  }

  return (
    <Modal title={one ? 'Change master size' : `Change the master size of ${videos(ids.length)}`} titleId={titleId} onClose={onClose}>
      {summary ? (
        <div class="modal-form change-size-summary" data-testid="change-size-summary">
          {one ? (
            <p role="status">
              {`“${nameOf(ids[0]!)}”`} is already that size: a new master would be the same. Nothing was changed.
            </p>
          ) : (
            <SummaryText summary={summary} nameOf={nameOf} />
          )}
          <div class="confirm-actions modal-actions">
            <button type="button" class="button button-primary" ref={closeRef} onClick={onClose}>
              Done
            </button>
          </div>
        </div>
      ) : (
        <form class="modal-form change-size-form" onSubmit={confirm} aria-describedby={textId}>
          <div class="add-options">
            <MasterSizeField tier={tier} onTier={setTier} autoFocus />
          </div>
          <p id={textId} data-testid="change-size-text">
            {changeSizeText(ids.length, tier, one ? nameOf(ids[0]!) : undefined)}
          </p>
          {refusal && (
            <p class="field-error" role="alert">
              {refusal}
            </p>
          )}
          <div class="confirm-actions modal-actions">
            <button type="submit" class="button button-primary" disabled={busy}>
              {busy ? (one ? 'Starting…' : `Starting… ${answered.toLocaleString('en-US')} of ${ids.length.toLocaleString('en-US')}`) : one ? 'Rebuild the master' : `Rebuild ${ids.length.toLocaleString('en-US')} masters`}
            </button>
            <button type="button" class="button" onClick={onClose} disabled={busy}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </Modal>
  );
}

/** The summary after many: the counts in one line, then each video left as it was and why. */
function SummaryText({ summary, nameOf }: { summary: RebuildSummary; nameOf: (id: string) => string }) {
  const line = rebuildSummaryLine(summary) || 'Nothing was asked.';
  return (
    <div role="status">
      <p>
        {line}
        {summary.left.length > 0 ? ':' : '.'}
      </p>
      {summary.left.length > 0 && (
        <ul class="change-size-left" aria-label="Left as they are">
          {summary.left.map((l) => (
            <li key={l.id}>
              <strong>{nameOf(l.id)}</strong>: {asSentence(l.reason)}
            </li>
          ))}
        </ul>
      )}
      {summary.rebuilding.length > 0 && <p class="muted small">Each video shows its progress. The current masters keep working until the new ones are ready.</p>}
    </div>
  );
}

/**
 * The asset panel's view of a rebuild: its progress with Cancel while it is queued or running;
 * the reason with Dismiss when it failed (the current master is unchanged either way).
 */
export function RebuildStatus({ asset, onChanged }: { asset: Asset; onChanged: (asset: Asset) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const r = asset.rebuild;
  if (!r) return null;
  const line = rebuildLine(asset) ?? '';
  const size = sizeAtTier(asset, r.max_resolution_tier);

  async function stop() {
    setBusy(true);
    setError(null);
    try {
      await cancelRebuild(asset.id);
      onChanged(await getAsset(asset.id));
    } catch (err) {
      setError(asSentence(messageOf(err)));
    } finally {
      setBusy(false);
    }
  }

  const problem = error && (
    <p class="field-error" role="alert">
      {error}
    </p>
  );
  if (r.state === 'failed') {
    return (
      <div class="callout callout-error" role="alert" data-testid="rebuild-status">
        <strong>The master could not be rebuilt at {size}.</strong>
        {r.error && <p>{asSentence(r.error)}</p>}
        <p class="callout-hint">The current master is unchanged and still works.</p>
        <div class="callout-actions">
          <button type="button" class="button" onClick={stop} disabled={busy} aria-label={`Dismiss: the master could not be rebuilt at ${size}`}>
            {busy ? 'Dismissing…' : 'Dismiss'}
          </button>
        </div>
        {problem}
      </div>
    );
  }
  return (
    <div class="callout rebuild-callout" role="status" data-testid="rebuild-status">
      <div class="rebuild-head">
        <strong>{line}</strong>
        <button type="button" class="button button-quiet" onClick={stop} disabled={busy} aria-label={`Cancel the rebuild at ${size}`}>
          {busy ? 'Cancelling…' : 'Cancel'}
        </button>
      </div>
      <ProgressBar value={r.state === 'building' ? r.progress : 0} label={line} compact />
      <p class="muted small">
        A new master at {tierPhrase(r.max_resolution_tier)}, made from the source. The current master keeps working until the new one is
        ready.
      </p>
      {problem}
    </div>
  );
}
