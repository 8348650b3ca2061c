import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { messageOf } from '../api/client';

interface Props {
  /** The button that asks, e.g. "Delete…". */
  trigger: ComponentChildren;
  /** The question, with what happens if the user says yes. */
  question: ComponentChildren;
  confirmLabel: string;
  busyLabel: string;
  /** The no button's words (default "Cancel"). */
  cancelLabel?: string;
  /** A fixed id for the question, for callers that name it; else one of its own. */
  questionId?: string;
  danger?: boolean;
  disabled?: boolean;
  onConfirm: () => Promise<void>;
}

/**
 * A button that asks first, inline. Focus lands on Cancel so Enter never confirms by accident;
 * a failure is shown under the question and leaves it open to retry.
 */
export function ConfirmAction({ trigger, question, confirmLabel, busyLabel, cancelLabel = 'Cancel', questionId: fixedId, danger, disabled, onConfirm }: Props) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const triggerRef = useRef<HTMLButtonElement>(null);
  // Whether the question had the focus when it closed: the focus then goes back to the button
  // that asked, not to the page.
  const focusTrigger = useRef(false);
  const ownId = useId();
  const questionId = fixedId ?? ownId;

  useEffect(() => {
    if (confirming) cancelRef.current?.focus();
    else if (focusTrigger.current) {
      focusTrigger.current = false;
      triggerRef.current?.focus();
    }
  }, [confirming]);

  const hasFocus = () => Boolean(cancelRef.current?.closest('.confirm')?.contains(document.activeElement));
  const close = (hadFocus = hasFocus()) => {
    focusTrigger.current = hadFocus;
    setConfirming(false);
  };

  async function confirm() {
    // Read before the buttons are disabled: a disabled button loses the focus.
    const hadFocus = hasFocus();
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      close(hadFocus);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  if (!confirming) {
    return (
      <button
        type="button"
        ref={triggerRef}
        class={`button ${danger ? 'button-danger-quiet' : ''}`}
        onClick={() => setConfirming(true)}
        disabled={disabled}
      >
        {trigger}
      </button>
    );
  }
  return (
    <div
      class="confirm"
      role="group"
      aria-labelledby={questionId}
      onKeyDown={(e) => {
        // Escape answers no, as Cancel does (the asset panel leaves Escape in a question to it).
        if (e.key !== 'Escape' || busy) return;
        e.stopPropagation();
        close();
      }}
    >
      <p id={questionId}>{question}</p>
      <div class="confirm-actions">
        <button type="button" class={`button ${danger ? 'button-danger' : 'button-primary'}`} onClick={confirm} disabled={busy}>
          {busy ? busyLabel : confirmLabel}
        </button>
        <button type="button" class="button" ref={cancelRef} onClick={() => close()} disabled={busy}>
          {cancelLabel}
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
