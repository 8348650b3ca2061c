import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { updateAsset } from '../api/assets';
import { messageOf } from '../api/client';
import type { Asset } from '../api/types';
import { deleteAll } from '../bulk';
import { canRevealInFolder } from '../desktop';
import { titleOf } from '../format';
import { Modal } from './Modal';

export type MenuAction = 'open' | 'play' | 'share' | 'copy' | 'reveal' | 'rename' | 'size' | 'delete';

interface MenuProps {
  asset: Asset;
  /** How many videos Share, Change master size and Delete act on (the selection, when this card is part of it). */
  count: number;
  x: number;
  y: number;
  onAction: (action: MenuAction) => void;
  onClose: () => void;
}

/**
 * A card's context menu (right-click, the context-menu key, Shift+F10): arrow keys move,
 * Enter picks, Escape or a click elsewhere closes it and focus goes back to the card.
 */
export function AssetMenu({ asset, count, x, y, onAction, onClose }: MenuProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [pos, setPos] = useState({ left: x, top: y });
  const ready = asset.status === 'ready';
  const many = count > 1 ? ` ${count} videos` : '';
  const items: { action: MenuAction; label: string; disabled?: boolean }[] = [
    { action: 'open', label: 'Open' },
    { action: 'play', label: 'Play', disabled: !ready },
    { action: 'share', label: `Share${many}…`, disabled: count === 1 && !ready },
    { action: 'copy', label: 'Copy link' },
    ...(canRevealInFolder() ? [{ action: 'reveal' as const, label: 'Show in folder', disabled: !ready }] : []),
    { action: 'rename', label: 'Rename…' },
    { action: 'size', label: `Change master size${many ? ` of${many}` : ''}…`, disabled: count === 1 && !ready },
    { action: 'delete', label: `Delete${many}…` },
  ];

  useEffect(() => {
    const box = ref.current;
    if (!box) return;
    // Keep the whole menu inside the window.
    const r = box.getBoundingClientRect();
    setPos({ left: Math.max(4, Math.min(x, window.innerWidth - r.width - 4)), top: Math.max(4, Math.min(y, window.innerHeight - r.height - 4)) });
    box.querySelector<HTMLElement>('[role="menuitem"]:not([disabled])')?.focus();
    const away = (e: Event) => {
      if (!box.contains(e.target as Node)) onClose();
    };
    document.addEventListener('mousedown', away, true);
    window.addEventListener('blur', onClose);
    return () => {
      document.removeEventListener('mousedown', away, true);
      window.removeEventListener('blur', onClose);
    };
  }, []);

  function onKeyDown(e: KeyboardEvent) {
    const enabled = Array.from(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]:not([disabled])') ?? []);
    const at = enabled.indexOf(document.activeElement as HTMLElement);
    const move = (i: number) => enabled[(i + enabled.length) % enabled.length]?.focus();
    switch (e.key) {
      case 'ArrowDown':
        move(at + 1);
        break;
      case 'ArrowUp':
        move(at - 1);
        break;
      case 'Home':
        move(0);
        break;
      case 'End':
        move(enabled.length - 1);
        break;
      case 'Escape':
      case 'Tab':
        onClose();
        break;
      default:
        return;
    }
    e.preventDefault();
    e.stopPropagation();
  }

  return (
    <div
      class="context-menu"
      role="menu"
      aria-label={`Actions for ${titleOf(asset)}`}
      ref={ref}
      style={{ left: `${pos.left}px`, top: `${pos.top}px` }}
      onKeyDown={onKeyDown}
      onContextMenu={(e) => e.preventDefault()}
    >
      {items.map((item) => (
        <button
          key={item.action}
          type="button"
          role="menuitem"
          class={`menu-item${item.action === 'delete' ? ' is-danger' : ''}`}
          disabled={item.disabled}
          onClick={() => onAction(item.action)}
        >
          {item.label}
        </button>
      ))}
    </div>
  );
}

/** Rename one video from the library, starting from the title it shows. */
export function RenameDialog({ asset, onDone, onClose }: { asset: Asset; onDone: (asset: Asset) => void; onClose: () => void }) {
  const titleId = useId();
  const [draft, setDraft] = useState(asset.meta?.title || asset.title?.trim() || (asset.input ? titleOf(asset) : ''));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => inputRef.current?.select(), []);
  async function save(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onDone(await updateAsset(asset.id, { meta: { title: draft.trim() } }));
      onClose();
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  }
  return (
    <Modal title="Rename video" titleId={titleId} onClose={onClose}>
      <form class="modal-form" onSubmit={save}>
        <label class="field">
          <span class="field-label">Title</span>
          <input ref={inputRef} class="input" data-autofocus value={draft} maxLength={512} onInput={(e) => setDraft(e.currentTarget.value)} />
        </label>
        {error && (
          <p class="field-error" role="alert">
            {error}
          </p>
        )}
        <div class="confirm-actions modal-actions">
          <button type="submit" class="button button-primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save'}
          </button>
          <button type="button" class="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** One question before deleting from the keyboard or the context menu; Cancel has the focus. */
export function DeleteDialog({ ids, title, onDeleted, onClose }: { ids: string[]; title: string; onDeleted: (id: string) => void; onClose: () => void }) {
  const titleId = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const what = ids.length === 1 ? `“${title}”` : `${ids.length.toLocaleString('en-US')} videos`;
  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await deleteAll(ids, onDeleted);
      onClose();
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  }
  return (
    <Modal title={`Delete ${what}?`} titleId={titleId} onClose={onClose}>
      <p>{ids.length === 1 ? 'The video and its master are deleted.' : 'The videos and their masters are deleted.'} This cannot be undone.</p>
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
      <div class="confirm-actions modal-actions">
        <button type="button" class="button button-danger" onClick={confirm} disabled={busy}>
          {busy ? 'Deleting…' : ids.length === 1 ? 'Delete' : `Delete ${ids.length.toLocaleString('en-US')} videos`}
        </button>
        <button type="button" class="button" data-autofocus onClick={onClose} disabled={busy}>
          Cancel
        </button>
      </div>
    </Modal>
  );
}
