// Fakes for the two push channels: EventSource (browser) and window.runtime.EventsOn (Wails).
import { vi } from 'vitest';
import type { Change } from '../src/api/changes';

type Listener = (event: MessageEvent) => void;

/** A stand-in EventSource the test drives: open(), send(...), fail(). */
export class FakeEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static instances: FakeEventSource[] = [];

  readonly url: string;
  readyState = FakeEventSource.CONNECTING;
  onopen: ((event: Event) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  private listeners = new Map<string, Set<Listener>>();

  constructor(url: string) {
    this.url = url;
    FakeEventSource.instances.push(this);
  }

  addEventListener(type: string, listener: Listener) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(listener);
  }

  removeEventListener(type: string, listener: Listener) {
    this.listeners.get(type)?.delete(listener);
  }

  close() {
    this.readyState = FakeEventSource.CLOSED;
  }

  // ---- driven by the test ----

  open() {
    this.readyState = FakeEventSource.OPEN;
    this.onopen?.(new Event('open'));
  }

  /** Sends one change the way the server does: `event: <kind>`, JSON data. */
  send(change: Change) {
    const event = new MessageEvent(change.kind, { data: JSON.stringify(change) });
    this.listeners.get(change.kind)?.forEach((listener) => listener(event));
  }

  /** The server answered with an error (401, 501): the browser gives up on this source. */
  fail() {
    this.readyState = FakeEventSource.CLOSED;
    this.onerror?.(new Event('error'));
  }
}

export function stubEventSource() {
  FakeEventSource.instances = [];
  vi.stubGlobal('EventSource', FakeEventSource);
  return {
    /** The one open stream (the window shares a single connection). */
    latest: () => {
      const source = FakeEventSource.instances[FakeEventSource.instances.length - 1];
      if (!source) throw new Error('no EventSource was opened');
      return source;
    },
    count: () => FakeEventSource.instances.length,
  };
}

/** window.runtime with EventsOn, as Wails injects it; returns a way to emit changes. */
export function stubWailsEvents() {
  const callbacks = new Set<(data: unknown) => void>();
  const off = vi.fn();
  const eventsOn = vi.fn((name: string, callback: (data: unknown) => void) => {
    if (name !== 'reelvault:change') throw new Error(`unexpected Wails event ${name}`);
    callbacks.add(callback);
    return () => {
      callbacks.delete(callback);
      off();
    };
  });
  window.runtime = { EventsOn: eventsOn };
  return {
    eventsOn,
    off,
    emit: (change: Change) => callbacks.forEach((callback) => callback(change)),
    listeners: () => callbacks.size,
  };
}
