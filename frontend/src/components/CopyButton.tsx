import { useEffect, useState } from 'preact/hooks';
import { copyText } from '../desktop';
import { CopyIcon } from './icons';

/** A small Copy button for a value shown beside it (a hash, a command); `label` names the value. */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');

  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 2_000);
    return () => clearTimeout(timer);
  }, [state]);

  async function copy() {
    try {
      await copyText(value);
      setState('copied');
    } catch {
      setState('failed');
    }
  }

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
