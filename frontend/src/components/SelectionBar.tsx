import { useState } from 'preact/hooks';
import { messageOf } from '../api/client';
import type { Asset } from '../api/types';
import { deleteAll, setAccessAll } from '../bulk';
import { ChangeSizeDialog } from './ChangeSize';
import { ConfirmAction } from './ConfirmAction';
import { ShareDialog } from './ShareDialog';

interface Props {
  count: number;
  /** How many videos are loaded in the list. */
  loaded: number;
  /** How many match the search and filters (the server's total), when known. */
  matching: number | null;
  ids: () => string[];
  titles: () => string[];
  /** A selected video's title (the ids may include videos not loaded here). */
  nameOf: (id: string) => string;
  onSelectAll: () => void;
  /** Gathers every matching video's id from the server; rejects with what went wrong. */
  onSelectMatching: () => Promise<void>;
  onClear: () => void;
  onDeleted: (id: string) => void;
  onChanged: (asset: Asset) => void;
}

export { deleteAll } from '../bulk';

const plural = (n: number) => `${n.toLocaleString('en-US')} ${n === 1 ? 'video' : 'videos'}`;

/** What to do with the selected videos: one question for all of them. Stays in view (sticky). */
export function SelectionBar({ count, loaded, matching, ids, titles, nameOf, onSelectAll, onSelectMatching, onClear, onDeleted, onChanged }: Props) {
  const [sharing, setSharing] = useState<{ ids: string[]; titles: string[] } | null>(null);
  const [resizing, setResizing] = useState<string[] | null>(null);
  const [gathering, setGathering] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const noun = plural(count);
  const all = matching ?? loaded;
  return (
    <div class="selection-bar" role="region" aria-label="Selected videos">
      <span class="selection-count">{noun} selected</span>
      {count < loaded && (
        <button type="button" class="button button-quiet" onClick={onSelectAll}>
          Select all {loaded.toLocaleString('en-US')} shown
        </button>
      )}
      {matching !== null && matching > loaded && count < matching && (
        <button
          type="button"
          class="button button-quiet"
          disabled={gathering}
          onClick={async () => {
            setGathering(true);
            setError(null);
            try {
              await onSelectMatching();
            } catch (err) {
              setError(messageOf(err));
            } finally {
              setGathering(false);
            }
          }}
        >
          {gathering ? 'Selecting…' : `Select all ${plural(all)} matching`}
        </button>
      )}
      <button type="button" class="button button-quiet" onClick={onClear}>
        Clear selection
      </button>
      <span class="selection-actions">
        <button type="button" class="button" onClick={() => setSharing({ ids: ids(), titles: titles() })}>
          Share {noun}…
        </button>
        <ConfirmAction
          trigger="Links on…"
          question={`Turn on download links for ${noun}? Anyone with a link can download the master until it expires.`}
          confirmLabel={`Turn on links for ${noun}`}
          busyLabel="Turning on…"
          onConfirm={() => setAccessAll(ids(), 'temporary', onChanged)}
        />
        <ConfirmAction
          trigger="Links off…"
          question={`Turn off the download links of ${noun}? Links already sent stop working.`}
          confirmLabel={`Turn off links for ${noun}`}
          busyLabel="Turning off…"
          onConfirm={() => setAccessAll(ids(), 'none', onChanged)}
        />
        <button type="button" class="button" onClick={() => setResizing(ids())}>
          Change master size…
        </button>
        <ConfirmAction
          trigger={`Delete ${noun}…`}
          question={`Delete ${noun} and their masters? This cannot be undone.`}
          confirmLabel={`Delete ${noun}`}
          busyLabel="Deleting…"
          danger
          onConfirm={() => deleteAll(ids(), onDeleted)}
        />
      </span>
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
      {resizing && <ChangeSizeDialog ids={resizing} nameOf={nameOf} onChanged={onChanged} onClose={() => setResizing(null)} />}
      {sharing && <ShareDialog assetIds={sharing.ids} titles={sharing.titles} onClose={() => setSharing(null)} />}
    </div>
  );
}
