import { describe, expect, it } from 'vitest';
import { applyProgress } from '../src/assetList';
import { progressLabel, progressLine } from '../src/format';
import { ByteRate, formatRate, formatRealtime, speedText } from '../src/speed';
import { batchSummary } from '../src/components/UploadList';
import type { UploadItem } from '../src/hooks/useUploads';
import { rebuildLine } from '../src/masterSize';
import { makeAsset } from './mockApi';

describe('formatRealtime', () => {
  it.each([
    [2.43, '2.4× real time'],
    [1, '1.0× real time'],
    [0.69, '0.7× real time'],
    [0.043, '0.04× real time'],
    [24.6, '25× real time'],
    [6830, '6830× real time'],
    [0, ''],
    [Number.NaN, ''],
  ])('%s -> %s', (factor, text) => expect(formatRealtime(factor)).toBe(text));
});

describe('formatRate', () => {
  it.each([
    [89_000_000, '89 MB/s'],
    [85_400_000, '85 MB/s'],
    [8_460_000, '8.5 MB/s'],
    [850_000, '850 KB/s'],
    [999_600, '1.0 MB/s'], // not "1000 KB/s"
    [1_240_000_000, '1.2 GB/s'],
    [512, '512 B/s'],
    [0, ''],
    [-5, ''],
  ])('%s B/s -> %s', (rate, text) => expect(formatRate(rate)).toBe(text));
});

describe('speedText', () => {
  it('says a transcode in real time and a copy in bytes per second', () => {
    expect(speedText({ realtime: 2.4 })).toBe('2.4× real time');
    expect(speedText({ bytes_per_second: 85e6 })).toBe('85 MB/s');
    expect(speedText({})).toBe('');
    expect(speedText(undefined)).toBe('');
  });
});

describe('the progress line while building', () => {
  const building = makeAsset({ status: 'preparing', progress: { state: 'transcoding', progress: 42.4 }, speed: { realtime: 2.43 } });

  it('shows the speed between the percentage and the time left', () => {
    expect(progressLine(building, 190)).toBe('Building the master · 42% · 2.4× real time · about 3 min left');
    expect(progressLine(building)).toBe('Building the master · 42% · 2.4× real time');
    expect(progressLine({ ...building, speed: undefined }, 190)).toBe('Building the master · 42% · about 3 min left');
    expect(progressLine({ ...building, speed: { bytes_per_second: 120e6 } })).toBe('Building the master · 42% · 120 MB/s');
  });

  it('says a web input is downloading, and how fast', () => {
    const downloading = makeAsset({
      status: 'preparing',
      source: 'url',
      input: 'https://example.com/a.mov',
      progress: { state: 'ingesting', progress: 42 },
      speed: { bytes_per_second: 85e6 },
    });
    expect(progressLine(downloading, 55)).toBe('Downloading · 42% · 85 MB/s · about 55 s left');
    expect(progressLabel({ ...downloading, source: 'file' })).toBe('Reading the source');
  });

  it('shows no speed while queued or waiting', () => {
    expect(progressLine({ ...building, queue_ahead: 2 })).toBe('Queued · 2 ahead');
    expect(progressLine({ ...building, waiting: 'Waiting for 12 GB of free space' })).toBe('Waiting for 12 GB of free space');
  });

  it('takes the speed from pushed progress, and re-renders nothing when it did not change', () => {
    const list = [{ ...building, speed: undefined }];
    const entry = { id: building.id, state: 'transcoding', progress: 42.4 };
    const moved = applyProgress(list, [{ ...entry, speed: { realtime: 2.5 } }]);
    expect(moved[0]?.speed).toEqual({ realtime: 2.5 });
    expect(applyProgress(moved, [{ ...entry, speed: { realtime: 2.5 } }])).toBe(moved);
    expect(applyProgress(moved, [entry])[0]?.speed).toBeUndefined(); // the build no longer says
  });
});

describe('a rebuild at another size', () => {
  it('says how fast it goes while building', () => {
    const rebuilding = makeAsset({
      status: 'ready',
      source_picture: { width: 3840, height: 2160 },
      rebuild: { max_resolution_tier: '1080p', state: 'building', progress: 40, speed: { realtime: 0.93 } },
    });
    expect(rebuildLine(rebuilding)).toBe('Rebuilding at 1080p · 40% · 0.9× real time');
  });
});

describe('ByteRate', () => {
  it('says nothing before a second of samples, then the rate over the last seconds', () => {
    const rate = new ByteRate();
    expect(rate.add(0, 0)).toBeUndefined();
    expect(rate.add(8e6, 500)).toBeUndefined();
    expect(rate.add(16e6, 1000)).toBe(16e6);
    let n = 16e6;
    for (let at = 1500; at <= 10_000; at += 500) rate.add((n += 8e6), at); // 16 MB/s
    let last: number | undefined;
    for (let at = 10_500; at <= 16_000; at += 500) last = rate.add((n += 1e6), at); // slows to 2 MB/s
    expect(last).toBe(2e6);
    expect(rate.add(100, 16_500)).toBeUndefined(); // a new transfer starts over
  });
});

describe('the upload lines', () => {
  const item = (key: number, state: UploadItem['state'], sent: number, rate?: number): UploadItem => ({
    key,
    name: `c${key}.mov`,
    size: 100e6,
    sent,
    state,
    rate,
  });
  it('say how fast the batch goes and how long is left', () => {
    expect(batchSummary([item(1, 'done', 100e6), item(2, 'uploading', 50e6, 25e6), item(3, 'queued', 0)])?.text).toBe(
      'Uploading 2 of 3 · 150 MB of 300 MB · 50% · 25 MB/s · about 5 s left',
    );
  });
});
