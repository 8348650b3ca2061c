// The share link's landing page (issue 15) in Chromium, against the real `reelvault serve`: a real
// clip becomes a master, a share link is made through the API, and a recipient's browser plays,
// seeks and downloads it. Screenshots at 390 px (a phone) and 1280 px land in e2e/out/.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { OUT_DIR, makeClip, openBrowser, startServer, waitUntil } from './harness.mjs';

let server;
let assetId;
before(async () => {
  server = await startServer();
  const clip = await makeClip(join(server.dir, 'Harbour at dawn.mp4'), { width: 1280, height: 720, seconds: 4 });
  const { data } = await server.api('POST', '/video/v1/assets', { input: clip });
  assetId = data.id;
  await waitUntil(
    'the asset to be ready with a thumbnail',
    async () => (await server.api('GET', `/video/v1/assets/${assetId}`)).data.status === 'ready',
    { timeoutMs: 60_000 },
  );
  await mkdir(OUT_DIR, { recursive: true });
});
after(async () => {
  await server?.stop();
});

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

for (const width of [390, 1280]) {
  test(`landing page at ${width} px: title, player that seeks, download button`, async () => {
    const { data: link } = await server.api('POST', '/reelvault/v1/share-links', {
      asset_ids: [assetId],
      label: 'For the colourist: first grade pass',
      expires_in: 3 * 86400,
    });
    const { browser, context, page, consoleErrors } = await openBrowser({ viewport: { width, height: width < 600 ? 844 : 800 } });
    try {
      const res = await page.goto(link.url);
      assert.equal(res.status(), 200);
      await page.getByRole('heading', { name: 'Harbour at dawn' }).waitFor();
      // The player streams the master with Range, so a seek lands where asked.
      const video = page.locator('video');
      await waitUntil('the video metadata', () => video.evaluate((v) => v.readyState >= 1 && v.duration > 3), { timeoutMs: 20_000 });
      const landed = await video.evaluate(
        (v) =>
          new Promise((resolve) => {
            v.addEventListener('seeked', () => resolve(v.currentTime), { once: true });
            v.currentTime = 2.5;
          }),
      );
      assert.ok(Math.abs(landed - 2.5) < 0.5, `seeked to ${landed}`);
      await waitUntil('a frame after the seek', () => video.evaluate((v) => v.readyState >= 2), { timeoutMs: 20_000 });
      const expiry = await page.locator('#expiry').textContent();
      assert.ok(!/UTC/.test(expiry), `expiry is shown in the viewer's zone: ${expiry}`);
      const shot = join(OUT_DIR, `share-page-${width}.png`);
      await page.screenshot({ path: shot, fullPage: true });
      // The download button downloads the exact master, with a sensible name.
      const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('a.download').first().click()]);
      assert.equal(dl.suggestedFilename(), 'Harbour at dawn.mp4');
      const saved = join(server.dir, `downloaded-${width}.mp4`);
      await dl.saveAs(saved);
      assert.equal(sha256(await readFile(saved)), link.files[0].sha256);
      assert.deepEqual(consoleErrors, []);
      await waitUntil('the download in the log', async () => (await server.api('GET', `/reelvault/v1/share-links/${link.id}`)).data.downloads >= 1);
    } finally {
      await context.close();
      await browser.close();
    }
  });
}

// A reel: one link over three videos. "Download all" fetches every file, one after the other, and
// each arrives whole (its SHA-256 is the master's). Screenshots of the multi-video page at 390 and
// 1280 px.
test('download all on a three-video page brings every file, byte for byte', async () => {
  const more = [];
  for (const [name, seconds] of [['Pier interview', 2], ['Lighthouse b-roll', 3]]) {
    const clip = await makeClip(join(server.dir, `${name}.mp4`), { width: 640, height: 360, seconds });
    more.push((await server.api('POST', '/video/v1/assets', { input: clip })).data.id);
  }
  await waitUntil(
    'the other two assets to be ready',
    async () => {
      for (const id of more) if ((await server.api('GET', `/video/v1/assets/${id}`)).data.status !== 'ready') return false;
      return true;
    },
    { timeoutMs: 60_000 },
  );
  const { data: link } = await server.api('POST', '/reelvault/v1/share-links', {
    asset_ids: [assetId, ...more],
    label: 'Reel for the client',
  });
  assert.equal(link.files.length, 3);
  for (const width of [390, 1280]) {
    const { browser, context, page } = await openBrowser({ viewport: { width, height: width < 600 ? 844 : 800 } });
    try {
      await page.goto(link.url);
      await page.getByRole('button', { name: 'Download all (3)' }).waitFor();
      await page.screenshot({ path: join(OUT_DIR, `share-page-reel-${width}.png`), fullPage: true });
    } finally {
      await context.close();
      await browser.close();
    }
  }

  const { browser, context, page, consoleErrors } = await openBrowser({ viewport: { width: 1280, height: 800 } });
  try {
    await page.goto(link.url);
    const downloads = [];
    page.on('download', (dl) => downloads.push(dl));
    await page.getByRole('button', { name: 'Download all (3)' }).click();
    await waitUntil('three downloads from one click', () => downloads.length === 3, { timeoutMs: 30_000 });
    const byName = new Map(link.files.map((f) => [f.name, f]));
    const names = [];
    for (const dl of downloads) {
      const file = byName.get(dl.suggestedFilename());
      assert.ok(file, `an unexpected file: ${dl.suggestedFilename()}`);
      const saved = join(server.dir, `all-${dl.suggestedFilename()}`);
      await dl.saveAs(saved);
      assert.equal(sha256(await readFile(saved)), file.sha256, `${file.name} arrived damaged`);
      names.push(file.name);
    }
    assert.deepEqual(names.sort(), [...byName.keys()].sort());
    assert.deepEqual(consoleErrors, []);
    await waitUntil('three complete downloads in the log', async () => (await server.api('GET', `/reelvault/v1/share-links/${link.id}`)).data.downloads >= 3);
  } finally {
    await context.close();
    await browser.close();
  }
});

test('revoked and tampered pages name nothing, at 390 px', async () => {
  const { data: link } = await server.api('POST', '/reelvault/v1/share-links', { asset_ids: [assetId], label: 'client' });
  await server.api('DELETE', `/reelvault/v1/share-links/${link.id}`);
  const { browser, context, page } = await openBrowser({ viewport: { width: 390, height: 844 } });
  try {
    let res = await page.goto(link.url);
    assert.equal(res.status(), 410);
    assert.ok(!(await page.content()).includes('Harbour'));
    await page.screenshot({ path: join(OUT_DIR, 'share-page-revoked-390.png') });
    res = await page.goto(link.url.slice(0, -3) + 'xyz');
    assert.equal(res.status(), 404);
    assert.ok(!(await page.content()).includes('Harbour'));
  } finally {
    await context.close();
    await browser.close();
  }
});
