import { useEffect, useRef, useState } from 'preact/hooks';
import { updateAsset } from '../api/assets';
import { messageOf } from '../api/client';
import type { Asset } from '../api/types';
import { titleOf } from '../format';

interface Props {
  asset: Asset;
  onChanged: (asset: Asset) => void;
}

/** The asset's title as the detail heading, with an inline Rename form. */
export function TitleEditor({ asset, onChanged }: Props) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const renameRef = useRef<HTMLButtonElement>(null);
  const wasEditing = useRef(false);

  useEffect(() => {
    if (editing) inputRef.current?.select();
    else if (wasEditing.current) renameRef.current?.focus();
    wasEditing.current = editing;
  }, [editing]);

  function start() {
    // Start from the title the heading shows (the file's name when none was given), so a
    // rename is an edit, not retyping; a nameless asset starts empty rather than "Untitled video".
    setDraft(asset.meta?.title || asset.title?.trim() || (asset.input ? titleOf(asset) : ''));
    setError(null);
    setEditing(true);
  }

  async function save(event: Event) {
    event.preventDefault();
    setSaving(true);
    setError(null);
    try {
      onChanged(await updateAsset(asset.id, { meta: { ...asset.meta, title: draft.trim() } }));
      setEditing(false);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setSaving(false);
    }
  }

  if (!editing) {
    return (
      <div class="title-row">
        <h2 id="detail-title" class="detail-title" tabIndex={-1}>
          {titleOf(asset)}
        </h2>
        <button type="button" class="button button-quiet" onClick={start} ref={renameRef}>
          Rename
        </button>
      </div>
    );
  }

  return (
    <form class="title-form" onSubmit={save} onKeyDown={(e) => e.key === 'Escape' && setEditing(false)}>
      <label class="visually-hidden" for="title-input">
        Title
      </label>
      <input
        id="title-input"
        ref={inputRef}
        class="input"
        type="text"
        value={draft}
        placeholder={titleOf({ ...asset, title: undefined, meta: {} })}
        onInput={(e) => setDraft(e.currentTarget.value)}
        maxLength={200}
      />
      <button type="submit" class="button button-primary" disabled={saving}>
        {saving ? 'Saving…' : 'Save'}
      </button>
      <button type="button" class="button" onClick={() => setEditing(false)}>
        Cancel
      </button>
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
