// Reelvault's share links (issue 15): a link per recipient over one or more assets, each with
// its own label, expiry, download limit and password, revocable one at a time, with a log of
// who downloaded what. Mux's master_access link stays as it is beside them.
import { request } from './client';

export type ShareLinkStatus = 'active' | 'expired' | 'revoked' | 'exhausted';

/** One file a link offers; `url` downloads it directly (curl, download managers). */
export interface SharedFile {
  asset_id: string;
  /** The file name the recipient gets, e.g. "Interview A.mp4". */
  name: string;
  /** "master", "original", "720p", … */
  kind: string;
  size: number;
  sha256?: string;
  url: string;
}

export interface ShareLink {
  id: string;
  /** The landing page: what the recipient opens. */
  url: string;
  label: string;
  asset_ids: string[];
  /** ISO 8601 (or Unix seconds); null when the link never expires. */
  expires_at: string | null;
  /** null or 0: no limit. */
  max_downloads: number | null;
  /** Complete downloads so far. */
  downloads: number;
  has_password: boolean;
  status: ShareLinkStatus | string;
  files: SharedFile[];
  created_at?: string;
  /** When the last download finished or was last resumed; absent before the first. */
  last_download_at?: string | null;
}

/** One row of a link's download log: a resume, or a download manager's connections, count once. */
export interface ShareDownload {
  id: number;
  started_at: string;
  /** When the last byte was sent. */
  at: string;
  client_address: string;
  user_agent: string;
  asset_id: string;
  /** The file's kind ("master"). */
  file: string;
  bytes_sent: number;
  size: number;
  complete: boolean;
}

/** How long a new link lives: seconds from now, a moment, or never (allowed, not the default). */
export type Expiry = { expires_in: number } | { expires_at: string } | { expires_in: 'never' };

export interface NewShareLink {
  asset_ids: string[];
  label?: string;
  max_downloads?: number;
  password?: string;
  files?: string[];
}

export type ShareLinkChange = { label?: string; max_downloads?: number | null } & (Expiry | { expires_in?: never; expires_at?: never });

const base = '/reelvault/v1/share-links';
const path = (id: string) => `${base}/${encodeURIComponent(id)}`;

export async function createShareLink(link: NewShareLink, expiry?: Expiry): Promise<ShareLink> {
  return (await request<{ data: ShareLink }>('POST', base, { body: { ...link, ...expiry } })).data;
}

export interface ListShareLinksOptions {
  assetId?: string;
  limit?: number;
  /** 1-based, like Mux lists. */
  page?: number;
  signal?: AbortSignal;
}

/** One page of links, newest first. */
export async function listShareLinks(options: ListShareLinksOptions = {}): Promise<ShareLink[]> {
  const query = new URLSearchParams({ limit: String(options.limit ?? 100), page: String(options.page ?? 1) });
  if (options.assetId) query.set('asset_id', options.assetId);
  return (await request<{ data: ShareLink[] }>('GET', `${base}?${query}`, { signal: options.signal })).data ?? [];
}

const PAGE = 100;
const MAX_PAGES = 50;

/** Every link (of one asset, when given), page after page until a short page. */
export async function listAllShareLinks(assetId?: string, signal?: AbortSignal): Promise<ShareLink[]> {
  const all: ShareLink[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const batch = await listShareLinks({ assetId, limit: PAGE, page, signal });
    all.push(...batch);
    if (batch.length < PAGE) break;
  }
  return all;
}

export async function getShareLink(id: string, signal?: AbortSignal): Promise<ShareLink> {
  return (await request<{ data: ShareLink }>('GET', path(id), { signal })).data;
}

/** Label, expiry and limit; the answer is the link as it is now. */
export async function updateShareLink(id: string, change: ShareLinkChange): Promise<ShareLink> {
  return (await request<{ data: ShareLink }>('PATCH', path(id), { body: change })).data;
}

/** Revokes the link for good; the others keep working. */
export async function revokeShareLink(id: string): Promise<void> {
  await request<void>('DELETE', path(id));
}

/** The newest 100 downloads, newest first. */
export async function listShareDownloads(id: string, signal?: AbortSignal): Promise<ShareDownload[]> {
  return (await request<{ data: ShareDownload[] }>('GET', `${path(id)}/downloads?limit=100`, { signal })).data ?? [];
}

/** A link's expiry as a Date; null for never (or nothing readable). */
export function expiryOf(link: Pick<ShareLink, 'expires_at'>): Date | null {
  return parseMoment(link.expires_at);
}

/** ISO 8601 or Unix seconds (Mux's habit) -> Date. */
export function parseMoment(value: string | number | null | undefined): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const date = /^\d+$/.test(String(value)) ? new Date(Number(value) * 1000) : new Date(String(value));
  return Number.isNaN(date.getTime()) ? null : date;
}

export const isLive = (link: ShareLink): boolean => link.status === 'active';
