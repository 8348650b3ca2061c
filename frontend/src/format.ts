import type { Asset, Track } from './api/types';
import { speedText } from './speed';

/** 75.4 -> "1:15", 3725 -> "1:02:05". */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '–';
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** Decimal units, as file managers show them: 123456789 -> "123 MB", 1.5e9 -> "1.5 GB". */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '–';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  const shown = Number(value.toFixed(digits));
  return `${shown} ${units[unit]}`;
}

/** "expires in 23 h 59 min" for a Unix-seconds expiry, measured from `nowMs`. */
export function formatExpiry(expiresAt: string | number | undefined, nowMs: number = Date.now()): string {
  const seconds = Number(expiresAt);
  if (expiresAt === undefined || expiresAt === '' || !Number.isFinite(seconds)) return '';
  const left = Math.floor(seconds - nowMs / 1000);
  if (left <= 0) return 'expired';
  if (left < 60) return 'expires in less than a minute';
  const minutes = Math.floor(left / 60);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return `expires in ${days} d ${hours} h`;
  if (hours > 0) return `expires in ${hours} h ${mins} min`;
  return `expires in ${mins} min`;
}

/** 86400 -> "24 hours", 604800 -> "7 days": for sentences about how long a link lives. */
export function formatLifetime(seconds: number): string {
  if (seconds % 86400 === 0 && seconds > 2 * 86400) return plural(seconds / 86400, 'day');
  if (seconds % 3600 === 0 && seconds >= 3600) return plural(seconds / 3600, 'hour');
  return plural(Math.max(1, Math.round(seconds / 60)), 'minute');
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The server's display title; else the title the user gave, else the input's file name. A live
 * recording that still has its stream's name says when it started ("Morning show · Nov 28,
 * 2026, 9:14 AM"), so a stream's recordings are told apart.
 */
export function titleOf(asset: Asset): string {
  // A stream made through the API without a title gives its recordings none: the server then
  // calls one "Untitled 2026-11-28 14:06", which the date below would repeat.
  if (asset.source === 'live' && !asset.meta?.title?.trim()) return `Live recording · ${formatCreatedAt(asset.created_at)}`;
  const title = asset.title?.trim() || asset.meta?.title?.trim();
  if (title) return isStreamName(asset, title) ? `${title} · ${formatCreatedAt(asset.created_at)}` : title;
  const name = asset.input ? fileNameOf(asset.input) : '';
  return name || 'Untitled video';
}

// The window names a stream in its passthrough and its recordings' meta.title alike; a recording
// renamed since (or one of a stream without a passthrough) has a title of its own.
function isStreamName(asset: Asset, title: string): boolean {
  if (asset.source !== 'live' || !asset.created_at) return false;
  const streamName = asset.passthrough?.trim();
  return !streamName || streamName === title;
}

/** "Recording 0:05": how long a live recording has run, from its start (the asset's creation). */
export function recordingLabel(asset: Asset, nowMs: number): string {
  const started = Number(asset.created_at);
  const seconds = Number.isFinite(started) ? Math.max(0, nowMs / 1000 - started) : undefined;
  return seconds === undefined ? 'Recording' : `Recording ${formatDuration(seconds)}`;
}

export function fileNameOf(input: string): string {
  let path = input.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
    try {
      path = decodeURIComponent(new URL(path).pathname);
    } catch {
      // Not a parseable URL: use it as a plain path.
    }
  }
  const parts = path.split(/[\\/]/).filter(Boolean);
  return parts[parts.length - 1] ?? '';
}

export const videoTrack = (asset: Asset): Track | undefined => asset.tracks?.find((t) => t.type === 'video');
export const audioTrack = (asset: Asset): Track | undefined => asset.tracks?.find((t) => t.type === 'audio');

/**
 * "25 fps", "29.97 fps", "23.976 fps". An average within 0.005 of a whole rate is that rate: a
 * live recording's timestamps average 30.001, which no editor would call its frame rate.
 */
export function formatFrameRate(fps: number | undefined): string {
  if (fps === undefined || !Number.isFinite(fps) || fps <= 0) return '–';
  const whole = Math.round(fps);
  return `${Math.abs(fps - whole) < 0.005 ? whole : Number(fps.toFixed(3))} fps`;
}

export function formatChannels(channels: number | undefined): string {
  switch (channels) {
    case undefined:
      return '–';
    case 1:
      return 'Mono';
    case 2:
      return 'Stereo';
    case 6:
      return '5.1';
    case 8:
      return '7.1';
    default:
      return `${channels} channels`;
  }
}

