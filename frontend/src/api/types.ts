// Shapes of the Reelvault API (Mux Video's dialect plus Reelvault's own extras).
// Fields are optional where the server may leave them out while an asset is preparing.

export type AssetStatus = 'preparing' | 'ready' | 'errored';
export type MasterAccess = 'temporary' | 'none';
/** The choices of max_resolution_tier and video_quality, as the server lists them. */
export const MAX_RESOLUTION_TIERS = ['1080p', '1440p', '2160p'] as const;
export const VIDEO_QUALITIES = ['basic', 'plus', 'premium'] as const;
export type MaxResolutionTier = (typeof MAX_RESOLUTION_TIERS)[number];
export type VideoQuality = (typeof VIDEO_QUALITIES)[number];

/** The user's own labels (Mux's meta object). */
export interface Meta {
  title?: string;
  creator_id?: string;
  external_id?: string;
}

/**
 * What a new asset is made with, wherever it comes from: the create body, new_asset_settings
 * of uploads and live streams, watch folders, dropped files (the server's one settings value,
 * archive.AssetSettings). Left out means the server's default: master access none, 1080p, plus.
 */
export interface AssetSettings {
  master_access?: MasterAccess;
  max_resolution_tier?: MaxResolutionTier;
  video_quality?: VideoQuality;
  passthrough?: string;
  meta?: Meta;
}

export interface Track {
  id: string;
  type: 'video' | 'audio' | string;
  max_width?: number;
  max_height?: number;
  max_frame_rate?: number;
  max_channels?: number;
  duration?: number;
  primary?: boolean;
  /** Audio and text: the language the file names ("eng"). */
  language_code?: string;
  /** Audio and text: the track's name in the file ("Boom"). */
  name?: string;
  text_type?: 'subtitles' | string;
}

export interface Master {
  status: 'preparing' | 'ready' | 'errored';
  url?: string;
}

export interface Asset {
  id: string;
  created_at: string;
  status: AssetStatus;
  errors?: { type: string; messages: string[] };
  duration?: number;
  aspect_ratio?: string;
  max_resolution_tier?: MaxResolutionTier;
  resolution_tier?: string;
  video_quality?: VideoQuality;
  master_access: MasterAccess;
  master?: Master;
  tracks?: Track[];
  passthrough?: string;
  meta?: Meta;
  is_live?: boolean;
  ingest_type?: string;
  progress?: { state: 'ingesting' | 'transcoding' | 'completed' | 'errored' | string; progress?: number };
  // Reelvault's own fields; Mux clients ignore them.
  source?: 'file' | 'url' | 'upload' | 'watch' | 'live' | string;
  input?: string;
  /** The server's display title: meta.title, else the input's file name. */
  title?: string;
  master_mode?: 'remux' | 'transcode' | 'audio-only' | string;
  /** Why the master was re-encoded, for a person; empty for a plain remux. */
  master_reason?: string;
  /** What the master changed compared to the original, one sentence each; [] when nothing did, absent before the master is built. */
  master_changes?: string[];
  master_size?: number;
  master_sha256?: string;
  master_expires_at?: string;
  master_error?: string;
  /** What the fixity audit found wrong with the master file (missing, changed); absent while it is whole. */
  master_damage?: string;
  /** When the audit last re-hashed the master, Unix seconds as a string. */
  master_checked_at?: string;
  thumbnail_url?: string;
  master_codecs?: { video?: string; audio?: string };
  /** What a preparing asset's work waits for ("Waiting for 12 GB of free space"); absent otherwise. */
  waiting?: string;
  /** While its build waits in the queue: how many builds come before it (running ones included). */
  queue_ahead?: number;
  /** How fast its running build or download goes; absent while nothing runs or it is not known yet. */
  speed?: Speed;
  /** Other assets made from the same input bytes (same SHA-256), oldest first. */
  duplicates?: string[];
  /** The original's largest frame size (absent before probing and for audio). */
  source_picture?: { width: number; height: number };
  /** When the original was recorded, as its container says (Unix seconds as a string); absent when it does not say. */
  captured_at?: string;
  /** Mux's playback IDs (public ones open the share listener's {id}/highest.mp4 and thumbnails). */
  playback_ids?: { id: string; policy: 'public' | 'signed' | string }[];
  /** The master by the first public playback ID, once ready; absent without one. */
  playback_url?: string;
  /** Mux's deprecated mp4_support, when it asked for files. */
  mp4_support?: string;
  /** Static renditions: proxies of the master for editors, made after it. */
  static_renditions?: { status?: string; files: StaticRendition[] };
  /** A new master being made from the kept source at another size; absent when none. The old master keeps working meanwhile. */
  rebuild?: Rebuild;
}

