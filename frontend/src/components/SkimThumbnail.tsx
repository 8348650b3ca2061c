import { useRef, useState } from 'preact/hooks';
import { getPreviews, type Sprite } from '../api/previews';
import type { Asset } from '../api/types';
import { Thumbnail } from './Thumbnail';

/**
 * The card's thumbnail, and on hover the video skimmed: the pointer's place across the picture
 * picks a tile of the sprite the server made after the master. Nothing is asked before the
 * first hover, and a card without a sprite stays its thumbnail.
 */
export function SkimThumbnail({ asset }: { asset: Asset }) {
  const [sprite, setSprite] = useState<Sprite | null>(null);
  const [at, setAt] = useState<number | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const canSkim = asset.status === 'ready' && Boolean(asset.thumbnail_url);

  function onEnter() {
    if (!canSkim || sprite) return;
    getPreviews(asset.id).then((p) => setSprite(p.sprite), () => undefined);
  }
  function onMove(e: MouseEvent) {
    const el = box.current;
    // Kept before the sprite arrives too, so the first tile shows as soon as it does.
    if (!el || !canSkim) return;
    const r = el.getBoundingClientRect();
    setAt(Math.min(0.9999, Math.max(0, (e.clientX - r.left) / Math.max(1, r.width))));
  }

  let skim = null;
  const el = box.current;
  if (sprite && at !== null && el) {
    const index = Math.floor(at * sprite.tiles);
    const w = el.clientWidth;
    const h = (w * sprite.tile_height) / sprite.tile_width;
    const col = index % sprite.columns;
    const row = Math.floor(index / sprite.columns);
    skim = (
      <div
        class="skim"
        data-testid="skim"
        data-tile={index}
        aria-hidden="true"
        style={{
          backgroundImage: `url("${sprite.url}")`,
          backgroundSize: `${sprite.columns * w}px ${sprite.rows * h}px`,
          backgroundPosition: `${-col * w}px ${-row * h}px`,
          height: `${h}px`,
        }}
      >
        <span class="skim-bar" style={{ width: `${((index + 1) / sprite.tiles) * 100}%` }} />
      </div>
    );
  }
  return (
    <div class="skim-box" ref={box} onMouseEnter={onEnter} onMouseMove={onMove} onMouseLeave={() => setAt(null)}>
      <Thumbnail asset={asset} />
      {skim}
    </div>
  );
}
