import { useCopy } from '../hooks/useCopy';
import { CopyIcon } from './icons';

/** A read-only value with a Copy button that says when it worked; `label` names the value. */
export function CopyField({ value, label }: { value: string; label: string }) {
  const [state, copy] = useCopy(value);

  return (
    <div class="copy-field">
      <input
        class="input copy-value"
        type="text"
        readOnly
        value={value}
        aria-label={label}
        onFocus={(e) => e.currentTarget.select()}
        spellcheck={false}
      />
      <button type="button" class="button" onClick={copy}>
        <CopyIcon /> {state === 'copied' ? 'Copied' : 'Copy'}
      </button>
      <span class="visually-hidden" role="status">
        {state === 'copied'
          ? `${label} copied to the clipboard`
          : state === 'failed'
            ? `Could not copy; select the ${label.toLowerCase()} and copy it by hand`
            : ''}
      </span>
      {state === 'failed' && <p class="field-error">Could not copy. Select the {label.toLowerCase()} and copy it by hand.</p>}
    </div>
  );
}
