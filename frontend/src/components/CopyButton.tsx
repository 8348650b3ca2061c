import { useCopy } from '../hooks/useCopy';
import { CopyIcon } from './icons';

/** A small Copy button for a value shown beside it (a hash, a command); `label` names the value. */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const [state, copy] = useCopy(value);

  return (
    <button
      type="button"
      class="button button-small copy-button"
      onClick={copy}
      aria-label={state === 'copied' ? `${label} copied` : `Copy ${label}`}
      title={state === 'failed' ? `Could not copy; select the ${label} and copy it by hand` : `Copy ${label}`}
    >
      <CopyIcon width="14" height="14" /> {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : 'Copy'}
    </button>
  );
}
