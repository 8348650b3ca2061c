import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { App } from '../src/App';
import { pictureLabel } from '../src/components/AssetCard';
import { infoRoute, makeAsset, mockApi } from './mockApi';

const video = (w: number, h: number) => [{ id: 'v0', type: 'video', max_width: w, max_height: h }];
const clip = makeAsset({ id: 'c', created_at: '1764000300', meta: { title: 'charlie' }, tracks: video(640, 360), resolution_tier: '720p' });
const alpha = makeAsset({ id: 'a', created_at: '1764000200', meta: { title: 'Alpha' }, source: 'upload' });
const bravo = makeAsset({ id: 'b', created_at: '1764000100', meta: { title: 'bravo' }, master_codecs: { video: 'hevc' } });

const titles = () => screen.getAllByTestId('asset-card').map((card) => card.querySelector('.card-title')?.textContent);

describe('library at scale', () => {
  it('labels the real picture size, and a master smaller than its source', () => {
    expect(pictureLabel(makeAsset({ tracks: video(640, 360), resolution_tier: '720p' }))).toBe('640×360');
    expect(pictureLabel(makeAsset({ tracks: video(244, 1920), resolution_tier: '1080p' }))).toBe('244×1920');
    expect(pictureLabel(makeAsset({ tracks: video(1920, 1080) }))).toBe('1080p');
    expect(pictureLabel(makeAsset({ tracks: video(3840, 2160) }))).toBe('4K');
    expect(pictureLabel(makeAsset({ tracks: video(1920, 1080), source_picture: { width: 3840, height: 2160 } }))).toBe('4K → 1080p');
    expect(pictureLabel(makeAsset({ tracks: video(1920, 1080), source_picture: { width: 1920, height: 1080 } }))).toBe('1080p');
    expect(pictureLabel(makeAsset({ tracks: [], resolution_tier: 'audio-only' }))).toBe('Audio only');
  });

  it('sorts by name on the server (order_by=name) and shows the true total', async () => {
    const api = mockApi({
      ...infoRoute,
      'GET /video/v1/assets': (call) => {
        const byName = call.query.get('order_by') === 'name';
        const data = byName ? [alpha, bravo, clip] : [clip, alpha, bravo];
        return { body: { data, next_cursor: 'more', total: 214 } };
      },
    });
    render(<App />);
    await screen.findByText('charlie');
    expect(screen.getByText(/214 videos/)).toBeTruthy();
    fireEvent.change(screen.getByRole('combobox', { name: 'Sort' }), { target: { value: 'name:asc' } });
    await waitFor(() => expect(titles()).toEqual(['Alpha', 'bravo', 'charlie']));
    const last = api.callsTo('GET', '/video/v1/assets').at(-1);
    expect(last?.query.get('order_by')).toBe('name');
    expect(last?.query.get('order')).toBe('asc');
  });

  it('filters by source, codec and picture size on the server', async () => {
    const api = mockApi({
      ...infoRoute,
      'GET /video/v1/assets': (call) => {
        const source = call.query.get('source');
        const codec = call.query.get('codec');
        // None of these is 4K: a picture-size filter of 4k matches nothing.
        const wide = call.query.get('resolution') !== '4k';
        const data = [clip, alpha, bravo].filter((a) => wide && (!source || a.source === source) && (!codec || a.master_codecs?.video === codec));
        return { body: { data, next_cursor: null, total: data.length } };
      },
    });
    render(<App />);
    await screen.findByText('charlie');
    fireEvent.change(screen.getByRole('combobox', { name: 'Source' }), { target: { value: 'upload' } });
    await waitFor(() => expect(titles()).toEqual(['Alpha']));
    expect(screen.getByText(/1 video found/)).toBeTruthy();
    fireEvent.change(screen.getByRole('combobox', { name: 'Source' }), { target: { value: '' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Codec' }), { target: { value: 'hevc' } });
    await waitFor(() => expect(titles()).toEqual(['bravo']));
    fireEvent.change(screen.getByRole('combobox', { name: 'Picture size' }), { target: { value: '4k' } });
    await waitFor(() => expect(api.callsTo('GET', '/video/v1/assets').at(-1)?.query.get('resolution')).toBe('4k'));
    expect(await screen.findByText('No video matches these filters.')).toBeTruthy();
    expect(within(document.body).queryByTestId('asset-card')).toBeNull();
  });
});

describe('Space on a card', () => {
  it('opens a failed video’s panel (there is nothing to play) instead of doing nothing', async () => {
    const failed = makeAsset({ id: 'f', meta: { title: 'broken take' }, status: 'errored', errors: { type: 'invalid_input', messages: ['not a video file'] } });
    mockApi({
      ...infoRoute,
      'GET /video/v1/assets': () => ({ body: { data: [failed], next_cursor: null, total: 1 } }),
      'GET /video/v1/assets/f': () => ({ body: { data: failed } }),
    });
    window.location.hash = '';
    render(<App />);
    const card = (await screen.findByText('broken take')).closest<HTMLElement>('.asset-card')!;
    card.focus();
    fireEvent.keyDown(card, { key: ' ' });
    await waitFor(() => expect(window.location.hash).toBe('#/assets/f'));
    expect(await screen.findByRole('complementary', { name: 'Video details' })).toBeTruthy();
    window.location.hash = '';
  });
});

describe('selecting many videos', () => {
  it('Ctrl-click, Shift-click and checkboxes select; one confirmation deletes them all', async () => {
    const many = Array.from({ length: 6 }, (_, i) =>
      makeAsset({ id: `m${i}`, created_at: String(1764000900 - i), meta: { title: `Clip ${i}` } }),
    );
    let shown = many;
    const api = mockApi({
      ...infoRoute,
      'GET /video/v1/assets': () => ({ body: { data: shown, next_cursor: null, total: shown.length } }),
      ...Object.fromEntries(
        many.map((a) => [
          `DELETE /video/v1/assets/${a.id}`,
          () => {
            shown = shown.filter((s) => s.id !== a.id);
            return { status: 204 };
          },
        ]),
      ),
    });
    render(<App />);
    await screen.findByText('Clip 0');
    const card = (i: number) => screen.getAllByTestId('asset-card')[i] as HTMLElement;
    fireEvent.click(card(1), { ctrlKey: true });
    fireEvent.click(card(3), { shiftKey: true });
    expect(await screen.findByText('3 videos selected')).toBeTruthy();
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select Clip 5' }));
    expect(screen.getByText('4 videos selected')).toBeTruthy();
    expect(window.location.hash).not.toContain('/assets/');

    fireEvent.click(screen.getByRole('button', { name: 'Delete 4 videos…' }));
    fireEvent.click(screen.getByRole('button', { name: 'Delete 4 videos' }));
    await waitFor(() => expect(titles()).toEqual(['Clip 0', 'Clip 4']));
    expect(
      api.calls
        .filter((c) => c.method === 'DELETE')
        .map((c) => c.path)
        .sort(),
    ).toEqual(['/video/v1/assets/m1', '/video/v1/assets/m2', '/video/v1/assets/m3', '/video/v1/assets/m5']);
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Selected videos' })).toBeNull());
  });
});
