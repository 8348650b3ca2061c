// The same file added twice is found by its bytes: the asset panel says so, names the other
// entry, and offers to keep one. The side bar says what the library takes and what is free.
import assert from 'node:assert/strict';
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeClip, useSession, waitUntil } from './harness.mjs';

const shared = useSession({ requires: ['ffmpeg', 'ffprobe'] });

const shot = (name) => join(process.cwd(), 'e2e', 'out', name);

test('a file added twice says so on the new entry, and one copy can be deleted', async (t) => {
  const { page, server } = shared.session;
  await shared.session.check(t, async () => {
    const original = await makeClip(join(server.dir, 'A001_C004.mp4'), { width: 640, height: 360, seconds: 2 });
    const again = join(server.dir, 'A001_C004 (backup drive).mp4');
    await copyFile(original, again);
    const { data: first } = await server.api('POST', '/video/v1/assets', { input: original });
    const { data: second } = await server.api('POST', '/video/v1/assets', { input: again });
    await waitUntil(
      'both masters built and the second named as a copy',
      async () => (await server.api('GET', `/video/v1/assets/${second.id}`)).data.duplicates?.includes(first.id),
      { timeoutMs: 60_000, intervalMs: 250 },
    );

    await page.goto(`${server.url}#/assets/${second.id}`);
    const detail = page.getByRole('complementary', { name: 'Video details' });
    const warning = detail.getByTestId('duplicate-warning');
    await warning.getByText('This file is already in the library.').waitFor();
    const link = warning.getByRole('link', { name: 'A001_C004' });
    await link.waitFor();
    assert.equal(await link.getAttribute('href'), `#/assets/${first.id}`);
    await warning.scrollIntoViewIfNeeded();
    await page.screenshot({ path: shot('duplicate-1280.png') });
    await page.setViewportSize({ width: 400, height: 800 });
    await warning.scrollIntoViewIfNeeded();
    await page.screenshot({ path: shot('duplicate-400.png') });
    await page.setViewportSize({ width: 1280, height: 800 });

    // The side bar's storage line counts both masters.
    const storage = page.getByTestId('storage');
    assert.match(await storage.innerText(), /^Library [\d.]+ (KB|MB) · [\d.]+ (MB|GB|TB) free$/);

    await warning.getByRole('button', { name: 'Delete this copy…' }).click();
    await warning.getByRole('button', { name: 'Delete', exact: true }).click();
    await waitUntil('the copy to be gone', async () => {
      try {
        await server.api('GET', `/video/v1/assets/${second.id}`);
        return false;
      } catch (err) {
        return /HTTP 404/.test(err.message);
      }
    });
    const kept = (await server.api('GET', `/video/v1/assets/${first.id}`)).data;
    assert.equal(kept.status, 'ready');
    assert.equal(kept.duplicates, undefined, 'the one kept has no copy left');
  });
});
