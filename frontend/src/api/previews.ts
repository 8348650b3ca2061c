import { request } from './client';

/** A sprite sheet of small pictures through the video: tile i shows i × interval seconds. */
export interface Sprite {
  url: string;
  tiles: number;
  columns: number;
  rows: number;
  tile_width: number;
  tile_height: number;
  interval: number;
}

/**
 * The copy the server makes after the master when browsers cannot play the master (HEVC 4:2:2
 * 10-bit, ALAC): H.264 + AAC, or AAC alone for sound. Failed: none could be made.
 */
export interface PlaybackCopy {
  state: 'preparing' | 'ready' | 'failed';
  url: string | null;
}

/** What the server made after the master (null: not made yet, or not for this kind of asset). */
export interface Previews {
  sprite: Sprite | null;
  waveform_url: string | null;
  /** Null when the master plays in a browser as it is. */
  playback?: PlaybackCopy | null;
}

const cache = new Map<string, Promise<Previews>>();

/**
 * An asset's previews, asked once per asset (a hover over a card asks at most once); an
 * answer without them is forgotten after a while, so previews made later still show.
 */
export function getPreviews(id: string): Promise<Previews> {
  let got = cache.get(id);
  if (!got) {
    got = request<{ data: Previews }>('GET', `/ui/v1/assets/${encodeURIComponent(id)}/previews`).then((r) => r.data);
    cache.set(id, got);
    const forget = () => setTimeout(() => cache.delete(id), 30_000);
    got.then((p) => !(p.sprite || p.waveform_url) && forget(), () => cache.delete(id));
  }
  return got;
}

/** An asset's playback copy as it is now (never cached: it changes while it is made). */
export async function getPlaybackCopy(id: string, signal?: AbortSignal): Promise<PlaybackCopy | null> {
  const r = await request<{ data: Previews }>('GET', `/ui/v1/assets/${encodeURIComponent(id)}/previews`, { signal });
  return r.data.playback ?? null;
}
