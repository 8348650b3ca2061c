// Actions on many videos at once: each runs a few at a time, quick for hundreds without
// flooding the server, and failures are counted and named instead of stopping the rest.
import { deleteAsset, listAssets, rebuildAsset, setMasterAccess } from './api/assets';
import { ApiError, messageOf } from './api/client';
import type { Asset, MasterAccess, MaxResolutionTier } from './api/types';
import type { LibraryQuery } from './assetList';
import { titleOf } from './format';

/** Requests in flight at once for a bulk action. */
export const PARALLEL_REQUESTS = 6;

/** Runs `action` on every id, PARALLEL_REQUESTS at a time; returns the ids that failed. */
export async function runAll(ids: string[], action: (id: string) => Promise<void>): Promise<string[]> {
  const queue = ids.slice();
  const failed: string[] = [];
  const worker = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      try {
        await action(id);
      } catch {
        failed.push(id);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_REQUESTS, ids.length) }, worker));
  return failed;
}

function failure(failed: string[], total: number, what: string): Error {
  return new Error(`${failed.length} of ${total} could not be ${what}; they are still selected.`);
}

/** Deletes every id (one already gone counts as deleted); throws after trying all if any failed. */
export async function deleteAll(ids: string[], onDeleted: (id: string) => void): Promise<void> {
  const failed = await runAll(ids, async (id) => {
    try {
      await deleteAsset(id);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error;
    }
    onDeleted(id);
  });
  if (failed.length > 0) throw failure(failed, ids.length, 'deleted');
}

/** Turns download links on ('temporary') or off ('none') for every id. */
export async function setAccessAll(ids: string[], access: MasterAccess, onChanged: (asset: Asset) => void): Promise<void> {
  const failed = await runAll(ids, async (id) => onChanged(await setMasterAccess(id, access)));
  if (failed.length > 0) throw failure(failed, ids.length, 'changed');
}

/** What "Change master size" did to each video asked. */
export interface RebuildSummary {
  /** Queued: a new master is on its way. */
  rebuilding: string[];
  /** Nothing to do: the master is already that size (or the source is not bigger). */
  same: string[];
  /** Refused (the source is gone or changed, not ready yet...), with the server's reason; in the order asked. */
  left: { id: string; reason: string }[];
}

/** Asks for a new master at `tier` for every id; never throws: each refusal is kept with its reason. `onAnswered` counts the answers. */
export async function rebuildAll(
  ids: string[],
  tier: MaxResolutionTier,
  onChanged: (asset: Asset) => void,
  onAnswered?: (answered: number) => void,
): Promise<RebuildSummary> {
  const rebuilding = new Set<string>();
  const same = new Set<string>();
  const reasons = new Map<string, string>();
  let answered = 0;
  const failed = await runAll(ids, async (id) => {
    try {
      const { asset, queued } = await rebuildAsset(id, tier);
      (queued ? rebuilding : same).add(id);
      onChanged(asset);
    } catch (error) {
      reasons.set(id, error instanceof ApiError && error.status === 404 ? 'it is no longer in the library' : messageOf(error));
      throw error;
    } finally {
      onAnswered?.(++answered);
    }
  });
  const order = new Map(ids.map((id, i) => [id, i]));
  const left = failed.sort((a, b) => order.get(a)! - order.get(b)!).map((id) => ({ id, reason: reasons.get(id) ?? 'Something went wrong.' }));
  const inOrder = (set: Set<string>) => ids.filter((id) => set.has(id));
  return { rebuilding: inOrder(rebuilding), same: inOrder(same), left };
}

/** "9 rebuilding, 2 already that size, 1 left as it is": the parts that are not zero. */
export function rebuildSummaryLine(summary: RebuildSummary): string {
  const { rebuilding, same, left } = summary;
  const parts = [
    rebuilding.length > 0 && `${rebuilding.length.toLocaleString('en-US')} rebuilding`,
    same.length > 0 && `${same.length.toLocaleString('en-US')} already that size`,
    left.length > 0 && `${left.length.toLocaleString('en-US')} left as ${left.length === 1 ? 'it is' : 'they are'}`,
  ];
  return parts.filter(Boolean).join(', ');
}

/** Most ids "select all matching" gathers: 100 pages of the server's largest page. */
export const MAX_MATCHING = 10_000;

/** Every video the query matches (id and title), page by page, up to MAX_MATCHING. */
export async function allMatching(query: LibraryQuery, signal?: AbortSignal): Promise<{ id: string; title: string }[]> {
  const out: { id: string; title: string }[] = [];
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<typeof listAssets>> = await listAssets({
      limit: 100,
      cursor,
      q: query.q,
      status: query.status,
      order: query.order,
      orderBy: query.sort,
      source: query.source,
      codec: query.codec,
      resolution: query.resolution,
      signal,
    });
    for (const a of page.data) out.push({ id: a.id, title: titleOf(a) });
    cursor = page.next_cursor;
  } while (cursor && out.length < MAX_MATCHING);
  return out;
}
