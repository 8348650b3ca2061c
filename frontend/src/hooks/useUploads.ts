import { createContext } from 'preact';
import { useCallback, useContext, useEffect, useRef, useState } from 'preact/hooks';
import { getAsset } from '../api/assets';
import { ApiError, messageOf } from '../api/client';
import type { Asset } from '../api/types';
import { cancelUpload, createUpload, retryable, sendFile } from '../api/uploads';
import { ByteRate } from '../speed';
import type { AddOptions } from './useAdder';
import type { Notify } from './useToasts';

export type UploadState = 'queued' | 'uploading' | 'done' | 'failed' | 'cancelled';

export interface UploadItem {
  key: number;
  name: string;
  size: number;
  /** Bytes the server holds. */
  sent: number;
  /** How fast the bytes go, bytes per second over the last seconds; absent until it is known. */
  rate?: number;
  /** The server is receiving as many uploads as it takes; the chunk goes again after a pause. */
  busy?: boolean;
  state: UploadState;
  error?: string;
  assetId?: string;
}

export interface Uploads {
  items: UploadItem[];
  /** Queues files; they are sent one after the other with the options given. */
  start: (files: File[], options: AddOptions) => void;
  cancel: (key: number) => void;
  dismiss: (key: number) => void;
}

/** A finished upload stays in the list this long, so the user sees it went through. */
export const DONE_VISIBLE_MS = 8_000;

interface Job {
  file: File;
  options: AddOptions;
  controller: AbortController;
  uploadId?: string;
}

/**
 * Browser uploads through Mux's direct-upload API, one file at a time (the machine is shared
 * with the builds they start). `onAdded` gets each new asset once its last byte has arrived.
 */
export function useUploads(onAdded: (asset: Asset) => void, notify: Notify): Uploads {
  const [items, setItems] = useState<UploadItem[]>([]);
  const jobs = useRef(new Map<number, Job>());
  const queue = useRef<number[]>([]);
  const running = useRef(false);
  const nextKey = useRef(1);
  // What the files queued since the list last emptied became: told in one toast at the end.
  const batch = useRef<{ done: string[]; failed: string[] }>({ done: [], failed: [] });
  const callbacks = useRef({ onAdded, notify });
  callbacks.current = { onAdded, notify };

  const update = useCallback((key: number, change: Partial<UploadItem>) => {
    setItems((all) => all.map((item) => (item.key === key ? { ...item, ...change } : item)));
  }, []);

  const dismiss = useCallback((key: number) => {
    jobs.current.delete(key);
    setItems((all) => all.filter((item) => item.key !== key));
  }, []);

  const finish = useCallback(
    (key: number, change: Partial<UploadItem>) => {
      update(key, change);
      if (change.state === 'done') setTimeout(() => dismiss(key), DONE_VISIBLE_MS);
    },
    [update, dismiss],
  );

  const send = useCallback(
    async (key: number, job: Job) => {
      const { file, options, controller } = job;
      update(key, { state: 'uploading' });
      try {
        const upload = await createUpload(
          { ...options, meta: { title: titleFromFileName(file.name) } },
          file.size,
          file.name.length <= 255 && !/[\\/]/.test(file.name) ? file.name : undefined,
        );
        job.uploadId = upload.id;
        if (controller.signal.aborted) {
          // Cancelled while the upload was being created: cancel() could not name it yet.
          void cancelUpload(upload.id).catch(() => {});
          throw controller.signal.reason;
        }
        const rate = new ByteRate();
        rate.add(0);
        const finished = await sendFile(upload.url, file, {
          signal: controller.signal,
          onProgress: (sent) => update(key, { sent, rate: rate.add(sent), busy: undefined }),
          onBusy: () => update(key, { busy: true }),
        });
        finish(key, { state: 'done', sent: file.size, rate: undefined, busy: undefined, assetId: finished.asset_id });
        batch.current.done.push(file.name);
        if (finished.asset_id) {
          try {
            callbacks.current.onAdded(await getAsset(finished.asset_id));
          } catch {
            // The library's own refresh shows it soon enough.
          }
        }
      } catch (err) {
        if (controller.signal.aborted) {
          finish(key, { state: 'cancelled' });
          return;
        }
        if (job.uploadId && refused(err)) {
          // The server refused the file itself (too large, a bad range…): sending again will not
          // help, so the upload is cancelled instead of waiting there until its timeout.
          void cancelUpload(job.uploadId).catch(() => {});
        }
        const message = uploadError(err);
        finish(key, { state: 'failed', error: message, rate: undefined, busy: undefined });
        batch.current.failed.push(`${file.name} (${message})`);
      }
    },
    [update, finish],
  );

  const pump = useCallback(async () => {
    if (running.current) return;
    running.current = true;
    try {
      for (let key = queue.current.shift(); key !== undefined; key = queue.current.shift()) {
        const job = jobs.current.get(key);
        if (job && !job.controller.signal.aborted) await send(key, job);
      }
    } finally {
      running.current = false;
    }
    const { done, failed } = batch.current;
    batch.current = { done: [], failed: [] };
    const notify = callbacks.current.notify;
    if (done.length === 1) notify('info', `Uploaded “${done[0]}”. Its master is being prepared.`);
    else if (done.length > 1) notify('info', `Uploaded ${done.length} files. Their masters are being prepared.`);
    if (failed.length > 0) notify('error', `${failed.length === 1 ? 'An upload' : `${failed.length} uploads`} failed: ${failed.join('; ')}.`);
  }, [send]);

  const start = useCallback(
    (files: File[], options: AddOptions) => {
      const added: UploadItem[] = files.map((file) => {
        const key = nextKey.current++;
        jobs.current.set(key, { file, options, controller: new AbortController() });
        queue.current.push(key);
        return { key, name: file.name, size: file.size, sent: 0, state: 'queued' };
      });
      setItems((all) => [...all, ...added]);
      void pump();
    },
    [pump],
  );

  const cancel = useCallback(
    (key: number) => {
      const job = jobs.current.get(key);
      if (!job) return;
      job.controller.abort();
      // A queued file never reached the server; a started one is cancelled there too, so its
      // bytes are removed at once instead of when the upload times out.
      if (job.uploadId) void cancelUpload(job.uploadId).catch(() => {});
      update(key, { state: 'cancelled' });
    },
    [update],
  );

  // Leaving the page would drop the transfer: ask first.
  const busy = items.some((item) => item.state === 'uploading' || item.state === 'queued');
  useEffect(() => {
    if (!busy) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [busy]);

  // Abort whatever is still sending when the window goes away.
  useEffect(() => () => jobs.current.forEach((job) => job.controller.abort()), []);

  return { items, start, cancel, dismiss };
}

/** "Interview take 2.mov" -> "Interview take 2": the asset's title (an upload has no file name). */
export function titleFromFileName(name: string): string {
  const dot = name.lastIndexOf('.');
  const base = dot > 0 && name.length - dot <= 6 ? name.slice(0, dot) : name;
  return base.trim() || name;
}

/** A 4xx answer that sending again will not change. */
function refused(err: unknown): boolean {
  return err instanceof ApiError && err.status >= 400 && err.status < 500 && !retryable(err.status);
}

function uploadError(err: unknown): string {
  if (err instanceof ApiError && err.status === 413) return `Too large for this Reelvault: ${messageOf(err)}`;
  return messageOf(err);
}

/** The uploads of the whole window, for the add panel (the window's drop target starts them). */
export const UploadsContext = createContext<Uploads | null>(null);
export const useUploadsContext = () => useContext(UploadsContext);
