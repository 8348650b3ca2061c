// "Change master size" in the real window against a real `serve`: a 1440p clip archived at
// "Up to 1080p" is rebuilt from its source at "Keep the source size", together with a small clip
// that is already as big as its source; the card follows the new master and ffprobe checks it.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { mkdir, rm } from 'node:fs/promises';
import { download, makeClip, OUT_DIR, probe, screenshots, useSession, waitUntil } from './harness.mjs';

const shared = useSession({ requires: ['ffmpeg', 'ffprobe'] });

const card = (page, title) => page.getByTestId('asset-card').filter({ hasText: title });

async function addReady(server, path, title, tier) {
  const { data } = await server.api('POST', '/video/v1/assets', { input: path, max_resolution_tier: tier, meta: { title } });
  await waitUntil(`“${title}” ready`, async () => (await server.api('GET', `/video/v1/assets/${data.id}`)).data.status === 'ready', {
    timeoutMs: 60_000,
  });
  return data.id;
}

/**
 * Screenshots at 1280 and 400 px with a card in view. The virtualised grid renders the card anew
 * when the window narrows, so it is looked up again after each resize (harness.screenshots
 * scrolls the element it was given, which may be gone by then).
 */
async function cardShots(page, name, title) {
  await mkdir(OUT_DIR, { recursive: true });
  const paths = [];
  for (const width of [1280, 400]) {
    await page.setViewportSize({ width, height: 800 });
    await waitUntil(`“${title}” in view at ${width} px`, async () => {
      await card(page, title).scrollIntoViewIfNeeded({ timeout: 1_000 });
      return true;
    });
    const path = join(OUT_DIR, `${name}-${width}.png`);
    await page.screenshot({ path });
    paths.push(path);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  return paths;
}

/** The master's picture, from the file the API serves. */
async function masterPicture(server, id) {
  await server.api('PUT', `/video/v1/assets/${id}/master-access`, { master_access: 'temporary' });
  // The link is made in the background ("preparing" first).
  const data = await waitUntil('a download link for the master', async () => {
    const { data: a } = await server.api('GET', `/video/v1/assets/${id}`);
    return a.master?.status === 'ready' && a.master.url ? a : null;
  });
  const dest = join(server.dir, `${id}-master.mp4`);
  const got = await download(data.master.url, dest);
  assert.equal(got.status, 200);
  const v = (await probe(dest)).streams.find((s) => s.codec_type === 'video');
  await server.api('PUT', `/video/v1/assets/${id}/master-access`, { master_access: 'none' });
  return `${v.width}x${v.height}`;
}

test('a selection rebuilt at the source size: the 1440p clip gets a 1440p master, the small one is already that size, the moved one is left as it is', async (t) => {
  const { page, server } = shared.session;
  await shared.session.check(t, async () => {
    const big = await makeClip(join(server.dir, 'wide.mp4'), { width: 2560, height: 1440, seconds: 1 });
    const small = await makeClip(join(server.dir, 'small.mp4'), { width: 640, height: 360, seconds: 1 });
    const gone = await makeClip(join(server.dir, 'gone.mp4'), { width: 320, height: 180, seconds: 1 });
    await addReady(server, gone, 'Moved clip', '1080p');
    const bigId = await addReady(server, big, 'Wide shot', '1080p');
    await addReady(server, small, 'Small clip', '1080p');
    await rm(gone); // its source is no longer on this computer
    assert.equal(await masterPicture(server, bigId), '1920x1080', 'archived at up to 1080p first');

    await page.reload();
    await card(page, 'Wide shot').getByText('1440p → 1080p').waitFor();
    await page.getByRole('checkbox', { name: 'Select Wide shot' }).check();
    await page.getByRole('checkbox', { name: 'Select Small clip' }).check();
    await page.getByRole('checkbox', { name: 'Select Moved clip' }).check();
    await page.getByRole('button', { name: 'Change master size…' }).click();

    const dialog = page.getByRole('dialog', { name: 'Change the master size of 3 videos' });
    const size = dialog.getByRole('combobox', { name: 'Master size' });
    await waitUntil('focus on the size', () => size.evaluate((el) => el === document.activeElement));
    await size.selectOption({ label: 'Keep the source size (up to 4K)' });
    assert.match(await dialog.getByTestId('change-size-text').innerText(), /^Rebuilds the master of 3 videos from their sources at full size \(up to 4K\)\. The current masters keep working/);
    const shots = await screenshots(page, 'change-size-dialog', dialog);

    await dialog.getByRole('button', { name: 'Rebuild 3 masters' }).click();
    const summary = dialog.getByTestId('change-size-summary');
    await summary.getByText('1 rebuilding, 1 already that size, 1 left as it is:').waitFor();
    const left = await summary.getByRole('list', { name: 'Left as they are' }).innerText();
    assert.match(left, /^Moved clip: The file .*gone\.mp4 does not exist\. The master cannot be made again from its source/, 'the video left as it is, named, with the reason');
    shots.push(...(await screenshots(page, 'change-size-summary', dialog)));
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });

    // The card follows the new master once it lands (pushed by the feed): 1440p, no arrow.
    await waitUntil('the card says 1440p', async () => /^1440p(?! →)/.test(await card(page, 'Wide shot').locator('.card-meta').innerText()), {
      timeoutMs: 60_000,
    });
    assert.equal(await card(page, 'Wide shot').getByTestId('card-rebuild').count(), 0);
    assert.equal(await masterPicture(server, bigId), '2560x1440', 'the master rebuilt from the 2560×1440 source');
    t.diagnostic(`screenshots: ${shots.join(', ')}`);
  });
});

