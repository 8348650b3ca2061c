// A clip goes through the whole window: added by path, built to Ready, shared with a link that
// downloads the exact master, then unshared so the link dies.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { download, makeClip, probe, useSession, waitUntil } from './harness.mjs';

const shared = useSession({ requires: ['ffmpeg', 'ffprobe'] }); // to make and check clips

test('add by path, watch it reach Ready, share the master, download it, unshare it', async (t) => {
  const { page, server } = shared.session;
  await shared.session.check(t, async () => {
    const clip = await makeClip(join(server.dir, 'interview-720p.mp4'), { width: 1280, height: 720, seconds: 2 });

    await page.getByRole('textbox', { name: 'Add by path or URL' }).fill(clip);
    await page.getByRole('button', { name: 'Add', exact: true }).click();

    // The card appears from the create answer, then moves on by polling until Ready.
    // The title comes from the file name (with or without its extension, as the card chooses).
    const card = page.getByTestId('asset-card').filter({ hasText: 'interview-720p' });
    await card.waitFor();
    const seen = new Set();
    await waitUntil(
      'the new video to be Ready in the library',
      async () => {
        const text = await card.innerText();
        for (const word of ['Preparing', 'Reading the source', 'Building the master', 'Ready', 'Failed']) {
          if (text.includes(word)) seen.add(word);
        }
        assert.ok(!text.includes('Failed'), `the video failed: ${text}`);
        return text.includes('Ready');
      },
      { timeoutMs: 60_000, intervalMs: 50 },
    );
    t.diagnostic(`states seen in the list: ${[...seen].join(' → ')}`);
    assert.match(await card.innerText(), /720p/, 'the card shows the picture size');

    await card.click();
    const detail = page.getByRole('complementary', { name: 'Video details' });
    await detail.getByRole('heading', { name: /interview-720p/ }).waitFor();
    const id = decodeURIComponent(new URL(page.url()).hash.replace('#/assets/', ''));
    assert.ok(id, `the page address names the asset: ${page.url()}`);

    const access = detail.getByRole('switch', { name: 'Download link' });
    assert.equal(await access.getAttribute('aria-checked'), 'false');
    await access.click();
    const linkField = detail.getByRole('textbox', { name: 'Download link' });
    await linkField.waitFor({ timeout: 30_000 });
    const link = await linkField.inputValue();
    assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\//, 'the link is served by the share listener');
    assert.ok(link.startsWith(server.shareUrl), `link ${link} is on the share address ${server.shareUrl}`);

    const { data: asset } = await server.api('GET', `/video/v1/assets/${encodeURIComponent(id)}`);
    assert.equal(asset.master?.url, link, 'the page shows the link the API gives');
    assert.ok(asset.master_size > 0, 'the API reports the master size');

    const downloaded = join(server.dir, 'downloaded.mp4');
    const got = await download(link, downloaded);
    assert.equal(got.status, 200);
    assert.equal(got.size, asset.master_size, 'the download is exactly master_size bytes');
    const { streams } = await probe(downloaded);
    const video = streams.find((s) => s.codec_type === 'video');
    assert.ok(video, 'the master has a video stream');
    assert.equal(`${video.width}x${video.height}`, '1280x720');
    assert.ok(
      streams.some((s) => s.codec_type === 'audio'),
      'the master kept the audio',
    );

    await access.click();
    await waitUntil('the switch to show the link off', async () => (await access.getAttribute('aria-checked')) === 'false');
    await linkField.waitFor({ state: 'detached' });
    const dead = await download(link, join(server.dir, 'should-not-exist.mp4'));
    assert.ok([404, 410].includes(dead.status), `the switched-off link answers 404 or 410, got ${dead.status}`);
  });
});
