import { useEffect, useState } from 'preact/hooks';
import type { Asset } from '../api/types';
import { getKeptOriginal, type KeptOriginal } from '../api/uploads';

/**
 * The uploaded file Reelvault keeps as this asset's input (name as the user knew it, size,
 * download), read once for the panel; null for assets added by path, whose original stays
 * where it was, and until it is known.
 */
export function useKeptOriginal(asset: Asset): KeptOriginal | null {
  const [original, setOriginal] = useState<KeptOriginal | null>(null);
  useEffect(() => {
    setOriginal(null);
    if (asset.source !== 'upload') return;
    const abort = new AbortController();
    getKeptOriginal(asset.id, abort.signal).then(setOriginal, () => setOriginal(null));
    return () => abort.abort();
  }, [asset.id, asset.source]);
  return original;
}