test('one video from its context menu and its panel: the rebuild shows while it runs; Cancel keeps the master', async (t) => {
  const { page, server } = shared.session;
  await shared.session.check(t, async () => {
    const { data } = await server.api('GET', '/video/v1/assets?limit=10');
    const wideId = data.find((a) => a.meta?.title === 'Wide shot').id;
    await page.getByRole('button', { name: 'Clear selection' }).click();

    // Context menu: back to up to 1080p (a transcode of a few seconds); the card shows it running.
    await card(page, 'Wide shot').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Change master size…' }).click();
    let dialog = page.getByRole('dialog', { name: 'Change master size' });
    assert.match(await dialog.getByTestId('change-size-text').innerText(), /^Rebuilds the master of “Wide shot” from its source/);
    await dialog.getByRole('combobox', { name: 'Master size' }).selectOption({ label: 'Up to 1080p (HD)' });
    const started = Date.now();
    await dialog.getByRole('button', { name: 'Rebuild the master' }).click();
    await dialog.waitFor({ state: 'detached' });
    const progress = card(page, 'Wide shot').getByTestId('card-rebuild');
    assert.match(await progress.innerText(), /^(Rebuild queued|Rebuilding at 1080p)/);
    const shots = await cardShots(page, 'change-size-card', 'Wide shot');
    await waitUntil('the card says 1440p → 1080p', async () => (await card(page, 'Wide shot').locator('.card-meta').innerText()).startsWith('1440p → 1080p'), {
      timeoutMs: 60_000,
    });
    t.diagnostic(`rebuild of a 1 s 2560×1440 clip at 1080p: ${Date.now() - started} ms until the card showed it`);
    await page.getByText('The new master of “Wide shot” is ready: 1080p.').waitFor();
    assert.equal(await masterPicture(server, wideId), '1920x1080');

    // Back to the source size through the API: a remux, at once.
    await server.api('POST', `/reelvault/v1/assets/${wideId}/rebuild`, { max_resolution_tier: '2160p' });
    await waitUntil('the card says 1440p', async () => /^1440p(?! →)/.test(await card(page, 'Wide shot').locator('.card-meta').innerText()), {
      timeoutMs: 60_000,
    });
    assert.equal(await masterPicture(server, wideId), '2560x1440');

    // The panel: ask for 1080p and cancel it while it runs; the master stays 2560×1440. A
    // 12 s take, so its transcode outlasts the screenshots and the click on a quiet machine
    // too (the 1 s clip's takes about a second there).
    const long = await makeClip(join(server.dir, 'long.mp4'), { width: 2560, height: 1440, seconds: 12 });
    const longId = await addReady(server, long, 'Long take', '2160p');
    await card(page, 'Long take').click();
    const detail = page.getByRole('complementary', { name: 'Video details' });
    await detail.getByText('Master size: Keep the source size (up to 4K) · 1440p').waitFor();
    await detail.getByRole('button', { name: 'Change master size…' }).click();
    dialog = page.getByRole('dialog', { name: 'Change master size' });
    await dialog.getByRole('combobox', { name: 'Master size' }).selectOption({ label: 'Up to 1080p (HD)' });
    await dialog.getByRole('button', { name: 'Rebuild the master' }).click();
    const status = detail.getByTestId('rebuild-status');
    await status.waitFor();
    assert.match(await status.locator('strong').innerText(), /^(Rebuild queued|Rebuilding at 1080p)/);
    shots.push(...(await screenshots(page, 'change-size-panel', status)));
    await status.getByRole('button', { name: 'Cancel the rebuild at 1080p' }).click();
    await status.waitFor({ state: 'detached' });
    assert.equal(await detail.getByRole('alert').count(), 0, 'no error: the rebuild was still running when cancelled');
    const after = (await server.api('GET', `/video/v1/assets/${longId}`)).data;
    assert.equal(after.rebuild, undefined);
    assert.equal(after.max_resolution_tier, '2160p');
    assert.equal(await masterPicture(server, longId), '2560x1440', 'the master is untouched by a cancelled rebuild');
    t.diagnostic(`screenshots: ${shots.join(', ')}`);
  });
});
