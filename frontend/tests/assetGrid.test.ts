import { describe, expect, it } from 'vitest';
import { CARD_BODY_HEIGHT, gridGeometry, visibleRows } from '../src/components/AssetGrid';

describe('the virtualised grid', () => {
  it('lays out columns as CSS auto-fill would, rows one height', () => {
    // 1016 px wide, cards at least 210 px, 16 px gaps: 4 columns of 242 px.
    const g = gridGeometry(1016, 'grid', 210, 1280);
    expect(g.cols).toBe(4);
    expect(g.rowHeight).toBe(Math.round((242 * 9) / 16) + CARD_BODY_HEIGHT);
    // A bigger thumbnail size gives fewer columns; a narrow window one row card per line.
    expect(gridGeometry(1016, 'grid', 360, 1280).cols).toBe(2);
    expect(gridGeometry(372, 'grid', 210, 400)).toEqual({ cols: 1, rowHeight: 96, gap: 8 });
    expect(gridGeometry(1016, 'list', 210, 1280)).toEqual({ cols: 1, rowHeight: 56, gap: 0 });
    expect(gridGeometry(100, 'grid', 360, 1280).cols).toBe(1);
  });

  it('renders only the rows on screen, two either side', () => {
    // The grid starts 300 px down a 800 px pane; rows are 200 px apart; 5,000 rows.
    expect(visibleRows(300, 800, 200, 5000)).toEqual([0, 5]);
    // Scrolled 100,000 px in: the grid's top is far above the pane.
    expect(visibleRows(-100_000, 800, 200, 5000)).toEqual([498, 506]);
    // Past the end, and an empty grid.
    expect(visibleRows(-2_000_000, 800, 200, 5000)).toEqual([4999, 4999]);
    expect(visibleRows(0, 800, 200, 0)).toEqual([0, -1]);
  });
});
