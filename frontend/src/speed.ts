import type { Speed } from './api/types';

/** 2.43 -> "2.4× real time", 24.6 -> "25× real time", 0.043 -> "0.04× real time": a transcode's pace. */
export function formatRealtime(factor: number): string {
  if (!Number.isFinite(factor) || factor <= 0) return '';
  const digits = factor >= 10 ? 0 : factor >= 0.1 ? 1 : 2;
  return `${factor.toFixed(digits)}× real time`;
}

/** 89e6 -> "89 MB/s", 850e3 -> "850 KB/s", 8.46e6 -> "8.5 MB/s": decimal units, as formatBytes. */
export function formatRate(bytesPerSecond: number): string {
  if (!Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0) return '';
  const units = ['B/s', 'KB/s', 'MB/s', 'GB/s'];
  let value = bytesPerSecond;
  let unit = 0;
  while (value >= 999.5 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(value >= 10 || unit === 0 ? 0 : 1)} ${units[unit]}`;
}

/** The server's speed of a running build or download in an editor's words; '' when unknown. */
export function speedText(speed: Speed | undefined): string {
  if (!speed) return '';
  if (speed.realtime) return formatRealtime(speed.realtime);
  if (speed.bytes_per_second) return formatRate(speed.bytes_per_second);
  return '';
}

/** Whether two speeds read the same (a pushed progress that changes nothing re-renders nothing). */
export const sameSpeed = (a: Speed | undefined, b: Speed | undefined): boolean =>
  a?.realtime === b?.realtime && a?.bytes_per_second === b?.bytes_per_second;

/** A rate is measured over the last WINDOW_MS of samples, once they span MIN_SPAN_MS. */
const WINDOW_MS = 5_000;
const MIN_SPAN_MS = 1_000;

/**
 * Bytes per second of a transfer this window makes (an upload), from the byte counts seen over
 * the last few seconds: steady enough not to flicker, quick enough to follow a slower link.
 */
export class ByteRate {
  private samples: { at: number; n: number }[] = [];

  /** Records `n` bytes done at `at` (ms) and returns the rate, or undefined while it says too little. */
  add(n: number, at: number = Date.now()): number | undefined {
    const last = this.samples[this.samples.length - 1];
    if (last && (n < last.n || at < last.at)) this.samples = []; // started over: measure afresh
    this.samples.push({ at, n });
    while (this.samples.length > 2 && at - (this.samples[1]?.at ?? at) >= WINDOW_MS) this.samples.shift();
    const first = this.samples[0] ?? { at, n };
    const span = at - first.at;
    return span < MIN_SPAN_MS ? undefined : ((n - first.n) * 1000) / span;
  }
}
