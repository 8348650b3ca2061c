/**
 * Source timecode for the player: the start timecode of the original ("10:00:00:00",
 * ";" before the frames for drop-frame) plus the playhead in frames. Drop-frame counting
 * is not modelled: the frames are counted as non-drop, which is exact for 24, 25, 50 fps
 * and drifts by 3.6 s an hour at 29.97.
 */
export function parseTimecode(tc: string | undefined, fps: number): number | undefined {
  const m = tc?.trim().match(/^(\d{1,2}):(\d{2}):(\d{2})[:;.](\d{2,3})$/);
  const rate = Math.round(fps);
  if (!m || !(rate > 0) || rate > 1000) return undefined;
  const [h, min, s, f] = m.slice(1).map(Number) as [number, number, number, number];
  if (min > 59 || s > 59 || f >= rate) return undefined;
  return ((h * 60 + min) * 60 + s) * rate + f;
}

const two = (n: number) => String(n).padStart(2, '0');

/** The timecode at `seconds` into a clip starting at `start` (a timecode; 00:00:00:00 when absent). */
export function timecodeAt(seconds: number, fps: number, start?: string): string {
  const rate = Math.round(fps) > 0 ? Math.round(fps) : 25;
  const first = parseTimecode(start, rate) ?? 0;
  const total = first + Math.floor(Math.max(0, seconds) * (fps > 0 ? fps : rate) + 1e-6);
  const frames = total % rate;
  const s = Math.floor(total / rate);
  return `${two(Math.floor(s / 3600) % 24)}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}:${two(frames)}`;
}
