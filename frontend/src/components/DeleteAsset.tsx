import { deleteAsset } from '../api/assets';
import type { Asset } from '../api/types';
import { titleOf } from '../format';
import { ConfirmAction } from './ConfirmAction';
import { TrashIcon } from './icons';

interface Props {
  asset: Asset;
  onDeleted: (asset: Asset) => void;
  /** The button's words before confirming (default "Delete…"). */
  label?: string;
}

/** Delete with an inline confirmation (ConfirmAction: focus on the no button, Escape answers no). */
export function DeleteAsset({ asset, onDeleted, label }: Props) {
  // A build still running or queued is cancelled by removing its entry: say it that way. A
  // recording still coming in is no build: deleting it ends the recording and drops the encoder.
  const recording = asset.status === 'preparing' && !!asset.is_live;
  const building = asset.status === 'preparing' && !recording;
  const title = <strong>{titleOf(asset)}</strong>;
  const words = recording
    ? {
        ask: 'Stop and delete recording…',
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
      ? { ask: 'Cancel build…', question: <>Stop building {title} and remove it from the library?</>, yes: 'Cancel build', busy: 'Cancelling…', no: 'Keep building' }
      : { ask: label ?? 'Delete…', question: <>Delete {title}? Its master and every link to it are removed.</>, yes: 'Delete', busy: 'Deleting…', no: 'Cancel' };
  return (
    <ConfirmAction
      trigger={
        <>
          <TrashIcon /> {words.ask}
        </>
      }
      question={
        <>
          {words.question}
          {keepsOriginal(asset) && ' Your original file is not touched.'}
        </>
      }
      questionId="confirm-delete-text"
      confirmLabel={words.yes}
      busyLabel={words.busy}
      cancelLabel={words.no}
      danger
      onConfirm={async () => {
        await deleteAsset(asset.id);
        onDeleted(asset);
      }}
    />
  );
}

// Inputs given by path (typed, picked, dropped or watched) stay where they are; Reelvault only deletes its own copy.
const keepsOriginal = (asset: Asset) => asset.source === 'file' || asset.source === 'watch';
