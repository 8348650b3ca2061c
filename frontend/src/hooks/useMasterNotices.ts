import { useCallback, useEffect, useRef } from 'preact/hooks';
import { getAsset } from '../api/assets';
import type { Change } from '../api/changes';
import type { Asset } from '../api/types';
import { asSentence, titleOf } from '../format';
import { useChanges } from './useChanges';
import type { Notify } from './useToasts';

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
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

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
    const ready = finished.filter((a) => a.status === 'ready');
    const failed = finished.filter((a) => a.status === 'errored');
    if (ready.length === 1) notify('info', `“${titleOf(ready[0]!)}” is ready.`);
    else if (ready.length > 1) notify('info', `${ready.length} masters are ready.`);
    if (failed.length === 1) {
      const why = asSentence(failed[0]!.errors?.messages?.[0] ?? '');
      notify('error', `“${titleOf(failed[0]!)}” could not be archived.${why ? ` ${why}` : ''}`);
    } else if (failed.length > 1) {
      notify('error', `${failed.length} videos could not be archived. Open them to see why, and retry.`);
    }
    if (away() && ready.length + failed.length > 0) {
      unseen.current += ready.length + failed.length;
      showCount();
    }
  }, [notify, showCount]);

  const onChange = useCallback(
    (change: Change) => {
      if (change.kind !== 'event' || !NOTICE_EVENTS.has(change.type) || !change.object_id) return;
      pending.current.add(change.object_id);
      timer.current ??= setTimeout(() => void flush(), NOTICE_BATCH_MS);
    },
    [flush],
  );
  useChanges(onChange);
}
