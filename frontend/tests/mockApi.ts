// A fake Reelvault backend behind a stubbed global fetch: routes are "METHOD /path" keys.
import { vi } from 'vitest';
import type { AppInfo, Asset } from '../src/api/types';

export interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

export interface Reply {
  status?: number;
  body?: unknown;
}

type Route = Reply | ((call: Call) => Reply | Promise<Reply>);

export function mockApi(routes: Record<string, Route>) {
  const calls: Call[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://reelvault.test');
    const method = (init?.method ?? 'GET').toUpperCase();
    const body = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    const call: Call = { method, path: url.pathname, query: url.searchParams, body };
    calls.push(call);
    const route = routes[`${method} ${url.pathname}`];
    const reply: Reply = !route
      ? { status: 404, body: { error: { type: 'not_found', messages: [`no mock for ${method} ${url.pathname}`] } } }
      : typeof route === 'function'
        ? await route(call)
        : route;
    const status = reply.status ?? 200;
    return new Response(reply.body === undefined ? null : JSON.stringify(reply.body), {
      status,
      headers: { 'Content-Type': 'application/json' },
    });
  });
  vi.stubGlobal('fetch', fetchMock);
  return {
    calls,
    fetchMock,
    callsTo: (method: string, path: string) => calls.filter((c) => c.method === method && c.path === path),
  };
}

export const info: AppInfo = {
  version: '0.1.0',
  desktop: false,
  share_base_url: 'http://192.168.1.20:8911',
  link_ttl_seconds: 86400,
  data_dir: '/root/.local/share/reelvault',
  api_url: 'http://127.0.0.1:8910',
};

export const infoRoute = { 'GET /ui/v1/info': { body: { data: info } } };

export const listOf = (assets: Asset[], next_cursor: string | null = null): Reply => ({
  body: { data: assets, next_cursor },
});

export function makeAsset(overrides: Partial<Asset> = {}): Asset {
  return {
    id: 'a1',
    created_at: '1764000000',
    status: 'ready',
    duration: 12.5,
    aspect_ratio: '16:9',
    max_resolution_tier: '1080p',
    resolution_tier: '1080p',
    video_quality: 'plus',
    master_access: 'none',
    tracks: [
      { id: 'v0', type: 'video', max_width: 1920, max_height: 1080, max_frame_rate: 29.97, duration: 12.5 },
      { id: 'a1', type: 'audio', max_channels: 2, duration: 12.5 },
    ],
    passthrough: '',
    meta: { title: 'Interview A' },
    is_live: false,
    ingest_type: 'on_demand_url',
    progress: { state: 'completed', progress: 100 },
    source: 'file',
    input: '/home/me/clip.mov',
    master_mode: 'remux',
    master_size: 123456789,
    master_sha256: 'ab12cd34',
    thumbnail_url: '/ui/v1/assets/a1/thumbnail.jpg',
    master_codecs: { video: 'h264', audio: 'aac' },
    ...overrides,
  };
}

export const apiError = (status: number, type: string, ...messages: string[]): Reply => ({
  status,
  body: { error: { type, messages } },
});
