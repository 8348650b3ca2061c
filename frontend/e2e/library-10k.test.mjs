// 10,000 videos in the library: scrolled end to end and searched in Chromium while every
// frame's requestAnimationFrame delta is recorded; the 95th percentile and the longest frame
// are printed and bounded.
//
// Seeding: one real clip is made by ffmpeg and archived by the server (master, thumbnail),
// then its row is copied 9,999 times straight into the server's SQLite file with the sqlite3
// tool, in one statement, while the server runs (WAL: the server's readers see the new rows).
// Why not the API: 10,000 creates run 10,000 jobs, events and webhook deliveries, minutes on a
// shared 2-core machine, and this test is about the window, not ingest. The copies are real rows
// of the real schema (every column copied from the archived one), so what the list endpoint
// reads, sorts and counts is what a real archive holds.
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeClip, OUT_DIR, run, useSession, waitUntil } from './harness.mjs';

const COPIES = 9_999;
// Headless Chromium here rasterises on the CPU (--disable-gpu) on 2 cores shared with other
// work (load 10+ while these figures were taken), so the bounds leave room for that; on an idle
// machine the same run is far under them (see the diagnostic line the test prints).
/** 95% of frames within this (six 60 Hz frames): scrolling that keeps up, even when starved. */
const P95_BOUND_MS = 100;
/** No frame may freeze the window this long. */
const LONGEST_BOUND_MS = 500;

/**
 * How many times over the machine is booked: the run queue per core (1 when there is a core to
 * spare). The bounds are for a machine that has the cores to run the window; on one booked 15
 * times over (a CI box shared by many jobs) a frame waits seconds for a core whatever the page
 * does, so the bounds stretch by this factor there and stay as they are everywhere else.
 */
const overbooked = () => Math.max(1, loadavg()[0] / availableParallelism());

const shared = useSession({ requires: ['ffmpeg', 'sqlite3'] });

const sqlite = (db, sql) => run('sqlite3', ['-cmd', '.timeout 10000', db, sql], { timeoutMs: 60_000 });

async function seed(server) {
  const clip = await makeClip(join(server.dir, 'seed.mp4'), { width: 640, height: 360, seconds: 1 });
  const { data } = await server.api('POST', '/video/v1/assets', { input: clip, meta: { title: 'Clip 00000' } });
  await waitUntil(
    'the seed clip archived with its thumbnail',
    async () => {
      const a = (await server.api('GET', `/video/v1/assets/${data.id}`)).data;
      return a.status === 'ready' && Boolean(a.thumbnail_url);
    },
    { timeoutMs: 60_000 },
  );
  const db = join(server.dataDir, 'reelvault.db');
  const columns = (await sqlite(db, "SELECT group_concat(name, ',') FROM pragma_table_info('assets')")).trim().split(',');
  const copied = {
    id: "printf('seed%05d', n)",
    created_ns: 'created_ns - n * 1000000000',
    title: "printf('Clip %05d', n)",
    duration: 'duration + (n % 600)',
    master_size: 'master_size + n * 1000',
  };
  const select = columns.map((c) => copied[c] ?? `assets.${c}`).join(', ');
  await sqlite(
    db,
    `WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ${COPIES})
     INSERT INTO assets (${columns.join(', ')}) SELECT ${select} FROM seq, assets WHERE assets.id = '${data.id}';`,
  );
  const { total } = await server.api('GET', '/video/v1/assets?limit=1');
  assert.equal(total, COPIES + 1, 'the server counts every seeded row');
}

/** Starts recording rAF deltas in the page; `stop` returns them in ms. */
const startFrames = (page) =>
  page.evaluate(() => {
    window.__frames = [];
    window.__longTasks = [];
    window.__recording = true;
    // Main-thread tasks over 50 ms (the browser's long-task report): the page's own work.
    window.__observer?.disconnect();
    window.__observer = new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries().map((e) => e.duration)));
    window.__observer.observe({ entryTypes: ['longtask'] });
    let last = performance.now();
    const tick = (now) => {
      window.__frames.push(now - last);
      last = now;
      if (window.__recording) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
const stopFrames = (page) =>
  page.evaluate(() => {
    window.__recording = false;
    window.__observer.disconnect();
    return { deltas: window.__frames.slice(1), longTasks: window.__longTasks };
  });

function summary({ deltas, longTasks }) {
  const sorted = [...deltas].sort((a, b) => a - b);
  const p95 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))];
  const longestTask = Math.max(0, ...longTasks);
  return { frames: deltas.length, p50: sorted[Math.floor(sorted.length / 2)], p95, longest: sorted[sorted.length - 1], longTasks: longTasks.length, longestTask };
}

