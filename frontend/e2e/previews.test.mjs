// Previews made after the master: a card skims its video on hover (a sprite of small pictures
// ffmpeg made from the master) and an audio-only master shows its waveform in the panel.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { makeClip, OUT_DIR, run, useSession, waitUntil } from './harness.mjs';

const shared = useSession({ requires: ['ffmpeg'] });
before(() => mkdir(OUT_DIR, { recursive: true }));

/** The previews the window would get (asked from the page, with its session). */
const previewsOf = (page, id) =>
  page.evaluate(async (id) => (await (await fetch(`/ui/v1/assets/${id}/previews`)).json()).data, id);

async function archive(server, input, title) {
  const { data } = await server.api('POST', '/video/v1/assets', { input, meta: { title } });
  await waitUntil(`${title} ready`, async () => (await server.api('GET', `/video/v1/assets/${data.id}`)).data.status === 'ready', {
    timeoutMs: 60_000,
  });
  return data.id;
}

test('hovering a card skims its video', async (t) => {
  const { page, server } = shared.session;
  await shared.session.check(t, async () => {
    const clip = await makeClip(join(server.dir, 'skim.mp4'), { width: 640, height: 360, seconds: 4 });
    const id = await archive(server, clip, 'Skim me');
    await waitUntil('the sprite made', async () => Boolean((await previewsOf(page, id)).sprite), { timeoutMs: 60_000 });
    const { sprite } = await previewsOf(page, id);
    assert.equal(sprite.tiles, 20, 'five pictures a second for a 4 s clip');

    await page.reload();
    const thumb = page.getByTestId('asset-card').filter({ hasText: 'Skim me' }).locator('.skim-box');
    const box = await thumb.boundingBox();
    await page.mouse.move(box.x + box.width * 0.05, box.y + box.height / 2);
    await page.mouse.move(box.x + box.width * 0.1, box.y + box.height / 2);
    const skim = page.getByTestId('skim');
    await skim.waitFor();
    assert.equal(await skim.getAttribute('data-tile'), '2');
    const early = await skim.evaluate((el) => el.style.backgroundPosition);
    await page.mouse.move(box.x + box.width * 0.9, box.y + box.height / 2);
    await waitUntil('a later tile', async () => (await skim.getAttribute('data-tile')) === '18');
    assert.notEqual(await skim.evaluate((el) => el.style.backgroundPosition), early, 'another part of the sprite');
    const loaded = await page.evaluate(
      (url) => new Promise((resolve) => Object.assign(new Image(), { onload: () => resolve(true), onerror: () => resolve(false), src: url })),
      sprite.url,
    );
    assert.ok(loaded, 'the sprite image loads');
    await page.screenshot({ path: join(OUT_DIR, 'skim-1280.png') });
    await page.mouse.move(0, 0);
    await skim.waitFor({ state: 'detached' });
  });
});

test('an audio-only master shows its waveform; a click on it seeks', async (t) => {
  const { page, server } = shared.session;
  await shared.session.check(t, async () => {
    const wav = join(server.dir, 'voice.wav');
    // prettier-ignore
    await run('ffmpeg', ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y',
      '-f', 'lavfi', '-i', 'sine=frequency=220:sample_rate=48000:duration=6', '-af', 'volume=0.8*abs(sin(t)):eval=frame', '-c:a', 'pcm_s24le', wav]);
    const id = await archive(server, wav, 'Voice memo');
    await waitUntil('the waveform drawn', async () => Boolean((await previewsOf(page, id)).waveform_url), { timeoutMs: 60_000 });

    await page.goto(`${server.url}/#/assets/${id}`);
    const wave = page.getByTestId('waveform');
    await wave.waitFor();
    await waitUntil('the waveform picture loaded', async () => (await wave.locator('img').evaluate((img) => img.naturalWidth)) === 1200);
    // The master is ALAC, which Chromium does not play: the player takes the AAC copy made after it.
    const audio = page.locator('.player audio');
    await waitUntil('the audio copy in the player', async () => /^Playback copy of/.test((await audio.getAttribute('aria-label')) ?? ''), { timeoutMs: 60_000 });
    await waitUntil('the audio copy to load', () => audio.evaluate((a) => a.readyState >= 1 && !a.error && a.duration > 5));
    const box = await wave.boundingBox();
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    const at = await page.locator('.player audio').evaluate((a) => a.currentTime);
    assert.ok(Math.abs(at - 3) < 0.3, `a click in the middle seeks to the middle (${at} s of 6)`);
    await page.screenshot({ path: join(OUT_DIR, 'waveform-1280.png') });
    await page.setViewportSize({ width: 400, height: 800 });
    await page.screenshot({ path: join(OUT_DIR, 'waveform-400.png') });
    await page.goto(`${server.url}/#/`);
    await page.getByTestId('asset-card').first().waitFor();
    await page.screenshot({ path: join(OUT_DIR, 'skim-400-library.png') });
  });
});
