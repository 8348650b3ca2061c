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

/** What the server made after the master (null: not made yet, or not for this kind of asset). */
export interface Previews {
  sprite: Sprite | null;
  waveform_url: string | null;
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
