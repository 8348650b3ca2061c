import { useState } from 'preact/hooks';
import { useCopy } from '../hooks/useCopy';
import { CopyIcon, EyeIcon } from './icons';

const MASK = '•'.repeat(24);

/**
 * The stream key, hidden until the user asks (it lets anyone publish to the stream, and the
 * window may be on a shared screen). Copy works while it is hidden.
 */
export function StreamKeyField({ streamKey }: { streamKey: string }) {
  // Remember which key was revealed, so a new key (after a reset) starts hidden again.
  const [revealedKey, setRevealedKey] = useState<string | null>(null);
  const revealed = revealedKey === streamKey;
  const [copy, copyKey] = useCopy(streamKey);

  return (
    <div class="copy-field">
      <input
        class={`input copy-value${revealed ? '' : ' is-masked'}`}
        type="text"
        readOnly
        value={revealed ? streamKey : MASK}
        aria-label={revealed ? 'Stream key' : 'Stream key (hidden)'}
        onFocus={(e) => revealed && e.currentTarget.select()}
        spellcheck={false}
        autocomplete="off"
      />
      <button type="button" class="button" onClick={() => setRevealedKey(revealed ? null : streamKey)} aria-pressed={revealed}>
        <EyeIcon /> {revealed ? 'Hide' : 'Reveal'}
      </button>
      <button type="button" class="button" onClick={copyKey} aria-label="Copy stream key">
        <CopyIcon /> {copy === 'copied' ? 'Copied' : 'Copy'}
      </button>
      <span class="visually-hidden" role="status">
        {copy === 'copied' ? 'Stream key copied to the clipboard' : ''}
      </span>
      {copy === 'failed' && (
        <p class="field-error">Could not copy. Press Reveal, then select the stream key and copy it by hand.</p>
      )}
    </div>
  );
}
