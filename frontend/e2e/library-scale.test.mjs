// The library at scale: 50 videos selected and deleted behind one confirmation, and sorted by
// name on the server. The inputs are paths that do not exist, so each asset fails at once
// (no ffmpeg work) and is still a real row to sort, select and delete.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { OUT_DIR, startSession, waitUntil } from './harness.mjs';

let session;
before(async () => {
  session = await startSession();
});
after(async () => {
  await session?.close();
});

const titles = (page) => page.getByTestId('asset-card').locator('.card-title').allInnerTexts();

test('sort by name, select 50 with Shift-click, delete them with one confirmation', async (t) => {
  const { page, server } = session;
  await session.check(t, async () => {
    const names = Array.from({ length: 52 }, (_, i) => `Batch ${String(i).padStart(2, '0')}`);
    // Created in a shuffled order, so date order and name order differ.
    for (const name of [...names].reverse()) {
      await server.api('POST', '/video/v1/assets', { input: join(server.dir, `${name}.mp4`), meta: { title: name } });
    }
    await page.reload();
    await page.getByText('52 videos').waitFor();

    await page.getByTestId('library-sort').selectOption('name:asc');
    await waitUntil('the list sorted by name', async () => (await titles(page))[0] === 'Batch 00');
    const shown = await titles(page);
    assert.deepEqual(shown.slice(0, 5), names.slice(0, 5), 'names ascend');

    await mkdir(OUT_DIR, { recursive: true });
    await page.screenshot({ path: join(OUT_DIR, 'library-1280-grid.png') });

    const cards = page.getByTestId('asset-card');
    await cards.nth(0).click({ modifiers: ['Control'] });
    await cards.nth(49).click({ modifiers: ['Shift'] });
    await page.getByText('50 videos selected').waitFor();
    await page.screenshot({ path: join(OUT_DIR, 'library-1280-selection.png') });

    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    await page.getByRole('button', { name: 'Delete 50 videos…' }).click();
    await page.getByRole('button', { name: 'Delete 50 videos', exact: true }).click();
    await waitUntil('50 videos deleted', async () => (await cards.count()) === 2, { timeoutMs: 30_000 });
    assert.deepEqual(await titles(page), ['Batch 50', 'Batch 51']);
    assert.equal(dialogs, 0, 'one in-page confirmation, no browser dialogs');
    const { data, total } = await server.api('GET', '/video/v1/assets?limit=100');
    assert.equal(data.length, 2);
    assert.equal(total, 2);
    await page.getByText('2 videos').waitFor();

    await page.getByRole('button', { name: 'List' }).click();
    await page.screenshot({ path: join(OUT_DIR, 'library-1280-list.png') });
    await page.setViewportSize({ width: 400, height: 800 });
    await page.screenshot({ path: join(OUT_DIR, 'library-400-list.png') });
    await page.getByRole('button', { name: 'Grid' }).click();
    await page.screenshot({ path: join(OUT_DIR, 'library-400-grid.png') });
  });
});
