import { useEffect, useState } from 'preact/hooks';
import { getPreviews } from '../api/previews';

/**
 * An audio-only asset's waveform, drawn by the server after the master, with the playhead
 * over it; a click seeks there. Nothing shows until the picture exists.
 */
export function Waveform({ assetId, time, duration, onSeek }: { assetId: string; time: number; duration: number; onSeek: (seconds: number) => void }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    getPreviews(assetId).then((p) => live && setUrl(p.waveform_url), () => undefined);
    return () => {
      live = false;
    };
  }, [assetId]);
  if (!url) return null;
  const at = duration > 0 ? Math.min(1, Math.max(0, time / duration)) : 0;
  return (
    <div
      class="waveform"
      data-testid="waveform"
      onClick={(e) => {
        const r = e.currentTarget.getBoundingClientRect();
        if (duration > 0) onSeek(((e.clientX - r.left) / r.width) * duration);
      }}
    >
      <img src={url} alt="Waveform of the sound" draggable={false} />
      <span class="waveform-head" style={{ left: `${at * 100}%` }} aria-hidden="true" />
    </div>
  );
}
