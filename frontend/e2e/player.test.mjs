// The asset panel's player: a clip with a start timecode is added, built, opened, played and
// stepped frame by frame, with the source timecode over the picture; screenshots at 1280 and 400 px.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { addByPath, OUT_DIR, run, useSession, waitUntil } from './harness.mjs';

const shared = useSession({ requires: ['ffmpeg'] });

test('play the master, seek, step a frame, read the source timecode', async (t) => {
  const { page, server } = shared.session;
  await shared.session.check(t, async () => {
    const clip = join(server.dir, 'drone-take.mov');
    // prettier-ignore
    await run('ffmpeg', [
      '-nostdin', '-hide_banner', '-loglevel', 'error', '-y',
      '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25',
      '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
      '-t', '3', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p',
      '-c:a', 'aac', '-timecode', '10:00:00:00', clip,
    ]);
    await (await addByPath(page, clip, 'drone-take')).click();

    const detail = page.getByRole('complementary', { name: 'Video details' });
    const video = detail.locator('video');
    await video.waitFor();
    const timecode = detail.getByTestId('timecode');
    await waitUntil('the start timecode from input-info', async () => (await timecode.innerText()) === '10:00:00:00');
    await waitUntil('the master to load its metadata', () => video.evaluate((v) => v.readyState >= 1 && v.duration > 2.5), {
      timeoutMs: 20_000,
    });

    // Seeking needs Range requests: jump to 2 s as the scrub bar would.
    await video.evaluate((v) => {
      v.currentTime = 2;
    });
    await waitUntil('the seek to land', async () => (await timecode.innerText()) === '10:00:02:00');
    const player = detail.getByRole('group', { name: /^Player/ });
    await player.focus();
    await page.keyboard.press('.');
    await waitUntil('one frame forward', async () => (await timecode.innerText()) === '10:00:02:01');
    await page.keyboard.press(',');
    await page.keyboard.press(',');
    await waitUntil('two frames back', async () => (await timecode.innerText()) === '10:00:01:24');

    await page.keyboard.press('j');
    await waitUntil('J back to the start', async () => (await timecode.innerText()) === '10:00:00:00');
    await page.keyboard.press('Space');
    await waitUntil('Space to play the master', () => video.evaluate((v) => !v.paused && v.currentTime > 0.3), { timeoutMs: 10_000 });
    await page.keyboard.press('k');
    assert.equal(await video.evaluate((v) => v.paused), true, 'K pauses');

    await video.evaluate((v) => {
      v.currentTime = 1.5;
    });
    await waitUntil('the frame at 1.5 s', async () => (await timecode.innerText()) === '10:00:01:12');
    // The source against the master: the original's start timecode and its codec with profile.
    const facts = detail.locator('table.source-facts');
    await waitUntil('the source facts', async () => /Start timecode\s*10:00:00:00/.test(await facts.innerText()));
    assert.match(await facts.innerText(), /Video\s*H\.264 \w+/, 'the source codec with its profile');
    assert.match(await facts.innerText(), /Bit depth, chroma\s*8-bit 4:2:0/);
    await mkdir(OUT_DIR, { recursive: true });
    await page.screenshot({ path: join(OUT_DIR, 'asset-panel-player-1280.png') });
    await page.setViewportSize({ width: 400, height: 800 });
    await page.screenshot({ path: join(OUT_DIR, 'asset-panel-player-400.png') });
    await facts.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(OUT_DIR, 'asset-panel-source-400.png') });
  });
});

test('Space on a card plays it, and the player then takes J, K, L at once', async (t) => {
  const { page, server } = shared.session;
  await shared.session.check(t, async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(server.url);
    const card = page.getByTestId('asset-card').filter({ hasText: 'drone-take' });
    await card.focus();
    await page.keyboard.press('Space');
    const detail = page.getByRole('complementary', { name: 'Video details' });
    const video = detail.locator('video');
    await waitUntil('Space on the card to play it', () => video.evaluate((v) => !v.paused && v.currentTime > 0.2), { timeoutMs: 10_000 });
    // An editor's next key stops it: no click into the player first.
    await page.keyboard.press('k');
    await waitUntil('K to pause (not the clip reaching its end)', () => video.evaluate((v) => v.paused && !v.ended));
    const at = await video.evaluate((v) => v.currentTime);
    await page.keyboard.press('.');
    await waitUntil('"." to step one frame', () => video.evaluate((v, from) => Math.abs(v.currentTime - from - 0.04) < 0.01, at));
  });
});

test('a file without a timecode shows none over the picture', async (t) => {
  const { page, server } = shared.session;
  await shared.session.check(t, async () => {
    const clip = join(server.dir, 'phone-clip.mp4');
    // prettier-ignore
    await run('ffmpeg', [
      '-nostdin', '-hide_banner', '-loglevel', 'error', '-y',
      '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25',
      '-t', '2', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', clip,
    ]);
    await (await addByPath(page, clip, 'phone-clip')).click();
    const detail = page.getByRole('complementary', { name: 'Video details' });
    await detail.locator('video').waitFor();
    // input-info has answered once the source facts show; only then is "no timecode" known.
    await waitUntil('the source facts', async () => /Video\s*H\.264/.test(await detail.locator('table.source-facts').innerText()));
    assert.equal(await detail.getByTestId('timecode').count(), 0, 'no 00:00:00:00 passing for a source timecode');
  });
});
