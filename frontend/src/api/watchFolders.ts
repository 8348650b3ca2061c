// Watch folders (Reelvault's own API, under /ui/v1): every video that appears in one becomes
// an asset with the folder's settings, once the file has stopped changing.
import { request } from './client';
import type { AssetSettings, MasterAccess, MaxResolutionTier, Page, VideoQuality } from './types';

/** starting: not looked at yet; polling: no change events (a network mount), scanned instead. */
export type WatchState = 'starting' | 'watching' | 'polling' | 'error';

/** What became of a file: settling (still being written), ingesting, ingested, moved, skipped. */
export type FileOutcome = 'settling' | 'ingesting' | 'ingested' | 'moved' | 'skipped';

export interface WatchedFile {
  path: string;
  size: number;
  outcome: FileOutcome | string;
  asset_id?: string;
  note?: string;
  moved_to?: string;
  /** Unix seconds. */
  at: string;
}

export type AfterIngest = 'leave' | 'move';

export interface WatchFolder {
  id: string;
  path: string;
  max_resolution_tier: MaxResolutionTier;
  master_access: MasterAccess;
  video_quality: VideoQuality;
  after: AfterIngest;
  /** Where finished files go when `after` is "move" (absolute, as the server resolved it). */
  done_path: string;
  /** Given with --watch: it comes back at the next start even if removed here. */
  from_command_line: boolean;
  created_at: string;
  state: WatchState | string;
  /** Why it is in error, or why it is polled. */
  message?: string;
  last_scan_at?: string;
  /** Newest first. */
  recent_files: WatchedFile[];
}

/** A folder's assets are made with master access, tier and quality (no passthrough or meta). */
export interface WatchFolderSettings extends Pick<AssetSettings, 'master_access' | 'max_resolution_tier' | 'video_quality'> {
  path?: string;
  after?: AfterIngest;
  /** Empty means "done" inside the watched folder; relative paths are inside it too. */
  done_path?: string;
}

const base = '/ui/v1/watch-folders';
const path = (id: string) => `${base}/${encodeURIComponent(id)}`;

/** Oldest first. */
export async function listWatchFolders(signal?: AbortSignal): Promise<WatchFolder[]> {
  return (await request<Page<WatchFolder>>('GET', base, { signal })).data ?? [];
}

/** Starts watching; videos already in the folder are added too. A 400 says why the path is refused. */
export async function addWatchFolder(settings: WatchFolderSettings): Promise<WatchFolder> {
  return (await request<{ data: WatchFolder }>('POST', base, { body: settings })).data;
}

export async function updateWatchFolder(id: string, settings: WatchFolderSettings): Promise<WatchFolder> {
  return (await request<{ data: WatchFolder }>('PATCH', path(id), { body: settings })).data;
}

/** Stops watching. Its files and the videos made from them stay. */
export async function removeWatchFolder(id: string): Promise<void> {
  await request<void>('DELETE', path(id));
}
