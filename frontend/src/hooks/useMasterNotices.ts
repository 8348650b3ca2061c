import { useCallback, useEffect, useRef } from 'preact/hooks';
import { getAsset } from '../api/assets';
import type { Change } from '../api/changes';
import type { Asset, Rebuild } from '../api/types';
import { pictureOf } from '../assetList';
import { pictureName, sizeAtTier } from '../masterSize';
import { asSentence, titleOf } from '../format';
import { useChanges } from './useChanges';
import { INFO_TOAST_MS, type Notify } from './useToasts';

/** Masters finishing together (a batch of clips) are told in one toast. */
export const NOTICE_BATCH_MS = 800;

const NOTICE_EVENTS = new Set(['video.asset.ready', 'video.asset.errored']);

/**
 * Tells the person when a master is ready or failed: a toast in the window, and while the
 * window is in the background a count in the tab's title ("(2) Reelvault"), cleared when they
 * come back to it.
 */
export function useMasterNotices(notify: Notify): void {
  const baseTitle = useRef(document.title);
  const unseen = useRef(0);
  const pending = useRef(new Set<string>());
  // Ready videos whose master is being rebuilt at another size, as the feed's progress entries
  // last said: their next video.asset.updated at that size is the new master landing.
  const rebuilds = useRef(new Map<string, Rebuild>());
  const landing = useRef(new Set<string>());
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // Masters ready since the "ready" toast appeared: batches finishing while it is shown add to
  // its count ("8 masters are ready.") instead of stacking twin toasts ("4…", "4…").
  const readyRun = useRef({ count: 0, at: 0 });

  const away = () => document.visibilityState === 'hidden' || !document.hasFocus();
  const showCount = useCallback(() => {
    document.title = unseen.current > 0 ? `(${unseen.current}) ${baseTitle.current}` : baseTitle.current;
  }, []);

  useEffect(() => {
    const back = () => {
      if (away()) return;
      unseen.current = 0;
      showCount();
    };
    window.addEventListener('focus', back);
    document.addEventListener('visibilitychange', back);
    return () => {
      window.removeEventListener('focus', back);
      document.removeEventListener('visibilitychange', back);
      clearTimeout(timer.current);
      document.title = baseTitle.current;
    };
  }, [showCount]);

  const count = useCallback(
    (n: number) => {
      if (!away() || n === 0) return;
      unseen.current += n;
      showCount();
    },
    [showCount],
  );

  const flush = useCallback(async () => {
    timer.current = undefined;
    const ids = [...pending.current];
    pending.current.clear();
    const finished: Asset[] = [];
    for (const id of ids) {
      try {
        finished.push(await getAsset(id));
      } catch {
        // Deleted meanwhile: nothing to tell.
      }
    }
    const rebuilt: Asset[] = [];
    for (const id of [...landing.current]) {
      landing.current.delete(id);
      const asked = rebuilds.current.get(id);
      const a = await getAsset(id).catch(() => undefined);
      // Cancelled (the tier did not change) or still running: nothing to tell.
      if (!asked || !a || a.rebuild || a.max_resolution_tier !== asked.max_resolution_tier) continue;
      rebuilds.current.delete(id);
      rebuilt.push(a);
    }
    if (rebuilt.length === 1) {
      const picture = pictureOf(rebuilt[0]!);
      notify('info', `The new master of “${titleOf(rebuilt[0]!)}” is ready${picture ? `: ${pictureName(picture)}` : ''}.`);
    } else if (rebuilt.length > 1) {
      notify('info', `${rebuilt.length} new masters are ready.`);
    }
    count(rebuilt.length);
    const ready = finished.filter((a) => a.status === 'ready');
    const failed = finished.filter((a) => a.status === 'errored');
    if (ready.length > 0) {
      const now = Date.now();
      const run = readyRun.current;
      const shown = now - run.at < INFO_TOAST_MS ? run.count : 0;
      readyRun.current = { count: shown + ready.length, at: now };
      const text = shown === 0 && ready.length === 1 ? `“${titleOf(ready[0]!)}” is ready.` : `${shown + ready.length} masters are ready.`;
      notify('info', text, 'masters-ready');
    }
    if (failed.length === 1) {
      const why = asSentence(failed[0]!.errors?.messages?.[0] ?? '');
      notify('error', `“${titleOf(failed[0]!)}” could not be archived.${why ? ` ${why}` : ''}`);
    } else if (failed.length > 1) {
      notify('error', `${failed.length} videos could not be archived. Open them to see why, and retry.`);
    }
    count(ready.length + failed.length);
  }, [notify, count]);

  /** A rebuild that was running failed: say so once, with the reason (the master is unchanged). */
  const rebuildFailed = useCallback(
    async (id: string, rebuild: Rebuild) => {
      const a = await getAsset(id).catch(() => undefined);
      if (!a) return;
      const why = asSentence(rebuild.error ?? '');
      notify('error', `The master of “${titleOf(a)}” could not be rebuilt at ${sizeAtTier(a, rebuild.max_resolution_tier)}; it is unchanged.${why ? ` ${why}` : ''}`);
      count(1);
    },
    [notify, count],
  );

  const onChange = useCallback(
    (change: Change) => {
      if (change.kind === 'progress') {
        for (const entry of change.progress) {
          if (!entry.rebuild) continue;
          const before = rebuilds.current.get(entry.id);
          if (entry.rebuild.state === 'failed') {
            rebuilds.current.delete(entry.id);
            if (before) void rebuildFailed(entry.id, entry.rebuild);
          } else {
            rebuilds.current.set(entry.id, entry.rebuild);
          }
        }
        return;
      }
      if (!change.object_id) return;
      if (change.type === 'video.asset.updated' && rebuilds.current.has(change.object_id)) landing.current.add(change.object_id);
      else if (NOTICE_EVENTS.has(change.type)) pending.current.add(change.object_id);
      else return;
      timer.current ??= setTimeout(() => void flush(), NOTICE_BATCH_MS);
    },
    [flush, rebuildFailed],
  );
  useChanges(onChange);
}
