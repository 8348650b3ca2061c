import type { ComponentChildren } from 'preact';
import { tierLabels } from '../masterSize';
import { MAX_RESOLUTION_TIERS, VIDEO_QUALITIES, type MaxResolutionTier, type VideoQuality } from '../api/types';

// The size words live with the other master-size words; the cards of live streams and watch folders import them from here.
export { tierWords } from '../masterSize';
// Plain words for Mux's basic / plus / premium; the values sent stay Mux's.
export const qualityLabels: Record<VideoQuality, string> = { basic: 'Smaller files', plus: 'Balanced', premium: 'Best quality' };
/** The same choice inside a summary line ("… · balanced quality · …"). */
export const qualityWords: Record<VideoQuality, string> = { basic: 'smaller files', plus: 'balanced quality', premium: 'best quality' };

const tiers = MAX_RESOLUTION_TIERS.map((value) => ({ value, label: tierLabels[value] }));
const qualities = VIDEO_QUALITIES.map((value) => ({ value, label: qualityLabels[value] }));

interface Props {
  tier: MaxResolutionTier;
  onTier: (tier: MaxResolutionTier) => void;
  /** The Quality choice is shown only when the caller keeps one. */
  quality?: VideoQuality;
  onQuality?: (quality: VideoQuality) => void;
  downloadLink: boolean;
  onDownloadLink: (on: boolean) => void;
  /** The checkbox's text, which says when the link is made ("… for each recording"). */
  downloadLinkLabel: string;
  /** The caller's own choices, placed before the download link checkbox. */
  children?: ComponentChildren;
}

/**
 * The settings every new video is made with (master size, quality, download link), shared by
 * the Add panel, new live streams and watch folders. Goes inside the caller's `.add-options`.
 */
export function AssetSettingsFields({ tier, onTier, quality, onQuality, downloadLink, onDownloadLink, downloadLinkLabel, children }: Props) {
  return (
    <>
      <MasterSizeField tier={tier} onTier={onTier} />
      {quality !== undefined && onQuality && (
        <label class="option">
          <span>Quality</span>
          <select class="select" value={quality} onChange={(e) => onQuality(e.currentTarget.value as VideoQuality)}>
            {qualities.map((q) => (
              <option key={q.value} value={q.value}>
                {q.label}
              </option>
            ))}
          </select>
        </label>
      )}
      {children}
      <label class="option option-check">
        <input type="checkbox" checked={downloadLink} onChange={(e) => onDownloadLink(e.currentTarget.checked)} />
        <span>{downloadLinkLabel}</span>
      </label>
    </>
  );
}

/** The "Master size" choice on its own: new videos here, "Change master size" of existing ones. */
export function MasterSizeField({ tier, onTier, autoFocus }: { tier: MaxResolutionTier; onTier: (tier: MaxResolutionTier) => void; autoFocus?: boolean }) {
  return (
    <label class="option">
      <span>Master size</span>
      <select class="select" value={tier} data-autofocus={autoFocus ? '' : undefined} onChange={(e) => onTier(e.currentTarget.value as MaxResolutionTier)}>
        {tiers.map((t) => (
          <option key={t.value} value={t.value}>
            {t.label}
          </option>
        ))}
      </select>
    </label>
  );
}
