import { deleteAsset } from '../api/assets';
import { ConfirmAction } from './ConfirmAction';

interface Props {
  count: number;
  loaded: number;
  ids: () => string[];
  onSelectAll: () => void;
  onClear: () => void;
  onDeleted: (id: string) => void;
}

/** Deletes run a few at a time: quick for 50 videos without flooding the server. */
const PARALLEL_DELETES = 6;

/** Deletes every id, PARALLEL_DELETES at a time; throws after trying all if any failed. */
export async function deleteAll(ids: string[], onDeleted: (id: string) => void): Promise<void> {
  const queue = ids.slice();
  const failed: string[] = [];
  const worker = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      try {
        await deleteAsset(id);
        onDeleted(id);
      } catch {
        failed.push(id);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_DELETES, ids.length) }, worker));
  if (failed.length > 0) throw new Error(`${failed.length} of ${ids.length} could not be deleted; they are still selected.`);
}

/** What to do with the selected videos: one question for all of them. */
export function SelectionBar({ count, loaded, ids, onSelectAll, onClear, onDeleted }: Props) {
  const noun = count === 1 ? 'video' : 'videos';
  return (
    <div class="selection-bar" role="region" aria-label="Selected videos">
      <span class="selection-count">
        {count} {noun} selected
      </span>
      {count < loaded && (
        <button type="button" class="button button-quiet" onClick={onSelectAll}>
          Select all {loaded} shown
        </button>
      )}
      <button type="button" class="button button-quiet" onClick={onClear}>
        Clear selection
      </button>
      <ConfirmAction
        trigger={`Delete ${count} ${noun}…`}
        question={`Delete ${count} ${noun} and their masters? This cannot be undone.`}
        confirmLabel={`Delete ${count} ${noun}`}
        busyLabel="Deleting…"
        danger
        onConfirm={() => deleteAll(ids(), onDeleted)}
      />
    </div>
  );
}
