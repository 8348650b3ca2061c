import type { Asset } from './api/types';
import { isWorking } from './format';

interface Sample {
  at: number;
  pct: number;
  state: string;
}

// The first progress seen of each running build (per state: a download, then the build).
const firstSeen = new Map<string, Sample>();

/** Until this long and this much progress are seen, the rate says too little to guess from. */
const MIN_SECONDS = 3;
const MIN_PERCENT = 0.5;

/**
 * Seconds left in an asset's running work, from the rate its progress moved since it was first
 * seen here; undefined while that says too little (just started, queued, waiting).
 */
export function secondsLeft(asset: Asset, now: number = Date.now()): number | undefined {
  const pct = asset.progress?.progress;
  const state = asset.progress?.state ?? '';
  if (!isWorking(asset) || pct === undefined || pct < 0) {
    firstSeen.delete(asset.id);
    return undefined;
  }
  const first = firstSeen.get(asset.id);
  if (!first || first.state !== state || pct < first.pct) {
    firstSeen.set(asset.id, { at: now, pct, state });
    return undefined;
  }
  const seconds = (now - first.at) / 1000;
  const moved = pct - first.pct;
  if (seconds < MIN_SECONDS || moved < MIN_PERCENT) return undefined;
  return ((100 - pct) * seconds) / moved;
}

/** For tests: forget every build seen. */
export function forgetRates(): void {
  firstSeen.clear();
}
