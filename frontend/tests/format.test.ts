import { describe, expect, it } from 'vitest';
import { mergeFirstPage, sortAssets, upsertAsset } from '../src/assetList';
import { forgetRates, secondsLeft } from '../src/buildRate';
import { formatBytes, formatDuration, formatExpiry, formatFrameRate, formatLifetime, formatTimeLeft, progressLabel, progressLine, recordingLabel, titleOf } from '../src/format';
import { cleanInput } from '../src/hooks/useAdder';
import { makeAsset } from './mockApi';

describe('formatDuration', () => {
  it.each([
    [0, '0:00'],
    [9.4, '0:09'],
    [75.4, '1:15'],
    [599.6, '10:00'],
    [3725, '1:02:05'],
    [undefined, '–'],
  ])('%s s -> %s', (seconds, text) => expect(formatDuration(seconds)).toBe(text));
});

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1500, '1.5 KB'],
    [123456789, '123 MB'],
    [12_345_678, '12.3 MB'],
    [1_500_000_000, '1.5 GB'],
    [2_345_000_000_000, '2.35 TB'],
  ])('%s bytes -> %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));
});

describe('formatExpiry', () => {
  const now = 1_764_000_000_000;
  it('counts hours and minutes left', () => {
    expect(formatExpiry(String(now / 1000 + 86_399), now)).toBe('expires in 23 h 59 min');
    expect(formatExpiry(String(now / 1000 + 300), now)).toBe('expires in 5 min');
    expect(formatExpiry(String(now / 1000 + 30), now)).toBe('expires in less than a minute');
    expect(formatExpiry(String(now / 1000 + 3 * 86_400 + 7200), now)).toBe('expires in 3 d 2 h');
  });
  it('says expired once the time has passed', () => {
    expect(formatExpiry(String(now / 1000 - 1), now)).toBe('expired');
  });
  it('is empty without an expiry', () => {
    expect(formatExpiry(undefined, now)).toBe('');
  });
});

it('formats link lifetimes', () => {
  expect(formatLifetime(86_400)).toBe('24 hours');
  expect(formatLifetime(7 * 86_400)).toBe('7 days');
  expect(formatLifetime(7_200)).toBe('2 hours');
  expect(formatLifetime(900)).toBe('15 minutes');
});

describe('progressLabel', () => {
  it('says what a preparing asset waits for, before its progress state', () => {
    const building = makeAsset({ status: 'preparing', progress: { state: 'transcoding', progress: 0 } });
    expect(progressLabel(building)).toBe('Building the master');
    expect(progressLabel({ ...building, waiting: 'Waiting for 12 GB of free space' })).toBe('Waiting for 12 GB of free space');
    expect(progressLabel(makeAsset({ status: 'preparing', progress: { state: 'ingesting', progress: 40 } }))).toBe('Reading the source');
  });

  it('says a waiting build is queued and how many come before it, with no percentage', () => {
    const queued = makeAsset({ status: 'preparing', progress: { state: 'ingesting', progress: 0 }, queue_ahead: 3 });
    expect(progressLine(queued)).toBe('Queued · 3 ahead');
    expect(progressLine({ ...queued, queue_ahead: 0 })).toBe('Queued · next');
    expect(progressLine({ ...queued, queue_ahead: undefined, progress: { state: 'transcoding', progress: 42.4 } }, 190)).toBe(
      'Building the master · 42% · about 3 min left',
    );
  });
});

describe('live recordings', () => {
  it('are titled with the stream name and when they started, unless renamed', () => {
    const rec = makeAsset({ source: 'live', created_at: '1764320040', meta: { title: 'Morning show' }, title: 'Morning show', passthrough: 'Morning show' });
    expect(titleOf(rec)).toMatch(/^Morning show · .*2025/);
    expect(titleOf({ ...rec, title: 'Keynote', meta: { title: 'Keynote' } })).toBe('Keynote');
    expect(titleOf({ ...rec, source: 'file' })).toBe('Morning show');
  });

  it('of a stream without a title say "Live recording" and when, once (not "Untitled <date> · <date>")', () => {
    const rec = makeAsset({ source: 'live', created_at: '1764320040', meta: {}, title: 'Untitled 2025-11-28 08:54', passthrough: undefined });
    expect(titleOf(rec)).toMatch(/^Live recording · [^·]*2025[^·]*$/);
  });

  it('say how long they have run while recording', () => {
    expect(recordingLabel(makeAsset({ is_live: true, created_at: '1000' }), 1_005_400)).toBe('Recording 0:05');
  });
});

