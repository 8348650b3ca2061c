import type { Asset } from '../api/types';

const labels: Record<string, string> = {
  file: 'File',
  url: 'URL',
  upload: 'Upload',
  watch: 'Watch folder',
  live: 'Live',
};

/** Where the video came from, as a quiet tag on the card. */
export function SourceBadge({ source }: { source: Asset['source'] }) {
  if (!source) return null;
  return (
    <span class={`source-badge source-${source}`} title={`Added from: ${labels[source] ?? source}`}>
      {labels[source] ?? source}
    </span>
  );
}
