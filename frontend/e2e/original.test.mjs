// Files uploaded from the browser: several at once show one line for the batch; the kept
// original is shown in the asset panel under the name it had here, and downloads byte for byte.
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeClip, useSession, waitUntil } from './harness.mjs';

const shared = useSession({ requires: ['ffmpeg', 'ffprobe'] });

const shot = (name) => join(process.cwd(), 'e2e', 'out', name);

test('uploads: one toast for the batch, then the kept original under its own name, downloadable', async (t) => {
  const { page, server, context } = shared.session;
  await shared.session.check(t, async () => {
    const first = await makeClip(join(server.dir, 'Interview take 2 (Kamera B).mp4'), { width: 640, height: 360, seconds: 2 });
    const second = await makeClip(join(server.dir, 'B-roll 01.mp4'), { width: 640, height: 360, seconds: 3 });
    await page.getByLabel('Video files to upload').setInputFiles([first, second]);
    // Both files are in the list; when the batch ends, one toast tells it (not one per file).
    await waitUntil('both uploads to be done', async () => {
      const rows = await page.getByTestId('upload').allInnerTexts();
      return rows.length === 2 && rows.every((r) => r.includes('Uploaded'));
    }, { timeoutMs: 60_000 });
    await page.getByText('Uploaded 2 files. Their masters are being prepared.').waitFor();

    const card = page.getByTestId('asset-card').filter({ hasText: 'Interview take 2' });
    await waitUntil('the master to be ready', async () => (await card.innerText()).includes('Ready'), { timeoutMs: 60_000 });
    await card.click();
    const detail = page.getByRole('complementary', { name: 'Video details' });
    const kept = detail.getByTestId('kept-original');
    await kept.getByText('Interview take 2 (Kamera B).mp4').waitFor();
    const size = (await stat(first)).size;
    assert.match(await kept.innerText(), /KB|MB/);
    await kept.scrollIntoViewIfNeeded();
    await page.screenshot({ path: shot('original-1280.png') });
    await page.setViewportSize({ width: 400, height: 800 });
    await kept.scrollIntoViewIfNeeded();
    await page.screenshot({ path: shot('original-400.png') });
    await page.setViewportSize({ width: 1280, height: 800 });

    // The download is the uploaded bytes, under the name they had.
    const href = await kept.getByRole('link', { name: 'Download original' }).getAttribute('href');
    const cookies = await context.cookies(server.url);
    const res = await fetch(new URL(href, server.url), { headers: { Cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; ') } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-disposition') ?? '', /Kamera B/);
    const got = Buffer.from(await res.arrayBuffer());
    assert.equal(got.length, size);
    assert.ok(got.equals(await readFile(first)), 'the original comes back byte for byte');
  });
});
