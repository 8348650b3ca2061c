import type { KeptOriginal as Original } from '../api/uploads';
import { formatBytes } from '../format';

/**
 * The uploaded file Reelvault keeps as this asset's input (it is the user's only copy here): its
 * name as the user knew it, its size, and a download. Nothing for assets added by path, whose
 * original stays where it was.
 */
export function KeptOriginal({ original }: { original: Original | null }) {
  if (!original) return null;
  return (
    <section class="panel kept-original" aria-labelledby="original-title" data-testid="kept-original">
      <h3 id="original-title">Uploaded original</h3>
      <p class="kept-original-line">
        <span class="kept-original-name" title={original.name}>
          {original.name}
        </span>
        <span class="muted small"> · {formatBytes(original.size)}</span>
      </p>
      <p class="muted small">Kept as sent, beside the master: it is the copy this archive was given.</p>
      <a class="button" href={original.download_url} download={original.name}>
        Download original
      </a>
    </section>
  );
}
