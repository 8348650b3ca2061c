import type { Asset } from '../api/types';

const words: Record<Asset['status'], string> = {
  preparing: 'Preparing',
  ready: 'Ready',
  errored: 'Failed',
};

export function StatusBadge({ status }: { status: Asset['status'] }) {
  return (
    <span class={`badge badge-${status}`}>
      <span class="badge-dot" aria-hidden="true" />
      {words[status] ?? status}
    </span>
  );
}
