import { useEffect, useRef, useState } from 'preact/hooks';
import { deleteAsset } from '../api/assets';
import { messageOf } from '../api/client';
import type { Asset } from '../api/types';
import { titleOf } from '../format';
import { TrashIcon } from './icons';

interface Props {
  asset: Asset;
  onDeleted: (asset: Asset) => void;
  /** The button's words before confirming (default "Delete…"). */
  label?: string;
}

/** Delete with an inline confirmation; focus lands on Cancel so Enter never deletes by accident. */
export function DeleteAsset({ asset, onDeleted, label }: Props) {
  const [confirming, setConfirming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (confirming) cancelRef.current?.focus();
  }, [confirming]);

  async function confirm() {
    setDeleting(true);
    setError(null);
    try {
      await deleteAsset(asset.id);
      onDeleted(asset);
    } catch (err) {
      setError(messageOf(err));
      setDeleting(false);
    }
  }

  // A build still running or queued is cancelled by removing its entry: say it that way. A
  // recording still coming in is no build: deleting it ends the recording and drops the encoder.
  const recording = asset.status === 'preparing' && !!asset.is_live;
  const building = asset.status === 'preparing' && !recording;
  if (!confirming) {
    return (
      <button type="button" class="button button-danger-quiet" onClick={() => setConfirming(true)}>
        <TrashIcon /> {recording ? 'Stop and delete recording…' : building ? 'Cancel build…' : (label ?? 'Delete…')}
      </button>
    );
  }
  const title = <strong>{titleOf(asset)}</strong>;
  const words = recording
    ? {
        question: (
          <>
            Stop recording {title} and delete what was recorded so far? The encoder is disconnected; if it sends again, a new
            recording starts.
          </>
        ),
        yes: 'Delete recording',
        busy: 'Deleting…',
        no: 'Keep recording',
      }
    : building
      ? { question: <>Stop building {title} and remove it from the library?</>, yes: 'Cancel build', busy: 'Cancelling…', no: 'Keep building' }
      : { question: <>Delete {title}? Its master and every link to it are removed.</>, yes: 'Delete', busy: 'Deleting…', no: 'Cancel' };
  return (
    <div class="confirm" role="group" aria-labelledby="confirm-delete-text">
      <p id="confirm-delete-text">
        {words.question}
        {keepsOriginal(asset) && ' Your original file is not touched.'}
      </p>
      <div class="confirm-actions">
        <button type="button" class="button button-danger" onClick={confirm} disabled={deleting}>
          {deleting ? words.busy : words.yes}
        </button>
        <button type="button" class="button" ref={cancelRef} onClick={() => setConfirming(false)} disabled={deleting}>
          {words.no}
        </button>
      </div>
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

// Inputs given by path (typed, picked, dropped or watched) stay where they are; Reelvault only deletes its own copy.
const keepsOriginal = (asset: Asset) => asset.source === 'file' || asset.source === 'watch';
