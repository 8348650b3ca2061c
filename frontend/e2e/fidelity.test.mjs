// Archive defaults: a 4K clip added through the window keeps its size unless the editor asks
// for less, and then the card says "4K → 1080p"; an API client that names no tier gets Mux's
// default, as docs/api.md says. The clip is real 3840×2160 H.264 made by ffmpeg (1 s at 5 fps,
// so the 1080p transcode takes about a second).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { addByPath, probe, run, screenshots, useSession, waitUntil } from './harness.mjs';

const shared = useSession({ requires: ['ffmpeg', 'ffprobe'] });

/** A 1 s 3840×2160 clip; `seed` changes the pattern, so two clips are not the same file. */
async function make4K(path, seed) {
  // prettier-ignore
  await run('ffmpeg', [
    '-nostdin', '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc2=size=3840x2160:rate=5,hue=h=${seed * 40}`,
    '-t', '1', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', path,
  ]);
  const { streams } = await probe(path);
  assert.deepEqual([streams[0].width, streams[0].height], [3840, 2160], 'the test clip is 4K');
  return path;
}

test('the add panel keeps a 4K source 4K by default; "Up to 1080p" makes the card say 4K → 1080p', async (t) => {
  const { page, server } = shared.session;
  await shared.session.check(t, async () => {
    const addPanel = page.getByRole('region', { name: 'Add videos' });
    const masterSize = addPanel.getByLabel('Master size');
    // The archive default is the source's own size (the largest tier), in words.
    const chosen = () => masterSize.evaluate((s) => s.selectedOptions[0]?.textContent ?? '');
    assert.match(await chosen(), /keep.*source/i, `the default master size keeps the source's size: "${await chosen()}"`);

    const kept = await addByPath(page, await make4K(join(server.dir, 'drone-kept.mp4'), 0), 'drone-kept');
    const keptMeta = await kept.locator('.card-meta').innerText();
    assert.match(keptMeta, /^4K\b/, `the card names the picture 4K: "${keptMeta}"`);
    assert.doesNotMatch(keptMeta, /→/, 'no arrow: nothing was scaled');

    // The editor asks for less: the card and the panel say what was given up.
    await masterSize.selectOption({ label: 'Up to 1080p (HD)' });
    assert.match(await chosen(), /1080p/);
    const scaled = await addByPath(page, await make4K(join(server.dir, 'drone-hd.mp4'), 1), 'drone-hd');
    const scaledMeta = await scaled.locator('.card-meta').innerText();
    assert.match(scaledMeta, /^4K → 1080p\b/, `the card shows the source and the master: "${scaledMeta}"`);

    for (const card of [kept, scaled]) {
      // The thumbnail is made from the master after it is ready; the card picks it up.
      const img = card.locator('img.thumb-image');
      await waitUntil('the card thumbnail', () => img.evaluate((i) => i.complete && i.naturalWidth > 0).catch(() => false));
    }
    await screenshots(page, 'fidelity-4k-to-1080p-card', scaled);
    await scaled.click();
    const detail = page.getByRole('complementary', { name: 'Video details' });
    const facts = detail.locator('table.source-facts');
    const picture = facts.getByRole('row', { name: /^Picture/ });
    await waitUntil('the Picture row of source and master', async () => (await picture.count()) === 1);
    assert.deepEqual(
      await picture.locator('td').allInnerTexts(),
      ['3840 × 2160', '1920 × 1080'],
      'the panel sets the 4K source beside the 1080p master',
    );
    const masterSizeLine = detail.locator('.master-size-row p');
    assert.equal(await masterSizeLine.innerText(), 'Master size: Up to 1080p (HD) · 4K → 1080p', 'the panel says it as the card does');
    const resolution = detail.locator('.fact').filter({ has: page.locator('dt', { hasText: /^Resolution$/ }) });
    assert.match(await resolution.innerText(), /1920 × 1080.*scaled down from 3840 × 2160 \(4K\)/s, 'the details say it too');
    const changes = detail.getByRole('list', { name: 'Changed from the original' });
    assert.match(await changes.innerText(), /scaled from 3840x2160 to 1920x1080/, 'the change list says the picture was scaled');
    await screenshots(page, 'fidelity-4k-to-1080p-panel', facts);
  });
});

test('through the API, no max_resolution_tier means Mux\'s default: 1080p', async (t) => {
  const { server } = shared.session;
  await shared.session.check(t, async () => {
    const docs = await readFile(new URL('../../docs/api.md', import.meta.url), 'utf8');
    const documented = /`max_resolution_tier` left out is Mux's default, `(\w+)`/.exec(docs)?.[1];
    assert.equal(documented, '1080p', 'docs/api.md names the default tier');
    const clip = await make4K(join(server.dir, 'api-4k.mp4'), 2);
    const { data: created } = await server.api('POST', '/video/v1/assets', { input: clip });
    assert.equal(created.max_resolution_tier, documented, 'the asset says the documented default');
    const ready = await waitUntil(
      'the API asset to be ready',
      async () => {
        const { data } = await server.api('GET', `/video/v1/assets/${created.id}`);
        assert.notEqual(data.status, 'errored', JSON.stringify(data.errors));
        return data.status === 'ready' && data;
      },
      { timeoutMs: 60_000 },
    );
    assert.equal(ready.max_resolution_tier, documented);
    assert.equal(ready.resolution_tier, documented);
    const video = ready.tracks.find((tr) => tr.type === 'video');
    assert.deepEqual([video.max_width, video.max_height], [1920, 1080], 'the master was scaled to the tier');
  });
});
