import { useCallback, useState } from 'preact/hooks';
import { createAsset } from '../api/assets';
import { messageOf } from '../api/client';
import { ingestPaths, type SkippedPath } from '../api/ingest';
import { MAX_RESOLUTION_TIERS, type Asset, type AssetSettings, type MaxResolutionTier } from '../api/types';

/** The settings the add panel asks for, always both given. */
export type AddOptions = Required<Pick<AssetSettings, 'max_resolution_tier' | 'master_access'>>;

export interface AddResult {
  added: Asset[];
  failed: { input: string; message: string }[];
  /** Files of dropped folders that were left out (not videos, unreadable), with the reason. */
  skipped?: SkippedPath[];
  /** How many were left out; the server lists at most 200 of them. */
  skippedTotal?: number;
}

export interface Adder {
  options: AddOptions;
  setOptions: (options: AddOptions) => void;
  busy: boolean;
  add: (inputs: string[]) => Promise<AddResult>;
  /** Dropped or picked files and folders: a folder adds the videos inside it. */
  addPaths: (paths: string[]) => Promise<AddResult>;
}

const STORAGE_KEY = 'reelvault.addOptions';
const DEFAULT_OPTIONS: AddOptions = { max_resolution_tier: '2160p', master_access: 'none' };

/** Creates one asset per path or URL with the options the user last chose (remembered locally). */
export function useAdder(onAdded: (asset: Asset) => void): Adder {
  const [options, setOptionsState] = useState<AddOptions>(loadOptions);
  const [busy, setBusy] = useState(false);

  const setOptions = useCallback((next: AddOptions) => {
    setOptionsState(next);
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    } catch {
      // Storage can be unavailable (private mode); the choice then lasts for this session.
    }
  }, []);

  const add = useCallback(
    async (inputs: string[]): Promise<AddResult> => {
      const result: AddResult = { added: [], failed: [] };
      setBusy(true);
      try {
        // One at a time keeps the server's order (newest last added) and the machine calm.
        for (const input of inputs.map(cleanInput).filter(Boolean)) {
          try {
            if (isURL(input)) {
              const asset = await createAsset({ input, ...options });
              result.added.push(asset);
              onAdded(asset);
              continue;
            }
            // A typed path is checked now (it exists, it is readable; a folder adds the videos in
            // it), so a typo is an error beside the field, not a failed entry in the library.
            const dropped = await ingestPaths({ paths: [input], ...options });
            dropped.assets.forEach(onAdded);
            result.added.push(...dropped.assets);
            const skipped = dropped.skipped[0];
            if (dropped.assets.length === 0) {
              result.failed.push({ input, message: skipped ? pathProblem(skipped) : 'There is no video in that folder.' });
            }
          } catch (error) {
            result.failed.push({ input, message: messageOf(error) });
          }
        }
      } finally {
        setBusy(false);
      }
      return result;
    },
    [options, onAdded],
  );

  const addPaths = useCallback(
    async (paths: string[]): Promise<AddResult> => {
      setBusy(true);
      try {
        const result = await ingestPaths({ paths, ...options });
        result.assets.forEach(onAdded);
        return { added: result.assets, failed: [], skipped: result.skipped, skippedTotal: result.skipped_total };
      } catch (error) {
        return { added: [], failed: [{ input: paths.length === 1 ? paths[0]! : `${paths.length} items`, message: messageOf(error) }] };
      } finally {
        setBusy(false);
      }
    },
    [options, onAdded],
  );

  return { options, setOptions, busy, add, addPaths };
}

const isURL = (input: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(input);

/** "does not exist" about /x/clip.mov, as a sentence for the add panel. */
export function pathProblem({ path, reason }: SkippedPath): string {
  if (reason === 'not an absolute path') {
    return `“${path}” is not a full path: type it from the start (/home/you/Videos/clip.mov, or C:\\Videos\\clip.mov on Windows), or an http(s) URL.`;
  }
  if (reason === 'does not exist') return `Nothing is at ${path}: check the spelling, or whether the drive is connected.`;
  return `${path}: ${reason}.`;
}

/** File managers often copy paths wrapped in quotes; the server wants the bare path. */
export function cleanInput(raw: string): string {
  const trimmed = raw.trim();
  const quoted = /^(['"])(.*)\1$/.exec(trimmed);
  return (quoted ? quoted[2]! : trimmed).trim();
}

function loadOptions(): AddOptions {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Partial<AddOptions> | null;
    const tiers: readonly MaxResolutionTier[] = MAX_RESOLUTION_TIERS;
    if (saved) {
      return {
        max_resolution_tier: tiers.includes(saved.max_resolution_tier!) ? saved.max_resolution_tier! : DEFAULT_OPTIONS.max_resolution_tier,
        master_access: saved.master_access === 'temporary' ? 'temporary' : 'none',
      };
    }
  } catch {
    // Corrupt or unavailable storage: use the defaults.
  }
  return DEFAULT_OPTIONS;
}
