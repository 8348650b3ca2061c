// The build queue as a person reads it: builds waiting their turn say how many come before them
// (not "0%"), the running one says how far it is; a failed build is retried from the window, and
// refused with the reason while its file is missing.
import assert from 'node:assert/strict';
import { copyFile, rename } from 'node:fs/promises';
import { availableParallelism, totalmem } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeClip, makeTranscodeClip, useSession, waitUntil } from './harness.mjs';

const shared = useSession({ requires: ['ffmpeg', 'ffprobe'] });

// The server's transcode lane, sized as archive.transcodeLane does: one per two cores, 3 GiB each.
const transcodeWorkers = () => Math.max(1, Math.min(Math.floor(availableParallelism() / 2), Math.floor(totalmem() / 3 / 2 ** 30)));

test('three builds waiting behind the running one say "Queued · N ahead"', async (t) => {
  const { page, server } = shared.session;
  await shared.session.check(t, async () => {
    // MPEG-2 video is re-encoded (the transcode lane's work), and 40 s of 720p takes a while to.
    const source = await makeTranscodeClip(join(server.dir, 'long.mkv'), { seconds: 40 });
    const workers = transcodeWorkers();
    const count = workers + 3;
    const ids = [];
    for (let i = 1; i <= count; i++) {
      const path = join(server.dir, `queued-${i}.mkv`);
      await copyFile(source, path);
      const { data } = await server.api('POST', '/video/v1/assets', { input: path, max_resolution_tier: '1080p' });
      ids.push(data.id);
    }

    const lines = page.getByTestId('card-progress');
    const wanted = [workers, workers + 1, workers + 2].map((n) => `Queued · ${n} ahead`);
    const seen = await waitUntil(
      `${wanted.join(', ')} on three cards`,
      async () => {
        const texts = await lines.allInnerTexts();
        return wanted.every((w) => texts.includes(w)) && texts;
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    t.diagnostic(`cards: ${seen.join(' | ')}`);
    assert.ok(!seen.some((s) => /Queued.*%/.test(s)), 'a queued build shows no percentage');
    // The running one moves, says how fast (ffmpeg's multiple of real time), and once it has
    // moved a while it guesses the time left.
    const building = await waitUntil(
      'the running build to show its percentage, speed and time left',
      async () => (await lines.allInnerTexts()).find((s) => /^Building the master · \d+% · [\d.]+× real time · about .* left$/.test(s)),
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    t.diagnostic(`running: ${building}`);
    await page.screenshot({ path: join(process.cwd(), 'e2e', 'out', 'queue-1280.png') });
    await page.setViewportSize({ width: 400, height: 800 });
    await page.screenshot({ path: join(process.cwd(), 'e2e', 'out', 'queue-400.png') });
    await page.setViewportSize({ width: 1280, height: 800 });

    // Cancelling frees the lane for the next test.
    for (const id of ids) await server.api('DELETE', `/video/v1/assets/${id}`);
    await waitUntil('the queued cards to go', async () => (await lines.count()) === 0);
  });
});

test('a failed build is retried from the asset panel; while its file is missing, Retry says why', async (t) => {
  const { page, server } = shared.session;
  await shared.session.check(t, async () => {
    const path = join(server.dir, 'card B007.mp4');
    const { data } = await server.api('POST', '/video/v1/assets', { input: path });
    const card = page.getByTestId('asset-card').filter({ hasText: 'card B007' });
    await waitUntil('the card to say Failed', async () => (await card.innerText()).includes('Failed'), { timeoutMs: 30_000 });

    await card.click();
    const detail = page.getByRole('complementary', { name: 'Video details' });
    const retry = detail.getByRole('button', { name: 'Retry' });
    await retry.click();
    await detail.getByText(/The input is gone/).waitFor();
    assert.equal((await server.api('GET', `/video/v1/assets/${data.id}`)).data.status, 'errored', 'a refused retry changes nothing');
    await page.screenshot({ path: join(process.cwd(), 'e2e', 'out', 'retry-refused-1280.png') });
    await page.setViewportSize({ width: 400, height: 800 });
    await detail.getByText(/The input is gone/).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(process.cwd(), 'e2e', 'out', 'retry-refused-400.png') });
    await page.setViewportSize({ width: 1280, height: 800 });

    const made = await makeClip(join(server.dir, 'made.mp4'), { width: 640, height: 360, seconds: 1 });
    await rename(made, path);
    await retry.click();
    await waitUntil('the card to reach Ready after the retry', async () => (await card.innerText()).includes('Ready'), {
      timeoutMs: 60_000,
    });
    assert.equal((await server.api('GET', `/video/v1/assets/${data.id}`)).data.status, 'ready');
  });
});
