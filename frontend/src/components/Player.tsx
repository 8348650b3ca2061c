import { useEffect, useRef, useState } from 'preact/hooks';
import { getInputFile, startTimecode, type InputFile } from '../api/inputInfo';
import { playableProxy } from '../api/assets';
import { getPlaybackCopy, type PlaybackCopy } from '../api/previews';
import type { Asset } from '../api/types';
import { titleOf } from '../format';
import { takePlayRequest } from '../playRequest';
import { codecName } from './AssetFacts';
import { Waveform } from './Waveform';
import { timecodeAt } from '../timecode';

/** Where the window's player reads the master (behind the login; Range requests to seek). */
export const masterPlayUrl = (id: string) => `/ui/v1/assets/${encodeURIComponent(id)}/master.mp4`;

const MAX_SPEED = 8;

/** How often the player asks again while the server makes the playback copy. */
const COPY_POLL_MS = 3000;

const BROWSER_AUDIO = new Set(['aac', 'mp3', 'opus']);

/** False when a browser surely cannot play the master's recorded codecs (HEVC, ALAC…); true when it may. */
export function masterMayPlay(asset: Asset): boolean {
  const { video, audio } = asset.master_codecs ?? {};
  return (!video || video === 'h264') && (!audio || BROWSER_AUDIO.has(audio));
}

/** What the player plays, and what it says while there is nothing to play yet. */
export type PlayerSource =
  | { kind: 'proxy' | 'master' | 'copy'; url: string }
  | { kind: 'preparing' } // the server is making a copy this browser can play
  | { kind: 'checking' }; // not known yet whether the master plays here

/**
 * The player's choice: a ready proxy (it decodes fast), else the master when a browser plays it,
 * else the playback copy the server makes. `copy` is undefined until the server has been asked.
 */
export function chooseSource(asset: Asset, copy: PlaybackCopy | null | undefined, audioOnly: boolean): PlayerSource {
  const proxy = audioOnly ? undefined : playableProxy(asset);
  if (proxy?.play_url) return { kind: 'proxy', url: proxy.play_url };
  if (copy?.state === 'ready' && copy.url) return { kind: 'copy', url: copy.url };
  if (copy?.state === 'preparing') return { kind: 'preparing' };
  if (copy === undefined && !masterMayPlay(asset)) return { kind: 'checking' };
  return { kind: 'master', url: masterPlayUrl(asset.id) };
}

/**
 * Plays a ready asset's proxy when one is ready (it decodes fast), else its master, else the copy the
 * server makes when this browser cannot play the master: the browser's controls to scrub,
 * plus editors' keys on the focused player — Space or K play/pause, L faster forward,
 * J back 5 s, "," and "." one frame — and the source timecode over the picture.
 */
