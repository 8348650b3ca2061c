// The library grid as an editor sees it after real work: a batch of uploads folds away and the
// grid under it still shows every row on screen.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { requireCommands, startSession, waitUntil } from './harness.mjs';

let session;
before(async () => {
  requireCommands('ffmpeg', 'ffprobe');
  session = await startSession();
});
after(async () => {
  await session?.close();
});

/** How far down the drawn cards reach, and where the scrolling pane's visible part ends. */
const drawnReach = (page) =>
  page.evaluate(() => {
    const pane = document.querySelector('.library-pane').getBoundingClientRect();
    const bottoms = [...document.querySelectorAll('[data-testid="asset-card"]')].map((card) => card.getBoundingClientRect().bottom);
    return { cardsReach: Math.max(0, ...bottoms), paneBottom: pane.bottom, cards: bottoms.length };
  });

test('when a finished upload list folds away, the grid fills the window again', async (t) => {
  const { page, server } = session;
  await session.check(t, async () => {
    // Rows to fill several screens: inputs that do not exist fail at once, yet are real rows.
    for (let i = 0; i < 40; i++) await server.api('POST', '/video/v1/assets', { input: join(server.dir, `missing ${i}.mp4`) });
    await page.reload();
    await page.getByText('40 videos').waitFor();

    // A batch of 40 uploads makes a list twice the window's height above the grid; each finished
    // upload leaves it a few seconds later, and the grid moves up without any scrolling.
    const files = Array.from({ length: 40 }, (_, i) => ({ name: `take ${i}.mp4`, mimeType: 'video/mp4', buffer: Buffer.alloc(2048, i) }));
    await page.getByLabel('Video files to upload').setInputFiles(files);
    await page.getByTestId('upload').first().waitFor();
    await page.getByText('80 videos').waitFor({ timeout: 60_000 });
    await waitUntil('the finished uploads to leave the list', async () => (await page.getByTestId('upload').count()) === 0, { timeoutMs: 30_000 });

    // The grid (80 cards, several screens tall) is drawn down to the bottom of the window.
    const reach = await waitUntil('the rows on screen to be drawn', async () => {
      const r = await drawnReach(page);
      return r.cardsReach >= r.paneBottom && r;
    }, { timeoutMs: 5_000 }).catch(async (err) => {
      throw new Error(`${err.message}: ${JSON.stringify(await drawnReach(page))}`);
    });
    t.diagnostic(`${reach.cards} cards drawn, reaching ${reach.cardsReach} px of a pane ending at ${reach.paneBottom} px`);
  });
});
