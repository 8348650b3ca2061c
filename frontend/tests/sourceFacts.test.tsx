import { render, screen } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { SourceFacts } from '../src/components/SourceFacts';
import { makeAsset, mockApi } from './mockApi';

/** input-info as the server keeps it: a 4K ProRes original, with or without its size. */
function inputInfo(size?: number) {
  return {
    'GET /video/v1/assets/a1/input-info': {
      body: {
        data: [
          {
            settings: { url: '/footage/A001.mov' },
            file: {
              container_format: 'mov,mp4,m4a,3gp,3g2,mj2',
              tracks: [{ type: 'video', encoding: 'prores', profile: 'HQ', width: 3840, height: 2160, frame_rate: 25 }],
              ...(size !== undefined ? { size } : {}),
            },
          },
        ],
      },
    },
  };
}

const sizeRow = async () => {
  const header = await screen.findByRole('rowheader', { name: 'Size' });
  return [...header.parentElement!.querySelectorAll('td')].map((td) => td.textContent);
};

describe('source and master', () => {
  it('sets the original’s size beside the master’s', async () => {
    mockApi(inputInfo(42_000_000));
    render(<SourceFacts asset={makeAsset({ master_size: 3_370_000, master_changes: ['scaled to 1920 × 1080'] })} />);
    expect(await sizeRow()).toEqual(['42 MB', '3.37 MB']);
    expect(screen.getByRole('rowheader', { name: 'Picture' }).parentElement!.textContent).toContain('3840 × 2160');
  });

  it('leaves the source’s size out when the kept description does not have it', async () => {
    mockApi(inputInfo());
    render(<SourceFacts asset={makeAsset({ master_size: 3_370_000, master_changes: ['scaled to 1920 × 1080'] })} />);
    expect(await sizeRow()).toEqual(['–', '3.37 MB']);
  });
});
