import { useEffect, useId, useRef } from 'preact/hooks';
import { CopyField } from './CopyField';
import { KeyIcon } from './icons';

interface Props {
  secret: string;
  /** Whether the endpoint was just added or its secret just replaced. */
  reason: 'created' | 'rotated';
  onDone: () => void;
}

/**
 * The signing secret, shown once: the server never returns it again, so the user copies it
 * now (into the receiver's configuration) and closes this when done.
 */
export function SecretReveal({ secret, reason, onDone }: Props) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  const titleId = useId();

  // Take keyboard and screen-reader users straight to what they must act on.
  useEffect(() => {
    headingRef.current?.focus();
  }, [secret]);

  return (
    <section class="secret-reveal" aria-labelledby={titleId}>
      <h3 id={titleId} tabIndex={-1} ref={headingRef}>
        <KeyIcon /> {reason === 'created' ? 'Signing secret for this endpoint' : 'New signing secret'}
      </h3>
      <p>
        Your receiver checks the <code>Mux-Signature</code> header of every event with this secret.{' '}
        {reason === 'rotated' && 'The old secret no longer works: events from now on are signed with this one. '}
        <strong>Copy it now: you will not see this again.</strong>
      </p>
      <CopyField value={secret} label="Signing secret" />
      <div>
        <button type="button" class="button" onClick={onDone}>
          I have saved it
        </button>
      </div>
    </section>
  );
}
