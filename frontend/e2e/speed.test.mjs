// How fast work goes, as an editor reads it while waiting: a transcode in multiples of real time
// (ffmpeg's own speed), a web input's download in MB/s or KB/s, on the card and in the panel.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeTranscodeClip, screenshots, useSession, waitUntil } from './harness.mjs';

const shared = useSession({ requires: ['ffmpeg', 'ffprobe'] });

test('a building card and its panel say how many times real time the transcode goes', async (t) => {
  const { page, server } = shared.session;
  await shared.session.check(t, async () => {
    // MPEG-2 is re-encoded: 30 s of 720p takes long enough to be seen running.
    const source = await makeTranscodeClip(join(server.dir, 'Interview B-cam.mkv'), { seconds: 30 });
    const { data } = await server.api('POST', '/video/v1/assets', { input: source });
    const card = page.getByTestId('asset-card').filter({ hasText: 'Interview B-cam' });
    const line = await waitUntil(
      'the card to show the build speed',
      async () => {
        const text = await card.getByTestId('card-progress').innerText();
        return /^Building the master · \d+% · [\d.]+× real time/.test(text) && text;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    t.diagnostic(`card: ${line}`);
    const api = await server.api('GET', `/video/v1/assets/${data.id}`);
    t.diagnostic(`API speed: ${JSON.stringify(api.data.speed)}`);
    await screenshots(page, 'speed-card', card);

    await card.click();
    const detail = page.getByRole('complementary', { name: 'Video details' });
    const panel = detail.getByText(/Building the master · \d+% · [\d.]+× real time/);
    await panel.waitFor({ timeout: 30_000 });
    t.diagnostic(`panel: ${await panel.innerText()}`);
    await screenshots(page, 'speed-panel', panel);
    await page.keyboard.press('Escape');
    await server.api('DELETE', `/video/v1/assets/${data.id}`);
    await waitUntil('the card to go', async () => (await card.count()) === 0);
  });
});

test('a web input says how fast it downloads', async (t) => {
  const { page, server } = shared.session;
  await shared.session.check(t, async () => {
    const clip = await makeTranscodeClip(join(server.dir, 'web.mkv'), { width: 640, height: 360, seconds: 20, quality: 2 });
    const body = await readFile(clip);
    // A slow link on purpose: 50 KB every 100 ms (about 500 KB/s) until the test has seen it.
    let released = false;
    const web = createServer(async (req, res) => {
      res.writeHead(200, { 'Content-Length': body.length, 'Content-Type': 'video/x-matroska' });
      for (let at = 0; at < body.length; at += 50_000) {
        if (!res.write(body.subarray(at, at + 50_000))) await new Promise((r) => res.once('drain', r));
        if (!released) await new Promise((r) => setTimeout(r, 100));
      }
      res.end();
    });
    await new Promise((resolve) => web.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${web.address().port}/Drone%20pass%203.mkv`;
      const { data } = await server.api('POST', '/video/v1/assets', { input: url });
      const card = page.getByTestId('asset-card').filter({ hasText: 'Drone pass 3' });
      const line = await waitUntil(
        'the card to show the download speed',
        async () => {
          const text = await card.getByTestId('card-progress').innerText();
          return /^Downloading · \d+% · [\d.]+ (KB|MB)\/s/.test(text) && text;
        },
        { timeoutMs: 30_000, intervalMs: 200 },
      );
      t.diagnostic(`card: ${line}`);
      const rate = Number(/([\d.]+) KB\/s/.exec(line)?.[1] ?? 0) * 1000;
      assert.ok(rate > 150_000 && rate < 1_500_000, `a rate near the 500 KB/s served: ${line}`);
      await screenshots(page, 'speed-download-card', card);
      released = true;
      await server.api('DELETE', `/video/v1/assets/${data.id}`);
      await waitUntil('the card to go', async () => (await card.count()) === 0);
    } finally {
      web.closeAllConnections();
      await new Promise((resolve) => web.close(resolve));
    }
  });
});
