// What an editor's acceptance check of the add panel and the asset panel found wrong, on clips
// ffmpeg makes: an MP4 was called "MOV" (ffprobe names both "mov,mp4,…"), an MPEG-2 file showed
// ffprobe's "mpeg2video" and "mp2", a phone clip's turn was not said, a master whose sound alone
// was converted read "re-encoded", and the sticky library toolbar covered the add panel's
// bottom edge at every width.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { addByPath, makeClip, run, screenshots, useSession, waitUntil } from './harness.mjs';

const shared = useSession({ requires: ['ffmpeg', 'ffprobe'] });

/** The add panel's bottom edge is drawn: the point just inside it belongs to the panel. */
async function addPanelEdgeShows(page) {
  return page.evaluate(() => {
    const panel = document.querySelector('section.add-panel');
    const box = panel.getBoundingClientRect();
    const hit = document.elementFromPoint(box.left + box.width / 2, box.bottom - 1);
    return panel.contains(hit);
  });
}

test('the add panel is not covered by the toolbar below it, at 1280 and 400 px', async (t) => {
  const { page } = shared.session;
  await shared.session.check(t, async () => {
    for (const width of [1280, 400]) {
      await page.setViewportSize({ width, height: 800 });
      await page.locator('section.add-panel').waitFor();
      assert.equal(await addPanelEdgeShows(page), true, `the add panel's bottom edge shows at ${width} px`);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});

/** The source-and-master table of the open panel, row by row as [source, master]. */
function factsOf(page) {
  const facts = page.getByRole('complementary', { name: 'Video details' }).locator('table.source-facts');
  return async (label) => {
    const r = facts.getByRole('row').filter({ has: page.getByRole('rowheader', { name: label, exact: true }) });
    await waitUntil(`the "${label}" row`, async () => (await r.count()) === 1);
    return r.locator('td').allInnerTexts();
  };
}

test('an MP4, an MPEG-2 program stream and a phone clip, named as editors name them', async (t) => {
  const { page, server } = shared.session;
  await shared.session.check(t, async () => {
    const mp4 = await makeClip(join(server.dir, 'drone.mp4'), { width: 640, height: 360, seconds: 1 });
    await (await addByPath(page, mp4, 'drone')).click();
    let row = factsOf(page);
    assert.deepEqual(await row('Container'), ['MP4', 'MP4'], 'an MP4 is an MP4, not a MOV');
    await page.getByRole('button', { name: 'Close details' }).click();

    const mpg = join(server.dir, 'tape.mpg');
    // prettier-ignore
    await run('ffmpeg', ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y',
      '-f', 'lavfi', '-i', 'testsrc2=size=720x576:rate=25', '-f', 'lavfi', '-i', 'sine=sample_rate=48000',
      '-t', '1', '-c:v', 'mpeg2video', '-q:v', '4', '-c:a', 'mp2', '-ac', '2', mpg]);
    await (await addByPath(page, mpg, 'tape')).click();
    row = factsOf(page);
    assert.deepEqual(await row('Container'), ['MPEG-PS', 'MP4']);
    assert.equal((await row('Video'))[0], 'MPEG-2 Main');
    assert.equal((await row('Audio'))[0], 'MP2, Stereo, 48 kHz');
    await page.getByRole('button', { name: 'Close details' }).click();

    // A phone held upright: a 640×360 picture its display matrix turns a quarter, and PCM sound
    // that the master keeps as ALAC while the picture is copied as it is.
    const pixels = join(server.dir, 'pixels.mov');
    // prettier-ignore
    await run('ffmpeg', ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y',
      '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=30', '-f', 'lavfi', '-i', 'sine=sample_rate=48000',
      '-t', '1', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'pcm_s16le', pixels]);
    const phone = join(server.dir, 'IMG_0042.mov');
    await run('ffmpeg', ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', '-i', pixels, '-c', 'copy', '-metadata:s:v:0', 'rotate=90', phone]);
    await (await addByPath(page, phone, 'IMG_0042')).click();
    row = factsOf(page);
    assert.deepEqual(await row('Container'), ['MOV', 'MP4']);
    assert.match((await row('Picture'))[0], /^640 × 360, turned 90° (left|right) \(plays 360 × 640\)$/);
    const madeBy = page.locator('dl.facts .fact').filter({ has: page.locator('dt', { hasText: 'Master made by' }) }).locator('dd');
    assert.match(await madeBy.innerText(), /^The original video moved into MP4 without re-encoding/);
    await screenshots(page, 'panel-words-phone', page.locator('table.source-facts'));
  });
});
