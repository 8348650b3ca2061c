import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import type { QuarantinedFile } from '../src/api/quarantine';
import { QuarantineSection } from '../src/components/QuarantineSection';
import { mockApi } from './mockApi';

const take3: QuarantinedFile = {
  id: '20261128T052521Z-aa',
  name: 'take 3.mp4',
  from: 'masters/take 3.mp4',
  reason: 'no asset in the database owns this file (a restored or older database?)',
  size: 42_000_000,
  created_at: '1764307521',
};
const bRoll: QuarantinedFile = {
  id: '20261128T052521Z-bb',
  name: 'b-roll.mov',
  from: 'uploads/b-roll.mov',
  reason: 'an uploaded file no upload owns',
  size: 1000,
  created_at: '1764307521',
};
const files = [take3, bRoll];

describe('files set aside', () => {
  it('lists them, restores one into the library and deletes another after asking', async () => {
    const api = mockApi({
      'GET /reelvault/v1/quarantine': { body: { data: files, next_cursor: null } },
      [`POST /reelvault/v1/quarantine/${take3.id}/restore`]: { status: 201, body: { data: { id: 'new-asset' } } },
      [`DELETE /reelvault/v1/quarantine/${bRoll.id}`]: { status: 204 },
    });
    render(<QuarantineSection />);
    expect(await screen.findByText('take 3.mp4')).toBeTruthy();
    expect(screen.getByText(/was in masters\/take 3.mp4/)).toBeTruthy();

    fireEvent.click(screen.getAllByRole('button', { name: 'Restore to library' })[0] as HTMLElement);
    expect(await screen.findByText('“take 3.mp4” is back in the library.')).toBeTruthy();
    expect(screen.queryByText('take 3.mp4')).toBeNull();
    expect(api.callsTo('POST', `/reelvault/v1/quarantine/${take3.id}/restore`)).toHaveLength(1);

    fireEvent.click(screen.getByRole('button', { name: 'Delete…' }));
    expect(api.callsTo('DELETE', `/reelvault/v1/quarantine/${bRoll.id}`)).toHaveLength(0); // it asks first
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(screen.getByText('Nothing is set aside.')).toBeTruthy());
    expect(api.callsTo('DELETE', `/reelvault/v1/quarantine/${bRoll.id}`)).toHaveLength(1);
  });
});