/** Unix-seconds string -> a short local date and time. */
export function formatCreatedAt(createdAt: string | undefined): string {
  const seconds = Number(createdAt);
  if (!createdAt || !Number.isFinite(seconds)) return '–';
  return new Date(seconds * 1000).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Whether the asset, its link or a new master at another size is still being worked on (drives fast polling). */
export const isBusy = (asset: Asset): boolean => asset.status === 'preparing' || asset.master?.status === 'preparing' || isRebuilding(asset);

/** Whether a rebuild at another size is waiting or running (a failed one waits for the user to dismiss it). */
export const isRebuilding = (asset: Asset): boolean => asset.rebuild?.state === 'queued' || asset.rebuild?.state === 'building';

const progressWords: Record<string, string> = {
  ingesting: 'Reading the source',
  transcoding: 'Building the master',
  completed: 'Finishing',
  errored: 'Failed',
};

export function progressLabel(asset: Asset): string {
  if (asset.waiting) return asset.waiting; // the disk is short: say so, not "Building the master"
  if (asset.queue_ahead !== undefined) return queuedLabel(asset.queue_ahead);
  const state = asset.progress?.state;
  if (state === 'ingesting' && asset.source === 'url') return 'Downloading'; // a web input's first step
  return (state && progressWords[state]) ?? 'Preparing';
}

/** "Queued · 3 ahead": a build waiting its turn, not one stuck at 0%. */
export function queuedLabel(ahead: number): string {
  return ahead <= 0 ? 'Queued · next' : `Queued · ${ahead} ahead`;
}

/** Whether the asset's work is running (a percentage means something), not waiting in line or for space. */
export const isWorking = (asset: Asset): boolean =>
  asset.status === 'preparing' && !asset.waiting && asset.queue_ahead === undefined;

/**
 * The whole progress line of a preparing asset: "Building the master · 42% · 2.4× real time ·
 * about 3 min left", "Downloading · 42% · 85 MB/s", "Queued · 3 ahead", or what it waits for.
 * `eta` is seconds left, when known; the speed is the server's, while it knows one.
 */
export function progressLine(asset: Asset, eta?: number): string {
  const label = progressLabel(asset);
  const pct = asset.progress?.progress;
  if (!isWorking(asset) || pct === undefined || pct < 0) return label;
  const left = eta !== undefined ? formatTimeLeft(eta) : '';
  return [label, `${Math.round(pct)}%`, speedText(asset.speed), left].filter(Boolean).join(' · ');
}

/** 40 -> "about 40 s left", 190 -> "about 3 min left", 4000 -> "about 1 h 7 min left". */
export function formatTimeLeft(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '';
  if (seconds < 60) return `about ${Math.max(5, Math.round(seconds / 5) * 5)} s left`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} min left`;
  return `about ${Math.floor(minutes / 60)} h ${minutes % 60} min left`;
}

/** An ISO 8601 time -> "Nov 24, 9:37:47 PM" (the year only when it is not this one): logs need seconds. */
export function formatTimestamp(iso: string | null | undefined, now: Date = new Date()): string {
  if (!iso) return '–';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '–';
  return date.toLocaleString(undefined, {
    year: date.getFullYear() === now.getFullYear() ? undefined : 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    second: '2-digit',
  });
}

/** An ISO 8601 time -> "9:37:53 PM": for moments close to now, such as the next retry. */
export function formatClock(iso: string | null | undefined): string {
  if (!iso) return '–';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '–';
  return date.toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit', second: '2-digit' });
}

/** 12 -> "12 ms", 1530 -> "1.53 s": how long a request took. */
export function formatMillis(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${Number((ms / 1000).toFixed(ms < 10_000 ? 2 : 1))} s`;
}

/** "1 attempt", "3 attempts". */
export const countOf = (n: number, word: string): string => plural(n, word);

/** The server's messages are clauses ("the file is empty"); show them as sentences. */
export function asSentence(message: string): string {
  const text = message.trim();
  if (!text) return '';
  const capital = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** Seconds left -> a ticking countdown: 90061 -> "1 d 01:01:01", 3599 -> "59:59", 0 -> "0:00". */
export function formatCountdown(secondsLeft: number): string {
  const total = Math.max(0, Math.floor(secondsLeft));
  const days = Math.floor(total / 86400);
  const h = Math.floor((total % 86400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  if (days > 0) return `${days} d ${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${s}`;
  if (h > 0) return `${h}:${String(m).padStart(2, '0')}:${s}`;
  return `${m}:${s}`;
}
