// The asset panel in an editor's words: the Resolution row gives pixels (never Mux's tier
// bucket), the source's size stands beside the master's, and upload toasts in a narrow window
// take one line at the bottom instead of a stack over the page.
import assert from 'node:assert/strict';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { makeClip, OUT_DIR, useSession, waitUntil } from './harness.mjs';

const shared = useSession({ requires: ['ffmpeg', 'ffprobe'] });
before(() => mkdir(OUT_DIR, { recursive: true }));

/** Asserts a shown size ("6.97 MB", "462 KB": decimal units, three figures) is `n` bytes. */
function assertSize(shown, n, what) {
  const m = /^([\d.]+) (B|KB|MB|GB)$/.exec(shown);
  assert.ok(m, `${what}: "${shown}" is a size`);
  const value = Number(m[1]) * 1000 ** ['B', 'KB', 'MB', 'GB'].indexOf(m[2]);
  assert.ok(Math.abs(value - n) <= n * 0.006, `${what}: "${shown}" for ${n} bytes`);
}

/** A row of the Details list, by its label. */
const fact = (detail, label) => detail.locator('dl.facts .fact').filter({ has: detail.page().getByText(label, { exact: true }) }).locator('dd');

async function shoot(page, target, name) {
  await page.setViewportSize({ width: 1280, height: 800 });
  await target.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(OUT_DIR, `${name}-1280.png`) });
  await page.setViewportSize({ width: 400, height: 800 });
  await target.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(OUT_DIR, `${name}-400.png`) });
  await page.setViewportSize({ width: 1280, height: 800 });
}

test('a 4K source kept at 1080p: the panel gives both sizes in pixels, and both file sizes', async (t) => {
  const { page, server } = shared.session;
  await shared.session.check(t, async () => {
    const clip = await makeClip(join(server.dir, 'DJI_0042.mp4'), { width: 3840, height: 2160, seconds: 1 });
    const { data } = await server.api('POST', '/video/v1/assets', { input: clip, max_resolution_tier: '1080p' });
    await waitUntil('the 4K master', async () => (await server.api('GET', `/video/v1/assets/${data.id}`)).data.status === 'ready', {
      timeoutMs: 120_000,
    });
    await page.goto(`${server.url}/#/assets/${data.id}`);
    const detail = page.getByRole('complementary', { name: 'Video details' });
    const resolution = fact(detail, 'Resolution');
    await waitUntil('the resolution row', async () => (await resolution.innerText()).includes('×'));
    assert.equal(await resolution.innerText(), '1920 × 1080 (1080p), scaled down from 3840 × 2160 (4K)');

    const sizes = detail.locator('table.source-facts tr').filter({ has: page.getByRole('rowheader', { name: 'Size' }) }).locator('td');
    await sizes.first().waitFor();
    const { data: asset } = await server.api('GET', `/video/v1/assets/${data.id}`);
    const [sourceSize, masterSize] = await sizes.allInnerTexts();
    assertSize(sourceSize, (await stat(clip)).size, 'the source’s size');
    assertSize(masterSize, asset.master_size, 'the master’s size');
    await shoot(page, detail.locator('table.source-facts'), 'panel-4k-source');
    await shoot(page, detail.locator('dl.facts'), 'panel-4k-details');
  });
});

test('an uploaded 640×360 clip: a one-line toast at 400 px, then "640 × 360" and the upload’s size', async (t) => {
  const { page, server } = shared.session;
  await shared.session.check(t, async () => {
    await page.goto(`${server.url}/#/`);
    await page.setViewportSize({ width: 400, height: 800 });
    const first = await makeClip(join(server.dir, 'Interview 360.mp4'), { width: 640, height: 360, seconds: 2 });
    const second = await makeClip(join(server.dir, 'Phone clip.mp4'), { width: 360, height: 640, seconds: 2 });
    await page.getByLabel('Video files to upload').setInputFiles([first]);
    await page.getByText('Uploaded “Interview 360.mp4”. Its master is being prepared.').waitFor();
    await page.getByLabel('Video files to upload').setInputFiles([second]);
    await page.getByText('Uploaded “Phone clip.mp4”. Its master is being prepared.').waitFor();

    // Two messages: at 400 px only the newest shows, one short line at the bottom, the other behind "1 more".
    const more = page.getByRole('button', { name: /^\d+ more messages?$/ });
    await more.waitFor();
    const shown = page.locator('.toast:visible');
    assert.equal(await shown.count(), 1, 'one message on screen');
    const box = await page.locator('.toasts').boundingBox();
    assert.ok(box.height <= 110, `the messages take ${box.height} px of an 800 px window`);
    assert.ok(box.y + box.height <= 800 && box.y >= 800 - 110, 'at the bottom edge');
    await page.screenshot({ path: join(OUT_DIR, 'toast-400.png') });
    await more.click();
    assert.ok((await shown.count()) >= 2, 'all messages once opened');
    await page.screenshot({ path: join(OUT_DIR, 'toast-400-open.png') });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: join(OUT_DIR, 'toast-1280.png') });
    const dismiss = page.getByRole('button', { name: 'Dismiss' });
    while ((await dismiss.count()) > 0) await dismiss.first().click({ timeout: 2_000 }).catch(() => {}); // info also goes by itself

    const card = page.getByTestId('asset-card').filter({ hasText: 'Interview 360' });
    await waitUntil('the master to be ready', async () => (await card.innerText()).includes('Ready'), { timeoutMs: 60_000 });
    assert.match(await card.innerText(), /640×360/);
    assert.doesNotMatch(await card.innerText(), /720p/);
    await card.click();
    const detail = page.getByRole('complementary', { name: 'Video details' });
    const resolution = fact(detail, 'Resolution');
    await waitUntil('the resolution row', async () => (await resolution.innerText()).includes('×'));
    assert.equal(await resolution.innerText(), '640 × 360', 'pixels, not Mux’s "720p"');
    const sizes = detail.locator('table.source-facts tr').filter({ has: page.getByRole('rowheader', { name: 'Size' }) }).locator('td');
    await sizes.first().waitFor();
    const uploaded = (await stat(first)).size;
    assertSize((await sizes.allInnerTexts())[0], uploaded, 'the uploaded file’s size');
    // The Details' Source row: the upload as the user knew it and its size, not the copy's path under the data folder.
    const [name, size, note] = (await fact(detail, 'Source').innerText()).split(' · ');
    assert.equal(name, 'Interview 360.mp4');
    assertSize(size, uploaded, 'the Source row’s size');
    assert.equal(note, 'uploaded, kept beside the master');
    await shoot(page, detail.locator('table.source-facts'), 'panel-360-source');
    await shoot(page, detail.locator('dl.facts'), 'panel-360-details');

    const phone = page.getByTestId('asset-card').filter({ hasText: 'Phone clip' });
    await waitUntil('the phone master', async () => (await phone.innerText()).includes('Ready'), { timeoutMs: 60_000 });
    await page.goto(`${server.url}/${await phone.getAttribute('href')}`); // (the sticky toolbar may lie over the scrolled card)
    await waitUntil('the portrait clip in pixels', async () => (await fact(detail, 'Resolution').innerText()) === '360 × 640');
  });
});
