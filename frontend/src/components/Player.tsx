import { useEffect, useRef, useState } from 'preact/hooks';
import { getInputFile, startTimecode, type InputFile } from '../api/inputInfo';
import { playableProxy } from '../api/assets';
import type { Asset } from '../api/types';
import { titleOf } from '../format';
import { takePlayRequest } from '../playRequest';
import { codecName } from './AssetFacts';
import { Waveform } from './Waveform';
import { timecodeAt } from '../timecode';

/** Where the window's player reads the master (behind the login; Range requests to seek). */
export const masterPlayUrl = (id: string) => `/ui/v1/assets/${encodeURIComponent(id)}/master.mp4`;

const MAX_SPEED = 8;

/**
 * Plays a ready asset's proxy when one is ready (it decodes fast), else its master: the browser's controls to scrub,
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

  // Asked to play from the library (Space on a card, the context menu's Play).
  useEffect(() => {
    if (takePlayRequest(asset.id)) media.current?.play().catch(() => undefined);
  }, [asset.id]);

  useEffect(() => {
    const abort = new AbortController();
    getInputFile(asset.id, abort.signal).then(setFile, () => setFile(null));
    return () => abort.abort();
  }, [asset.id]);

  const video = file?.tracks.find((t) => t.type === 'video');
  const fps = video?.frame_rate || asset.tracks?.find((t) => t.type === 'video')?.max_frame_rate || 25;
  const timecode = timecodeAt(time, fps, startTimecode(file));

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

  const proxy = audioOnly ? undefined : playableProxy(asset);
  const src = proxy?.play_url ?? masterPlayUrl(asset.id);
  const codec = asset.master_codecs?.video;
  const shared = {
    ref: media,
    src,
    onError: () => setFailedSrc(src),
    controls: true,
    preload: 'metadata',
    onTimeUpdate: () => setTime(media.current?.currentTime ?? 0),
    onSeeked: () => setTime(media.current?.currentTime ?? 0),
    'aria-label': proxy ? `${proxy.resolution ?? 'Proxy'} proxy of ${titleOf(asset)}` : `Master of ${titleOf(asset)}`,
  } as const;

  return (
    <div
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
        {failedSrc === src && (
          <p class="player-error" role="status">
            {proxy
              ? 'This browser cannot play this proxy.'
              : audioOnly
                ? 'This browser cannot play this audio; the master itself is fine.'
                : `This browser cannot play the master${codec ? ` (${codecName(codec)} video)` : ''}. Make a proxy under Proxies to watch it here; the master itself is fine.`}
          </p>
        )}
        <span class="player-timecode" data-testid="timecode" title="Source timecode">
          {timecode}
        </span>
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
