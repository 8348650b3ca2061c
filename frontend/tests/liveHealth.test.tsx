import { render } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import type { LiveHealth } from '../src/api/live';
import { formatBitrate, healthLine, LiveHealthView } from '../src/components/LiveStatus';

const steady: LiveHealth = { live: true, bitrate_bps: 4_200_000, frame_rate: 25, dropped_frames: 0, timestamp_gaps: 0 };

describe('live health line', () => {
  it('says bitrate, frame rate and drops as an editor reads them', () => {
    expect(healthLine(steady)).toBe('4.2 Mb/s · 25 fps · 0 dropped');
    expect(healthLine({ ...steady, bitrate_bps: 850_000, frame_rate: 29.97, dropped_frames: 3 })).toBe('850 kb/s · 30 fps · 3 dropped');
    expect(healthLine({ ...steady, frame_rate: 23.976 })).toBe('4.2 Mb/s · 24 fps · 0 dropped');
  });

  it('adds timestamp gaps only when there were some', () => {
    expect(healthLine({ ...steady, timestamp_gaps: 1 })).toBe('4.2 Mb/s · 25 fps · 0 dropped · 1 gap');
    expect(healthLine({ ...steady, timestamp_gaps: 4 })).toBe('4.2 Mb/s · 25 fps · 0 dropped · 4 gaps');
  });

  it('shows nonsense from the server as zero', () => {
    const bad = { live: true, bitrate_bps: -5, frame_rate: Number.NaN, dropped_frames: -1, timestamp_gaps: Infinity } as LiveHealth;
    expect(healthLine(bad)).toBe('0 kb/s · 0 fps · 0 dropped');
    expect(formatBitrate(Number.POSITIVE_INFINITY)).toBe('0 kb/s');
  });

  it('renders the line and the preview on the card', () => {
    const { getByTestId, queryByTestId, rerender } = render(<LiveHealthView health={steady} />);
    expect(getByTestId('live-health').textContent).toBe('4.2 Mb/s · 25 fps · 0 dropped');
    expect(queryByTestId('live-preview')).toBeNull();
    rerender(<LiveHealthView health={{ ...steady, preview_url: '/ui/v1/live-streams/s1/preview.jpg?at=1' }} />);
    expect(getByTestId('live-preview').getAttribute('src')).toBe('/ui/v1/live-streams/s1/preview.jpg?at=1');
  });
});
