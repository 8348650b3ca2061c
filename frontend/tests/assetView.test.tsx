import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../src/App';
import type { Asset } from '../src/api/types';
import { qrPath } from '../src/components/QrCode';
import { formatCountdown } from '../src/format';
import { infoRoute, listOf, makeAsset, mockApi } from './mockApi';

const LINK = 'http://192.168.1.20:8911/m/a1/Interview%20A.mp4?exp=1764086400&sig=abc';
const nowSeconds = () => Math.floor(Date.now() / 1000);

function withLink(overrides: Partial<Asset> = {}): Asset {
  return makeAsset({
    master_access: 'temporary',
    master: { status: 'ready', url: LINK },
    master_expires_at: String(nowSeconds() + 86_399),
    ...overrides,
  });
}

function open(asset: Asset | (() => Asset)) {
  const read = typeof asset === 'function' ? asset : () => asset;
  const api = mockApi({
    ...infoRoute,
    'GET /video/v1/assets': () => listOf([read()]),
    'GET /video/v1/assets/a1': () => ({ body: { data: read() } }),
  });
  window.location.hash = '#/assets/a1';
  render(<App />);
  return api;
}

describe('asset view', () => {
  it('draws a QR code of the link as an SVG, made in the page', async () => {
    const api = open(withLink());
    const qr = await screen.findByRole('img', { name: 'QR code of the download link' });
    expect(qr.tagName.toLowerCase()).toBe('svg');
    expect(qr.getAttribute('data-qr-text')).toBe(LINK);
    const path = qr.querySelector('path')?.getAttribute('d') ?? '';
    expect(path).toBe(qrPath(LINK)?.path);
    expect(path.length).toBeGreaterThan(500);
    // It is a real QR symbol: a size QR versions have, and the three finder squares in place.
    const viewBox = Number(qr.getAttribute('viewBox')?.split(' ')[2]);
    const modules = viewBox - 4; // 2 modules of quiet zone on each side
    expect((modules - 21) % 4).toBe(0);
    const dark = darkCells(path);
    for (const [x, y] of [[2, 2], [2 + modules - 7, 2], [2, 2 + modules - 7]] as const) {
      expect(finderAt(dark, x, y)).toBe(true);
    }
    // A different link is a different picture.
    expect(qrPath(`${LINK}x`)?.path).not.toBe(path);
    // Nothing was fetched to draw it.
    expect(api.calls.every((c) => c.path.startsWith('/video/') || c.path.startsWith('/ui/v1/'))).toBe(true);
  });

  it('offers no QR code for a link that only this computer can open, and says where to change it', async () => {
    open(withLink({ master: { status: 'ready', url: 'http://127.0.0.1:8911/m/a1/x.mp4?sig=1' } }));
    expect(await screen.findByText(/This link opens on this computer only/)).toBeTruthy();
    expect(screen.queryByRole('img', { name: 'QR code of the download link' })).toBeNull();
    expect(screen.getByRole('link', { name: 'Settings → Share links on' }).getAttribute('href')).toBe('#/settings');
  });

  it('counts the link’s expiry down every second', async () => {
    open(withLink());
    const expiry = await screen.findByTestId('expiry');
    const first = expiry.querySelector('time')?.textContent ?? '';
    expect(first).toMatch(/^23:59:5\d$/);
    await waitFor(() => expect(expiry.querySelector('time')?.textContent).not.toBe(first), { timeout: 2500 });
  });

  it('asks the server again when the countdown reaches zero, and shows the link gone', async () => {
    const expiresAt = nowSeconds() + 2;
    let expired = false;
    const api = open(() =>
      expired ? makeAsset({ master_access: 'none' }) : withLink({ master_expires_at: String(expiresAt) }),
    );
    await screen.findByRole('textbox', { name: 'Download link' });
    const before = api.callsTo('GET', '/video/v1/assets/a1').length;
    expired = true;
    await waitFor(() => expect(screen.queryByRole('textbox', { name: 'Download link' })).toBeNull(), { timeout: 4500 });
    expect(api.callsTo('GET', '/video/v1/assets/a1').length).toBeGreaterThan(before);
    expect(screen.getByRole('switch', { name: 'Download link' }).getAttribute('aria-checked')).toBe('false');
  });

  it('shows how the master was made and why, with the SHA-256 to copy', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const sha = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    open(
      makeAsset({
        master_mode: 'transcode',
        master_reason: 'ProRes cannot be stored in MP4; 3840x2160 is larger than the 1080p master size',
        master_sha256: sha,
      }),
    );
    const why = await screen.findByRole('list', { name: 'Why' });
    expect(within(why).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'ProRes cannot be stored in MP4.',
      '3840x2160 is larger than the 1080p master size.',
    ]);
    expect(screen.getByText(/^Transcode: re-encoded, at most 1080p \(balanced\)/)).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Copy SHA-256' }));
    await screen.findByRole('button', { name: 'SHA-256 copied' });
    expect(writeText).toHaveBeenCalledWith(sha);
    delete (navigator as { clipboard?: unknown }).clipboard;
  });

  it('lists what the master changed from the original, or says nothing did', async () => {
    open(
      makeAsset({
        master_mode: 'transcode',
        master_changes: [
          'MPEG-2 video re-encoded to H.264 4:2:2 8-bit interlaced (top field first), because MP4 cannot hold MPEG-2',
          '4 × PCM 24-bit kept lossless as ALAC',
          "data track 'gpmd' dropped: MP4 cannot hold it",
        ],
      }),
    );
    const changed = await screen.findByRole('list', { name: 'Changed from the original' });
    expect(within(changed).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'MPEG-2 video re-encoded to H.264 4:2:2 8-bit interlaced (top field first), because MP4 cannot hold MPEG-2.',
      '4 × PCM 24-bit kept lossless as ALAC.',
      "Data track 'gpmd' dropped: MP4 cannot hold it.",
    ]);
  });

  it('lists every sound track and the subtitles of the master', async () => {
    open(
      makeAsset({
        master_codecs: { video: 'h264', audio: 'alac' },
        tracks: [
          { id: 'video', type: 'video', max_width: 1920, max_height: 1080 },
          { id: 'audio', type: 'audio', max_channels: 1, language_code: 'eng', name: 'Boom', primary: true },
          { id: 'audio-2', type: 'audio', max_channels: 1, language_code: 'fra' },
          { id: 'text-1', type: 'text', text_type: 'subtitles', language_code: 'deu' },
        ],
      }),
    );
    expect(await screen.findByText('ALAC, 2 tracks: Mono (eng, Boom) · Mono (fra)')).toBeTruthy();
    expect(screen.getByText('deu')).toBeTruthy();
  });

  it('says a pure remux changed nothing', async () => {
    open(makeAsset({ master_mode: 'remux', master_changes: [] }));
    expect(await screen.findByText(/^Nothing: every stream/)).toBeTruthy();
  });

  it('explains a failed video in sentences, with what to do next', async () => {
    open(makeAsset({ status: 'errored', errors: { type: 'invalid_input', messages: ['the file is incomplete or damaged (it ends before its last frame)'] } }));
    const detail = await screen.findByRole('complementary', { name: 'Video details' });
    expect(await within(detail).findByText('The file is incomplete or damaged (it ends before its last frame).')).toBeTruthy();
    expect(within(detail).getByText(/Check the source/)).toBeTruthy();
  });

  it('says why the link cannot be served when the master failed', async () => {
    open(makeAsset({ master_access: 'temporary', master: { status: 'errored' }, master_error: 'the master file is missing' }));
    expect(await screen.findByText('The master file is missing.')).toBeTruthy();
  });
});

describe('formatCountdown', () => {
  it('reads like a clock', () => {
    expect(formatCountdown(86_399)).toBe('23:59:59');
    expect(formatCountdown(90_061)).toBe('1 d 01:01:01');
    expect(formatCountdown(3_599)).toBe('59:59');
    expect(formatCountdown(61)).toBe('1:01');
    expect(formatCountdown(-5)).toBe('0:00');
  });
});

/** The dark modules of a path made of "M{x} {y}h{n}v1h-{n}z" runs. */
function darkCells(path: string): Set<string> {
  const cells = new Set<string>();
  for (const [, x, y, n] of path.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) {
    for (let i = 0; i < Number(n); i++) cells.add(`${Number(x) + i},${y}`);
  }
  return cells;
}

/** A 7x7 finder square: dark border, light ring, dark 3x3 centre. */
function finderAt(dark: Set<string>, left: number, top: number): boolean {
  for (let dy = 0; dy < 7; dy++) {
    for (let dx = 0; dx < 7; dx++) {
      const ring = Math.max(Math.abs(dx - 3), Math.abs(dy - 3));
      const shouldBeDark = ring !== 2;
      if (dark.has(`${left + dx},${top + dy}`) !== shouldBeDark) return false;
    }
  }
  return true;
}