const round = (s) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, Math.round(v * 10) / 10]));

test('10,000 videos: scrolled end to end and searched, frame times bounded', async (t) => {
  const { page, server } = shared.session;
  await shared.session.check(t, async () => {
    await seed(server);
    await page.reload();
    await page.getByText('10,000 videos').waitFor();
    const cards = page.getByTestId('asset-card');
    const rendered = await cards.count();
    assert.ok(rendered > 0 && rendered < 200, `only the cards on screen are in the page (${rendered})`);

    // Scroll the whole library with the mouse wheel, as a user flicking through it would.
    const pane = page.locator('.library-pane');
    await pane.hover();
    // The machine's own pace, for scale: frames of the page doing nothing for 2 s.
    await startFrames(page);
    await page.waitForTimeout(2_000); // a quiet stretch measured on purpose
    const idle = summary(await stopFrames(page));

    await startFrames(page);
    for (let i = 0; i < 120; i++) await page.mouse.wheel(0, 900);
    const wheel = summary(await stopFrames(page));

    // Then jump: drag-like big scrolls to the far end (placeholders, then the pages arrive).
    await startFrames(page);
    for (const fraction of [0.25, 0.5, 0.75, 1]) {
      await pane.evaluate((el, f) => (el.scrollTop = f * el.scrollHeight), fraction);
      await page.waitForTimeout(250); // a user's pause between drags, on purpose
    }
    await waitUntil('the last video loaded at the end', async () => (await page.getByText('Clip 09999').count()) === 1, {
      timeoutMs: 60_000,
    });
    const jump = summary(await stopFrames(page));
    assert.ok((await cards.count()) < 200, 'still only what is on screen');

    // Search: one match among 10,000, typed as a user would.
    await pane.evaluate((el) => (el.scrollTop = 0));
    await startFrames(page);
    await page.getByLabel('Search titles').pressSequentially('Clip 04321', { delay: 40 });
    await page.getByText('1 video found').waitFor({ timeout: 30_000 });
    const search = summary(await stopFrames(page));
    assert.deepEqual(await cards.locator('.card-title').allInnerTexts(), ['Clip 04321']);

    const stretch = overbooked();
    const figures = { idle: round(idle), wheel: round(wheel), jump: round(jump), search: round(search), load: loadavg()[0], stretch };
    t.diagnostic(`frame times (ms): ${JSON.stringify(figures)}`);
    await mkdir(OUT_DIR, { recursive: true });
    await writeFile(join(OUT_DIR, 'library-10k-frames.json'), JSON.stringify(figures, null, 2));
    const [p95Bound, longestBound] = [P95_BOUND_MS * stretch, LONGEST_BOUND_MS * stretch];
    const why = stretch > 1 ? `, x${stretch.toFixed(1)} for a machine booked that many times over` : '';
    for (const [what, s] of Object.entries({ wheel, jump, search })) {
      assert.ok(s.p95 < p95Bound, `${what}: 95th percentile frame ${s.p95.toFixed(1)} ms (bound ${p95Bound.toFixed(0)} ms${why})`);
      assert.ok(s.longest < longestBound, `${what}: longest frame ${s.longest.toFixed(1)} ms (bound ${longestBound.toFixed(0)} ms${why})`);
    }
    await page.getByLabel('Search titles').fill('');
    await page.getByText('10,000 videos').waitFor();

    // Select all 10,000 that match, not only those loaded: one click, the server pages through them.
    await cards.first().click({ modifiers: ['Control'] });
    await page.getByRole('button', { name: 'Select all 10,000 videos matching' }).click();
    await page.getByText('10,000 videos selected').waitFor({ timeout: 60_000 });
    await page.screenshot({ path: join(OUT_DIR, 'library-10k-1280-selected.png') });
    await page.getByRole('button', { name: 'Clear selection' }).click();
    await page.screenshot({ path: join(OUT_DIR, 'library-10k-1280.png') });
    await page.setViewportSize({ width: 400, height: 800 });
    await page.screenshot({ path: join(OUT_DIR, 'library-10k-400.png') });
  });
});
