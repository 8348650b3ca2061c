import { fireEvent, render } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import type { Asset } from '../src/api/types';
import { Thumbnail } from '../src/components/Thumbnail';

const ready = { id: 'a1', status: 'ready', resolution_tier: '1080p', master_mode: 'remux' } as Asset;

describe('Thumbnail', () => {
  it('waits for the server to name a thumbnail instead of guessing its URL', () => {
    const { container } = render(<Thumbnail asset={ready} />);
    expect(container.querySelector('img')).toBeNull();
  });

  it('shows a thumbnail that arrives after a failed load', () => {
    const { container, rerender } = render(<Thumbnail asset={{ ...ready, thumbnail_url: '/t/a1.jpg?v=1' }} />);
    fireEvent.error(container.querySelector('img')!);
    expect(container.querySelector('img')).toBeNull();
    rerender(<Thumbnail asset={{ ...ready, thumbnail_url: '/t/a1.jpg?v=2' }} />);
    expect(container.querySelector('img')?.getAttribute('src')).toBe('/t/a1.jpg?v=2');
  });
});