describe('secondsLeft', () => {
  it('guesses from the rate progress moved once it moved long enough', () => {
    forgetRates();
    const at = (progress: number) => makeAsset({ id: 'r1', status: 'preparing', progress: { state: 'transcoding', progress } });
    expect(secondsLeft(at(10), 0)).toBeUndefined();
    expect(secondsLeft(at(10.2), 1_000)).toBeUndefined(); // too little yet
    expect(secondsLeft(at(20), 10_000)).toBe(80); // 10% in 10 s: 80% in 80 s
    expect(secondsLeft({ ...at(20), queue_ahead: 1 }, 11_000)).toBeUndefined();
    expect(formatTimeLeft(80)).toBe('about 1 min left');
    expect(formatTimeLeft(4000)).toBe('about 1 h 7 min left');
  });
});

describe('titleOf', () => {
  it('prefers the title the user gave', () => {
    expect(titleOf(makeAsset({ meta: { title: 'Interview A' } }))).toBe('Interview A');
  });
  it('falls back to the file name of a path or URL', () => {
    expect(titleOf(makeAsset({ meta: {}, input: '/home/me/beach day.mov' }))).toBe('beach day.mov');
    expect(titleOf(makeAsset({ meta: { title: '  ' }, input: 'https://cdn.test/v/Final%20Cut.mp4?sig=1' }))).toBe('Final Cut.mp4');
    expect(titleOf(makeAsset({ meta: undefined, input: 'C:\\Users\\me\\take2.mxf' }))).toBe('take2.mxf');
  });
  it('has a last resort', () => {
    expect(titleOf(makeAsset({ meta: {}, input: undefined }))).toBe('Untitled video');
  });
});

it('strips quotes file managers add around copied paths', () => {
  expect(cleanInput(` '/home/me/my clip.mov' `)).toBe('/home/me/my clip.mov');
  expect(cleanInput('"/tmp/a.mp4"')).toBe('/tmp/a.mp4');
  expect(cleanInput('https://x.test/a.mp4')).toBe('https://x.test/a.mp4');
});

describe('sortAssets by name', () => {
  it('orders untitled videos by their file name, whatever folder they came from, as the server does', () => {
    const list = [
      makeAsset({ id: 'v', input: '/home/ed/Audio/voice_memo.wav', meta: {} }),
      makeAsset({ id: 's', input: '/home/ed/.local/share/reelvault/uploads/9f3c.mp4', meta: { title: 'shot_01' } }),
      makeAsset({ id: 'm', input: 'C:\\Clips\\Mango.mov', meta: {} }),
      makeAsset({ id: 'a', input: '/zz/footage/apple.mp4', meta: {} }),
    ];
    expect(sortAssets(list, 'asc', 'name').map((a) => a.id)).toEqual(['a', 'm', 's', 'v']);
    expect(sortAssets(list, 'desc', 'name').map((a) => a.id)).toEqual(['v', 's', 'm', 'a']);
  });
});

describe('mergeFirstPage', () => {
  const a = (id: string, created: number) => makeAsset({ id, created_at: String(created) });

  it('replaces everything when the first page is the whole library', () => {
    expect(mergeFirstPage([a('x', 3), a('y', 2)], [a('y', 2)], false).map((x) => x.id)).toEqual(['y']);
  });

  it('keeps older pages, adds new items and drops deleted ones', () => {
    const current = [a('e', 5), a('d', 4), a('c', 3), a('b', 2), a('a', 1)];
    // Shown: a first page e,d,c (page size 3) + "load more" b,a. Now f arrived and d was deleted.
    const fresh = [a('f', 6), a('e', 5), a('c', 3)];
    expect(mergeFirstPage(current, fresh, true).map((x) => x.id)).toEqual(['f', 'e', 'c', 'b', 'a']);
  });

  it('upserts in place or at the top', () => {
    const list = [a('b', 2), a('a', 1)];
    expect(upsertAsset(list, makeAsset({ id: 'a', created_at: '1', meta: { title: 'new' } }))[1]?.meta?.title).toBe('new');
    expect(upsertAsset(list, a('c', 3)).map((x) => x.id)).toEqual(['c', 'b', 'a']);
  });
});

describe('formatFrameRate', () => {
  it('names the standard rates, and a whole rate for an average a hair off it', () => {
    expect(formatFrameRate(25)).toBe('25 fps');
    expect(formatFrameRate(30000 / 1001)).toBe('29.97 fps');
    expect(formatFrameRate(24000 / 1001)).toBe('23.976 fps');
    expect(formatFrameRate(60000 / 1001)).toBe('59.94 fps');
    expect(formatFrameRate(30.001)).toBe('30 fps');
    expect(formatFrameRate(12.5)).toBe('12.5 fps');
    expect(formatFrameRate(0)).toBe('–');
  });
});
