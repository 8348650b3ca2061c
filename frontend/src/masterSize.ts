// The master's size in an editor's words: the "Master size" choices of the add panel, frame
// sizes by name ("4K", "1440p"), and the lines a rebuild at another size shows while it runs.
import type { Asset, MaxResolutionTier } from './api/types';
import { queuedLabel } from './format';
import { speedText } from './speed';

/** The "Master size" choices, as the add panel, live streams, watch folders and "Change master size" show them. */
export const tierLabels: Record<MaxResolutionTier, string> = {
  '1080p': 'Up to 1080p (HD)',
  '1440p': 'Up to 1440p',
  '2160p': 'Keep the source size (up to 4K)',
};

/** The same choices inside a sentence: "… from their sources at up to 1080p (HD)". */
const tierPhrases: Record<MaxResolutionTier, string> = {
  '1080p': 'up to 1080p (HD)',
  '1440p': 'up to 1440p',
  '2160p': 'full size (up to 4K)',
};

export const tierPhrase = (tier: MaxResolutionTier): string => tierPhrases[tier];

/** A master size in a sentence ("masters up to 4K"): editors say 4K, not 2160p. */
export const tierWords = (tier: string): string => (tier === '2160p' ? '4K' : tier);

/** The name editors give a frame size ("4K" from 3840×2160 up to 4096 wide, "1080p" only for 1920×1080), if it has one. */
export function sizeName(p: { width: number; height: number }): string | undefined {
  if (p.width >= 3840 && p.height >= 2160) return p.width >= 4096 ? undefined : '4K';
  const named: Record<string, string> = { '1920x1080': '1080p', '1280x720': '720p', '2560x1440': '1440p' };
  return named[`${p.width}x${p.height}`];
}

/** A frame size as an editor names it: "4K" only from 3840 wide, "1080p" only for 1920×1080, else W×H. */
export function pictureName(p: { width: number; height: number }): string {
  return sizeName(p) ?? `${p.width}×${p.height}`;
}

// Each tier's box, long side by short side (the server's media.tierBoxes): a portrait video fits it turned.
const boxes: Record<MaxResolutionTier, [number, number]> = { '1080p': [1920, 1080], '1440p': [2560, 1440], '2160p': [3840, 2160] };

/**
 * What a master at `tier` would be called: the source scaled down (never up) to fit the tier's
 * box, as the server does, when the source's size is known; else the tier's own name.
 */
export function sizeAtTier(asset: Asset, tier: MaxResolutionTier): string {
  const source = asset.source_picture;
  if (!source || source.width <= 0 || source.height <= 0) return tierWords(tier);
  const [long, short] = boxes[tier];
  const scale = Math.min(1, long / Math.max(source.width, source.height), short / Math.min(source.width, source.height));
  const even = (v: number) => Math.max(2, Math.round(v) - (Math.round(v) % 2));
  return pictureName({ width: even(source.width * scale), height: even(source.height * scale) });
}

/**
 * A rebuild's state in one line: "Rebuilding at 4K · 42%", "Rebuild queued · 3 ahead",
 * "Rebuild failed"; undefined without a rebuild.
 */
export function rebuildLine(asset: Asset): string | undefined {
  const r = asset.rebuild;
  if (!r) return undefined;
  if (r.waiting && r.state !== 'failed') return r.waiting;
  switch (r.state) {
    case 'queued':
      return r.queue_ahead === undefined ? 'Rebuild queued' : `Rebuild ${queuedLabel(r.queue_ahead).toLowerCase()}`;
    case 'failed':
      return 'Rebuild failed';
    default: {
      const at = `Rebuilding at ${sizeAtTier(asset, r.max_resolution_tier)}`;
      if (!Number.isFinite(r.progress) || r.progress < 0) return at;
      return [at, `${Math.round(Math.min(100, r.progress))}%`, speedText(r.speed)].filter(Boolean).join(' · ');
    }
  }
}
