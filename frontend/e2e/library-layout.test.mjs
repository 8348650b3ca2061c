// The library grid as an editor sees it after real work: a batch of uploads folds away and the
// grid under it still shows every row on screen; at the smallest thumbnail size every card keeps
// its name, size and badges inside it.
import assert from 'node:assert/strict';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeClip, OUT_DIR, useSession, waitUntil } from './harness.mjs';

const shared = useSession({ requires: ['ffmpeg', 'ffprobe'] });

/** How far down the drawn cards reach, and where the scrolling pane's visible part ends. */
const drawnReach = (page) =>
  page.evaluate(() => {
    const pane = document.querySelector('.library-pane').getBoundingClientRect();
    const bottoms = [...document.querySelectorAll('[data-testid="asset-card"]')].map((card) => card.getBoundingClientRect().bottom);
    return { cardsReach: Math.max(0, ...bottoms), paneBottom: pane.bottom, cards: bottoms.length };
  });

test('when a finished upload list folds away, the grid fills the window again', async (t) => {
  const { page, server } = shared.session;
  await shared.session.check(t, async () => {
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

test('the search field shows its whole hint at 1280 px, with and without the panel open', async (t) => {
  const { page } = shared.session;
  await shared.session.check(t, async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    const search = page.getByRole('searchbox', { name: 'Search titles' });
    const fits = () =>
      search.evaluate((input) => {
        const style = getComputedStyle(input);
        const context = document.createElement('canvas').getContext('2d');
        context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
        const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        return { hint: input.placeholder, needs: Math.ceil(context.measureText(input.placeholder).width), room };
      });
    const wide = await fits();
    assert.ok(wide.needs <= wide.room, `“${wide.hint}” needs ${wide.needs} px, the field has ${wide.room}`);
    await page.getByTestId('asset-card').first().click();
    await page.getByRole('complementary', { name: 'Video details' }).waitFor();
    const narrow = await fits();
    assert.ok(narrow.needs <= narrow.room, `beside the panel “${narrow.hint}” needs ${narrow.needs} px, the field has ${narrow.room}`);
    await page.keyboard.press('Escape');
    await page.getByRole('complementary', { name: 'Video details' }).waitFor({ state: 'detached' });
  });
});

test('the list beside the asset panel keeps a readable name and its status in view', async (t) => {
  const { page } = shared.session;
  await shared.session.check(t, async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole('button', { name: 'List' }).click();
    await page.locator('ul.asset-grid.is-list').waitFor();
    await page.getByTestId('asset-card').nth(1).click();
    await page.getByRole('complementary', { name: 'Video details' }).waitFor();
    await mkdir(OUT_DIR, { recursive: true });
    await page.screenshot({ path: join(OUT_DIR, 'library-list-beside-panel.png') });
    const layout = await page.evaluate(() => {
      const list = document.querySelector('ul.asset-grid').getBoundingClientRect();
      const visible = (el) => el && getComputedStyle(el).display !== 'none';
      const head = [...document.querySelector('.list-head').children].filter(visible).map((el) => el.getBoundingClientRect());
      const rows = [...document.querySelectorAll('.asset-row')].map((row) => ({
        name: row.querySelector('.col-name').getBoundingClientRect().width,
        statusRight: row.querySelector('.col-status').getBoundingClientRect().right,
      }));
      const overlaps = head.filter((r, i) => i > 0 && r.width > 0 && r.left < head[i - 1].right - 0.5).length;
      return { listRight: list.right, rows, overlaps };
    });
    assert.equal(layout.overlaps, 0, 'column headings overlap');
    assert.ok(layout.rows.length > 0);
    for (const row of layout.rows) {
      assert.ok(row.name >= 120, `a name column ${row.name} px wide`);
      assert.ok(row.statusRight <= layout.listRight + 0.5, `the status runs past the list (${row.statusRight} > ${layout.listRight})`);
    }
    await page.keyboard.press('Escape');
    await page.getByRole('complementary', { name: 'Video details' }).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Grid' }).click();
    await page.locator('ul.asset-grid:not(.is-list)').waitFor();
  });
});

test('a card far down the grid keeps the focus when its panel closes', async (t) => {
  const { page } = shared.session;
  await shared.session.check(t, async () => {
    // The first test's 80 videos: scroll to the sixth row and open its last card.
    const pane = page.locator('.library-pane');
    await pane.evaluate((el) => (el.scrollTop = 1300));
    const cols = Number(await page.locator('ul.asset-grid').getAttribute('data-cols'));
    const index = cols * 6 - 1;
    const id = await page.locator(`li[data-index="${index}"]`).getAttribute('data-id');
    const card = page.locator(`li[data-id="${id}"] [data-testid="asset-card"]`);
    const title = await card.locator('.card-title').innerText();
    await card.click();
    await page.getByRole('complementary', { name: 'Video details' }).waitFor();
    await waitUntil('the grid narrowed beside the panel', async () => Number(await page.locator('ul.asset-grid').getAttribute('data-cols')) < cols);
    assert.ok(await card.isVisible(), 'the open video stays in view');

    await page.keyboard.press('Escape');
    await page.getByRole('complementary', { name: 'Video details' }).waitFor({ state: 'detached' });
    const focused = () =>
      page.evaluate(() => document.activeElement?.closest('[data-testid="asset-card"]')?.querySelector('.card-title')?.textContent ?? null);
    await waitUntil(`focus back on “${title}”`, async () => (await focused()) === title).catch(async (err) => {
      const active = await page.evaluate(() => `${document.activeElement?.tagName}.${document.activeElement?.className}`);
      throw new Error(`${err.message} (the focus is on ${active})`);
    });
    // …and it stays there once the grid has its columns back.
    await waitUntil('the wide grid again', async () => Number(await page.locator('ul.asset-grid').getAttribute('data-cols')) === cols);
    assert.equal(await focused(), title);
    assert.ok(await card.isVisible(), 'the card is on screen');
  });
});

test('at the smallest thumbnail size each card keeps its name, size and badges inside it', async (t) => {
  const { page, server } = shared.session;
  await shared.session.check(t, async () => {
    // A library of these clips only (the first test's rows go).
    for (const a of (await server.api('GET', '/video/v1/assets?limit=100')).data) await server.api('DELETE', `/video/v1/assets/${a.id}`);
    // A size without a name (1000×562) and a megabyte or more: the longest picture and file sizes a card shows.
    const clip = await makeClip(join(server.dir, 'clip.mp4'), { width: 1000, height: 562, seconds: 2 });
    for (let i = 1; i <= 8; i++) {
      const path = join(server.dir, `street interview ${i}.mp4`);
      await copyFile(clip, path);
      await server.api('POST', '/video/v1/assets', { input: path });
    }
    await page.reload();
    // Two sent from the browser too: their "Upload" badge is the longest beside "Ready".
    const bytes = await readFile(clip);
    await page.getByLabel('Video files to upload').setInputFiles([9, 10].map((i) => ({ name: `street interview ${i}.mp4`, mimeType: 'video/mp4', buffer: bytes })));
    const ready = page.getByTestId('asset-card').filter({ hasText: 'Ready' });
    await waitUntil('ten ready cards', async () => (await ready.count()) === 10, { timeoutMs: 60_000 });

    await page.getByLabel('Thumbnail size').fill('150');
    await waitUntil('the smallest cards', async () => Number(await page.locator('ul.asset-grid').getAttribute('data-cols')) >= 5);
    await mkdir(OUT_DIR, { recursive: true });
    await page.screenshot({ path: join(OUT_DIR, 'library-smallest-cards.png') });

    const boxes = await page.getByTestId('asset-card').evaluateAll((cards) =>
      cards.map((card) => {
        const body = card.querySelector('.card-body');
        const title = card.querySelector('.card-title');
        const meta = card.querySelector('.card-meta');
        const foot = card.querySelector('.card-foot');
        return {
          name: title.textContent,
          titleCut: title.scrollHeight - title.clientHeight,
          metaCut: meta.scrollHeight - meta.clientHeight,
          footCut: foot.scrollHeight - foot.clientHeight,
          footCutX: foot.scrollWidth - foot.clientWidth,
          bodyOverflow: body.scrollHeight - body.clientHeight,
          metaLines: Math.round(meta.getBoundingClientRect().height / parseFloat(getComputedStyle(meta).fontSize)),
          footInside: foot.getBoundingClientRect().bottom <= body.getBoundingClientRect().bottom + 0.5,
        };
      }),
    );
    for (const box of boxes) {
      assert.ok(box.titleCut <= 0, `${box.name}: its name is squeezed, ${box.titleCut} px of it cut off`);
      assert.ok(box.bodyOverflow <= 0, `${box.name}: the card's text runs ${box.bodyOverflow} px past its box`);
      assert.ok(box.metaLines <= 1, `${box.name}: the picture size and file size wrap onto ${box.metaLines} lines`);
      assert.ok(box.footInside, `${box.name}: the badges fall outside the card`);
      assert.ok(box.metaCut <= 0, `${box.name}: the sizes are squeezed, ${box.metaCut} px cut off`);
      assert.ok(box.footCut <= 0, `${box.name}: the badges wrap, ${box.footCut} px of them cut off`);
      assert.ok(box.footCutX <= 0, `${box.name}: the badges run ${box.footCutX} px past the card's edge`);
    }
  });
});