/** Reelvault's rebuild of a ready asset's master at another max_resolution_tier. */
export interface Rebuild {
  max_resolution_tier: MaxResolutionTier;
  state: 'queued' | 'building' | 'failed';
  /** 0-100 while building. */
  progress: number;
  /** While queued: how many builds come before it. */
  queue_ahead?: number;
  /** Why it failed, for a person. */
  error?: string;
  /** What it waits for ("Waiting for 12 GB of free space"), while it cannot start. */
  waiting?: string;
  /** How fast it goes, while building. */
  speed?: Speed;
}

export type RenditionResolution =
  | 'highest'
  | 'audio-only'
  | '2160p'
  | '1440p'
  | '1080p'
  | '720p'
  | '540p'
  | '480p'
  | '360p'
  | '270p';

/** Mux's static rendition object, plus Reelvault's sha256, url and play_url. */
export interface StaticRendition {
  /** Absent for mp4_support's files. */
  id?: string;
  type?: 'standard' | 'advanced';
  status?: 'preparing' | 'ready' | 'errored' | 'skipped';
  resolution?: RenditionResolution;
  resolution_tier?: string;
  name: string;
  ext: 'mp4' | 'm4a';
  width?: number;
  height?: number;
  bitrate?: number;
  /** Bytes, as a string (Mux's type). */
  filesize?: string;
  passthrough?: string;
  error?: { type: string; messages: string[] };
  sha256?: string;
  /** Signed download link while master access is on. */
  url?: string;
  url_expires_at?: string;
  /** Where the window plays and downloads it (behind the login). */
  play_url?: string;
}

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
  /** Reelvault's own, on the asset list: how many match across all pages. */
  total?: number;
}

export interface NewAsset extends AssetSettings {
  input: string;
}

export interface AssetChanges {
  meta?: { title?: string };
  passthrough?: string;
}

export interface AppInfo {
  version: string;
  desktop: boolean;
  share_base_url: string;
  link_ttl_seconds: number;
  data_dir: string;
  api_url: string;
  /** ffmpeg is missing or too old: what, and how to install it on this computer's OS. */
  ffmpeg_problem?: string;
}

// ---------- Webhooks (Mux's system webhooks API, plus Reelvault's delivery log) ----------

export interface Webhook {
  id: string;
  address: string;
  created_at: string;
  enabled: boolean;
  /** Only in the answer that created it (or rotated it): shown once, never again. */
  signing_secret?: string;
}

export type DeliveryState = 'pending' | 'delivering' | 'delivered' | 'failed';

export interface DeliveryAttempt {
  id: string;
  created_at: string;
  /** Null when no answer came (timeout, refused connection). */
  response_status_code: number | null;
  response_headers?: Record<string, string>;
  /** The first KB of what the receiver answered. */
  response_body: string;
  duration_ms: number;
  error?: string;
}

export interface Delivery {
  id: string;
  webhook_id: string;
  event_id: string;
  event_type: string;
  object: { type: string; id: string };
  state: DeliveryState | string;
  attempt_count: number;
  created_at: string;
  next_attempt_at: string | null;
  first_attempt_at: string | null;
  last_attempt_at: string | null;
  last_status_code: number | null;
  last_error?: string;
  /** Oldest first. */
  attempts: DeliveryAttempt[];
}

/** A running build's pace: a transcode in multiples of real time, a download or copy in bytes per second. */
export interface Speed {
  realtime?: number;
  bytes_per_second?: number;
}
