// Words for live streams, shared by the Live page's components.
import type { LiveHealth, LiveStream } from './api/live';

/** The name the user gave (the UI keeps it in passthrough), else a short form of the id. */
export function streamName(stream: LiveStream): string {
  return stream.passthrough?.trim() || `Live stream ${stream.id.slice(0, 6)}`;
}

/** 60 -> "60 seconds", 120 -> "2 minutes", 0 -> "no time". */
export function windowWords(seconds: number): string {
  if (seconds <= 0) return 'no time';
  if (seconds >= 120 && seconds % 60 === 0) return `${seconds / 60} minutes`;
  return `${seconds} ${seconds === 1 ? 'second' : 'seconds'}`;
}

/** A count the server sent, or 0 when it is not a sane one. */
function count(n: unknown): number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}

/** "4.2 Mb/s", "850 kb/s". */
export function formatBitrate(bps: number): string {
  const b = count(bps);
  if (b >= 1_000_000) return `${(b / 1_000_000).toFixed(1)} Mb/s`;
  return `${Math.round(b / 1000)} kb/s`;
}

/**
 * "4.2 Mb/s · 25 fps · 0 dropped" ("audio only" in place of the frame rate when there is no
 * video), with timestamp gaps added when there were any; before the
 * server has a whole second of the stream to count, it says so rather than showing zeros.
 */
export function healthLine(h: LiveHealth): string {
  if (h.measuring) return 'Measuring the stream…';
  const fps = typeof h.frame_rate === 'number' && Number.isFinite(h.frame_rate) && h.frame_rate > 0 ? h.frame_rate : 0;
  const parts = [formatBitrate(h.bitrate_bps), h.audio_only ? 'audio only' : `${Number(fps.toFixed(1))} fps`, `${count(h.dropped_frames)} dropped`];
  const gaps = count(h.timestamp_gaps);
  if (gaps > 0) parts.push(`${gaps} ${gaps === 1 ? 'gap' : 'gaps'}`);
  return parts.join(' · ');
}
