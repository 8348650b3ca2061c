// The Live page while a real encoder (ffmpeg) pushes RTMP to the real server:
// the stream goes live in the page without a reload, and completing it there
// turns the recording into a ready video.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import { OUT_DIR, requireCommands, startSession, waitUntil } from './harness.mjs';

let session;
let encoder;
before(async () => {
  requireCommands('ffmpeg'); // the encoder
  session = await startSession();
});
after(async () => {
  if (encoder && encoder.exitCode === null) encoder.kill('SIGKILL');
  await session?.close();
});

test('a stream goes live while ffmpeg pushes, and Complete makes its recording a ready video', async (t) => {
  const { page, server } = session;
  await session.check(t, async () => {
    const { data: stream } = await server.api('POST', '/video/v1/live-streams', {
      passthrough: 'Studio B',
      reconnect_window: 60,
      new_asset_settings: { master_access: 'temporary' },
    });
    assert.match(stream.rtmp_url, /^rtmp:\/\/127\.0\.0\.1:\d+\/app$/);

    // Health is pushed on the change feed: the card asks for it only for its first paint.
    const healthAsks = [];
    page.on('request', (r) => /\/ui\/v1\/live-streams\/[^/]+\/health$/.test(new URL(r.url()).pathname) && healthAsks.push(r.url()));
    await page.goto(`${server.url}/#/live`);
    // Every text the health line shows, as it changes.
    await page.evaluate(() => {
      window.__healthLines = [];
      new MutationObserver(() => {
        const line = document.querySelector('[data-testid="live-health"]')?.textContent?.trim();
        if (line && line !== window.__healthLines.at(-1)) window.__healthLines.push(line);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    const card = page.getByTestId('live-stream').filter({ hasText: 'Studio B' });
    await card.waitFor({ timeout: 10_000 });
    assert.equal((await card.getByTestId('live-state').innerText()).trim(), 'Waiting for the encoder');

    // 30 s at most; Complete ends it well before.
    encoder = spawn('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'error', '-re',
      '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=30', '-f', 'lavfi', '-i', 'sine=frequency=440',
      '-t', '30', '-c:v', 'libx264', '-preset', 'veryfast', '-g', '30', '-c:a', 'aac',
      '-f', 'flv', `${stream.rtmp_url}/${stream.stream_key}`], { stdio: 'ignore' });

    // The page updates by itself (live updates), no reload.
    await waitUntil('the stream to show Live', async () => (await card.getByTestId('live-state').innerText()).trim() === 'Live', { timeoutMs: 20_000 });
    await waitUntil('the recording clock to tick', async () => /Recording\s+0:0[2-9]/.test(await card.innerText()), { timeoutMs: 15_000 });

    // Health and a preview while live: 30 fps sent, a bitrate, nothing dropped, a decoded frame shown.
    const health = card.getByTestId('live-health');
    await waitUntil('the health line to show the source frame rate', async () =>
      /^\d+(\.\d)? [kM]b\/s · (29|30|31)(\.\d)? fps · 0 dropped$/.test(((await health.count()) ? await health.innerText() : '').trim()), { timeoutMs: 15_000 });
    // It keeps changing with no more asking (pushed about once a second), and every reading from
    // the first on says the source's 30 fps: the encoder's connect burst does not inflate it.
    const shown = () => page.evaluate(() => window.__healthLines.length);
    const seen = await shown();
    await waitUntil('the health line to be updated by pushes', async () => (await shown()) >= seen + 2, { timeoutMs: 10_000 });
    const lines = await page.evaluate(() => window.__healthLines);
    const rates = lines.filter((l) => l !== 'Measuring the stream…');
    assert.ok(rates.length >= 2, `health lines shown: ${JSON.stringify(lines)}`);
    for (const line of rates) {
      const fps = Number(/· ([\d.]+) fps ·/.exec(line)?.[1]);
      assert.ok(fps >= 27 && fps <= 33, `a health line reads ${line}; want 30 ± 3 fps from the first on (${JSON.stringify(lines)})`);
    }
    t.diagnostic(`health lines shown: ${JSON.stringify(lines)}; asked ${healthAsks.length} times`);
    assert.ok(healthAsks.length <= 2, `the card asked for health ${healthAsks.length} times; pushes should carry it`);
    const preview = card.getByTestId('live-preview');
    await waitUntil('the preview to load', async () =>
      (await preview.count()) > 0 && (await preview.evaluate((img) => img.complete && img.naturalWidth)) === 320, { timeoutMs: 15_000 });
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(OUT_DIR, 'live-health-1280.png') });
    await page.setViewportSize({ width: 400, height: 800 });
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(OUT_DIR, 'live-health-400.png') });
    await page.setViewportSize({ width: 1280, height: 800 });

    await card.getByRole('button', { name: 'Complete…' }).click();
    await card.getByRole('button', { name: 'Complete recording' }).click();
    await waitUntil('the stream to go back to waiting', async () => (await card.getByTestId('live-state').innerText()).trim() === 'Waiting for the encoder', { timeoutMs: 15_000 });

    const { data: assets } = await server.api('GET', `/video/v1/assets?live_stream_id=${stream.id}`);
    assert.equal(assets.length, 1, 'one recording');
    const ready = await waitUntil('the recording master to be ready', async () => {
      const { data: a } = await server.api('GET', `/video/v1/assets/${assets[0].id}`);
      return a.status === 'ready' && a.master?.status === 'ready' ? a : null;
    }, { timeoutMs: 30_000 });
    assert.ok(ready.duration >= 2, `recorded ${ready.duration} s`);
    // The recordings list on the card links to it.
    await card.locator(`a[href="#/assets/${ready.id}"]`).waitFor({ timeout: 10_000 });
  });
});
