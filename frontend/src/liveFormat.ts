// Words for live streams, shared by the Live page's components.
import type { LiveStream } from './api/live';

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
