import { request } from './client';
import type { Asset, AssetSettings } from './types';

/** A dropped path, or a file inside a dropped folder, that did not become an asset. */
export interface SkippedPath {
  path: string;
  reason: string;
}

export interface IngestPathsResult {
  assets: Asset[];
  /** At most 200 listed; `skipped_total` counts them all. */
  skipped: SkippedPath[];
  skipped_total: number;
}

export interface IngestPathsBody extends AssetSettings {
  paths: string[];
}

/**
 * Files and folders dropped on the window (or picked in the native dialog): each file becomes
 * an asset, each folder the videos inside it (recursively); other files are skipped with a reason.
 */
export async function ingestPaths(body: IngestPathsBody): Promise<IngestPathsResult> {
  const data = (await request<{ data: Partial<IngestPathsResult> }>('POST', '/ui/v1/ingest-paths', { body })).data;
  const skipped = data.skipped ?? [];
  return { assets: data.assets ?? [], skipped, skipped_total: data.skipped_total ?? skipped.length };
}
