// Live streams: Mux's live stream API plus Reelvault's own fields (rtmp_url, connected,
// recording_started_at, recording_seconds). An encoder such as OBS publishes to
// `rtmp_url` with `stream_key`; each recording becomes an asset.
import { request } from './client';
import type { Asset, AssetSettings, Page } from './types';

export type LiveStreamStatus = 'idle' | 'active' | 'disabled';


export interface LiveStream {
  id: string;
  /** Unix seconds, as a string (Mux). */
  created_at: string;
  stream_key: string;
  status: LiveStreamStatus | string;
  /** Seconds an encoder that dropped has to come back and continue the same recording. */
  reconnect_window: number;
  new_asset_settings: AssetSettings;
  /** The recording in progress (or waiting for the encoder to come back). */
  active_asset_id?: string;
  /** Recordings, newest last. */
  recent_asset_ids: string[];
  /** Reelvault's UI keeps the stream's name here: Mux live streams have no name of their own. */
  passthrough?: string;
  latency_mode?: string;
  // Reelvault's own fields.
  /** rtmp://host:port/app: the "Server" an encoder asks for. */
  rtmp_url: string;
  connected: boolean;
  recording_started_at?: string;
  /** How long the open recording has run, when the answer was made (left out while 0). */
  recording_seconds?: number;
}

export interface NewLiveStream {
  passthrough?: string;
  reconnect_window?: number;
  new_asset_settings: AssetSettings;
}

const base = '/video/v1/live-streams';
const path = (id: string) => `${base}/${encodeURIComponent(id)}`;

/** Newest first. The server pages by 25 by default; 100 is its most. */
export async function listLiveStreams(signal?: AbortSignal): Promise<LiveStream[]> {
  return (await request<Page<LiveStream>>('GET', `${base}?limit=100`, { signal })).data ?? [];
}

export async function getLiveStream(id: string, signal?: AbortSignal): Promise<LiveStream> {
  return (await request<{ data: LiveStream }>('GET', path(id), { signal })).data;
}

export async function createLiveStream(body: NewLiveStream): Promise<LiveStream> {
  return (await request<{ data: LiveStream }>('POST', base, { body })).data;
}

export async function deleteLiveStream(id: string): Promise<void> {
  await request<void>('DELETE', path(id));
}

/** Ends the recording now (the encoder is dropped); it becomes an asset. */
export async function completeLiveStream(id: string): Promise<void> {
  await request<unknown>('PUT', `${path(id)}/complete`);
}

/** Refuses encoders until enabled again; an open recording is finished. */
export async function disableLiveStream(id: string): Promise<void> {
  await request<unknown>('PUT', `${path(id)}/disable`);
}

export async function enableLiveStream(id: string): Promise<void> {
  await request<unknown>('PUT', `${path(id)}/enable`);
}

/** A new key; the old one stops working at once and a connected encoder is dropped. */
export async function resetStreamKey(id: string): Promise<LiveStream> {
  return (await request<{ data: LiveStream }>('POST', `${path(id)}/reset-stream-key`)).data;
}

/** The stream's recordings, newest first. */
export async function listRecordings(streamId: string, limit: number, signal?: AbortSignal): Promise<Asset[]> {
  const query = new URLSearchParams({ live_stream_id: streamId, limit: String(limit) });
  return (await request<Page<Asset>>('GET', `/video/v1/assets?${query}`, { signal })).data ?? [];
}

/**
 * GET /ui/v1/live-streams/{id}/health, and what the change feed pushes about once a second while
 * live: what the connected encoder's packets say, over the last few seconds of the stream.
 */
export interface LiveHealth {
  live: boolean;
  /** Connected, but the server has not counted a whole second of the stream yet: no rates to show. */
  measuring?: boolean;
  /** The encoder sends no video: frame_rate is 0 and means nothing. */
  audio_only?: boolean;
  bitrate_bps: number;
  frame_rate: number;
  /** Samples the recorder refused (timestamps going back). */
  dropped_frames: number;
  /** Video timestamps jumping well past the stream's own pace (a variable frame rate is no gap). */
  timestamp_gaps: number;
  /** A small JPEG of a recent keyframe, once one is made; its URL changes with each new picture. */
  preview_url?: string;
  preview_at?: string;
}

export async function getLiveHealth(id: string, signal?: AbortSignal): Promise<LiveHealth> {
  return (await request<{ data: LiveHealth }>('GET', `/ui/v1/live-streams/${encodeURIComponent(id)}/health`, { signal })).data;
}