export function Player({ asset }: { asset: Asset }) {
  const media = useRef<HTMLVideoElement & HTMLAudioElement>(null);
  const [file, setFile] = useState<InputFile | null>(null);
  const [time, setTime] = useState(0);
  const [full, setFull] = useState(false);
  // The address the browser could not play (a master of ProRes becomes HEVC 4:2:2, which
  // Chromium does not decode): said in words instead of a spinner that never stops.
  const [failedSrc, setFailedSrc] = useState<string | null>(null);
  const audioOnly = asset.resolution_tier === 'audio-only' || asset.master_mode === 'audio-only';

  // Asked to play from the library (Space on a card, the context menu's Play): it plays, and the
  // player takes the focus (after the panel has put it on its title) so K, J, L and the frame
  // keys work at once.
  const group = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!takePlayRequest(asset.id)) return;
    media.current?.play().catch(() => undefined);
    const frame = requestAnimationFrame(() => group.current?.focus({ preventScroll: true }));
    return () => cancelAnimationFrame(frame);
  }, [asset.id]);

  useEffect(() => {
    const abort = new AbortController();
    getInputFile(asset.id, abort.signal).then(setFile, () => setFile(null));
    return () => abort.abort();
  }, [asset.id]);

  // The playback copy: asked again when the asset changes (a rebuilt master) and, while it
  // is being made, every few seconds until it is ready.
  const [copy, setCopy] = useState<PlaybackCopy | null | undefined>(undefined);
  useEffect(() => setCopy(undefined), [asset.id]);
  useEffect(() => {
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ask = () =>
      getPlaybackCopy(asset.id, abort.signal).then(
        (c) => {
          if (abort.signal.aborted) return;
          setCopy(c);
          if (c?.state === 'preparing') timer = setTimeout(ask, COPY_POLL_MS);
        },
        () => !abort.signal.aborted && setCopy(null),
      );
    void ask();
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, [asset.id, asset.master_codecs?.video, asset.master_codecs?.audio, asset.master_size, asset.rebuild?.state]);

  const video = file?.tracks.find((t) => t.type === 'video');
  const fps = video?.frame_rate || asset.tracks?.find((t) => t.type === 'video')?.max_frame_rate || 25;
  // Only a source's own timecode is shown over the picture: a count from 00:00:00:00 on a
  // file without one would pass for a timecode it does not have.
  const start = startTimecode(file);
  const timecode = start ? timecodeAt(time, fps, start) : undefined;

  const onKey = (event: KeyboardEvent) => {
    const el = media.current;
    // Space on a button presses the button.
    if (!el || (event.key === ' ' && (event.target as HTMLElement).closest('button'))) return;
    const step = (seconds: number) => {
      el.pause();
      el.currentTime = Math.min(Math.max(0, el.currentTime + seconds), el.duration || Infinity);
    };
    switch (event.key) {
      case ' ':
        if (el.paused) void el.play();
        else el.pause();
        break;
      case 'k':
      case 'K':
        el.pause();
        el.playbackRate = 1;
        break;
      case 'l':
      case 'L':
        if (el.paused) {
          el.playbackRate = 1;
          void el.play();
        } else el.playbackRate = Math.min(el.playbackRate * 2, MAX_SPEED);
        break;
      case 'j':
      case 'J':
        step(-5);
        break;
      case ',':
        step(-1 / fps);
        break;
      case '.':
        step(1 / fps);
        break;
      case 'Escape':
        if (!full) return;
        setFull(false);
        break;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
  };

  const source = chooseSource(asset, copy, audioOnly);
  const src = 'url' in source ? source.url : undefined;
  const codec = asset.master_codecs?.video;
  const shared = {
    ref: media,
    src,
    onError: () => src && setFailedSrc(src),
    controls: true,
    preload: 'metadata',
    onTimeUpdate: () => setTime(media.current?.currentTime ?? 0),
    onSeeked: () => setTime(media.current?.currentTime ?? 0),
    'aria-label': ariaLabel(source, asset),
  } as const;

  return (
    <div
      ref={group}
      class={`player${full ? ' player-full' : ''}${audioOnly ? ' player-audio' : ''}`}
      tabIndex={0}
      onKeyDown={onKey}
      role="group"
      aria-label="Player: Space play or pause, J back, L forward, comma and period step one frame"
    >
      <div class="player-stage">
        {audioOnly ? (
          <div class="player-audio-box">
            <Waveform
              assetId={asset.id}
              time={time}
              duration={asset.duration ?? 0}
              onSeek={(seconds) => {
                if (media.current) media.current.currentTime = seconds;
              }}
            />
            <audio {...shared} />
          </div>
        ) : (
          <video {...shared} poster={asset.thumbnail_url} playsInline />
        )}
        {source.kind === 'preparing' && (
          <p class="player-error player-preparing" role="status">
            Preparing a copy this browser can play…
          </p>
        )}
        {src && failedSrc === src && (
          <p class="player-error" role="status">
            {source.kind === 'proxy'
              ? 'This browser cannot play this proxy.'
              : source.kind === 'copy'
                ? 'This browser cannot play the copy made for it; the master itself is fine.'
                : audioOnly
                ? 'This browser cannot play this audio; the master itself is fine.'
                : `This browser cannot play the master${codec ? ` (${codecName(codec)} video)` : ''}. Make a proxy under Proxies to watch it here; the master itself is fine.`}
          </p>
        )}
        {timecode && (
          <span class="player-timecode" data-testid="timecode" title="Source timecode">
            {timecode}
          </span>
        )}
      </div>
      <div class="player-bar">
        <span class="muted small player-keys">
          Space play · J K L · , . one frame
        </span>
        <button type="button" class="button button-quiet player-full-button" onClick={() => setFull(!full)} aria-pressed={full}>
          {full ? 'Exit full window' : 'Full window'}
        </button>
      </div>
    </div>
  );
}

function ariaLabel(source: PlayerSource, asset: Asset): string {
  const title = titleOf(asset);
  if (source.kind === 'proxy') return `${playableProxy(asset)?.resolution ?? 'Proxy'} proxy of ${title}`;
  if (source.kind === 'copy') return `Playback copy of ${title}`;
  if (source.kind === 'master') return `Master of ${title}`;
  return `Player of ${title}`;
}
