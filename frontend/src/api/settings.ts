import { messageOf, request } from './client';

/** An address download links can be shared on, e.g. {host: "192.168.1.20", label: "Local network (wlan0, …)"}. */
export interface ShareOption {
  host: string;
  label: string;
}

export interface Settings {
  data_dir: string;
  link_ttl_seconds: number;
  /** host:port the share listener is bound to. */
  share_listen: string;
  /** What links start with. */
  share_base_url: string;
  /** Links are built on --public-url, whatever the listener's address. */
  public_url_fixed: boolean;
  share_options: ShareOption[];
  api_url: string;
  rtmp_url?: string;
  /** host:port encoders connect to; absent when live ingest is off. */
  rtmp_listen?: string;
  token_id: string;
  /** Settings the command line (or environment) fixed: shown read-only. */
  from_command_line?: { link_ttl_seconds?: boolean; share_host?: boolean; notifications?: boolean; share_base?: boolean; rtmp_host?: boolean };
  /** The folder (or ffmpeg file) chosen here, tried after the copy next to Reelvault and PATH; "" for none. */
  ffmpeg_path: string;
  /** The ffmpeg that runs. */
  ffmpeg_in_use: string;
  /** What is wrong with ffmpeg (missing, too old) and how to install it; absent when fine. */
  ffmpeg_problem?: string;
  /** Desktop notifications (masters ready or failed, links first downloaded) are on. */
  notifications: boolean;
  /** This process can notify: only the desktop window does. */
  notifications_available: boolean;
  /** What links on a network are built on: the LAN address, or share_name (name.local, announced with mDNS). */
  share_base: 'address' | 'name';
  /** This computer's name.local; "" when it has none. */
  share_name: string;
}

export type SettingsChange =
  | { link_ttl_seconds: number }
  | { share_host: string }
  | { ffmpeg_path: string }
  | { notifications: boolean }
  | { share_base: 'address' | 'name' }
  | { rtmp_host: string };

export interface AccessToken {
  id: string;
  secret: string;
}

const path = '/ui/v1/settings';

export async function getSettings(signal?: AbortSignal): Promise<Settings> {
  return (await request<{ data: Settings }>('GET', path, { signal })).data;
}

/** Applies at once (moving the share listener too); a 400 carries the reason in words. */
export async function updateSettings(change: SettingsChange): Promise<Settings> {
  return (await request<{ data: Settings }>('PATCH', path, { body: change })).data;
}

/** The API secret, fetched only when the user asks to see it. */
export async function getAccessToken(): Promise<AccessToken> {
  return (await request<{ data: AccessToken }>('GET', `${path}/access-token`)).data;
}

/**
 * The reason a save failed, in words: the server prefixes it with the field's name
 * ("share_host listen tcp …: address already in use"), which a person does not need.
 */
export function settingError(err: unknown): string {
  const text = messageOf(err)
    .replace(/^(link_ttl_seconds|share_host|ffmpeg_path|notifications|share_base)\s+/, '')
    .trim();
  const sentence = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}
