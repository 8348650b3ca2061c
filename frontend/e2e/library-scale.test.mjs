// The library at scale: 50 videos selected and deleted behind one confirmation, and sorted by
// name on the server. The inputs are paths that do not exist, so each asset fails at once
// (no ffmpeg work) and is still a real row to sort, select and delete.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeClip, OUT_DIR, useSession, waitUntil } from './harness.mjs';

const shared = useSession();

const titles = (page) => page.getByTestId('asset-card').locator('.card-title').allInnerTexts();

test('sort by name, select 50 with Shift-click, delete them with one confirmation', async (t) => {
  const { page, server } = shared.session;
  await shared.session.check(t, async () => {
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
    assert.ok((await cards.count()) < 52, 'the grid renders only the rows on screen');
    await cards.nth(0).click({ modifiers: ['Control'] });
    // The 50th card is not in the page until it scrolls into view (the grid is virtualised).
    await page.locator('.library-pane').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await page.getByText('Batch 49', { exact: true }).click({ modifiers: ['Shift'] });
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

const focusedTitle = (page) =>
  page.evaluate(() => document.activeElement?.closest('[data-testid="asset-card"]')?.querySelector('.card-title')?.textContent ?? null);

test('keyboard: arrows move by column and row, Enter opens, Escape returns focus, Space plays, Ctrl+C copies, Delete asks', async (t) => {
  const { page, server, context } = shared.session;
  await shared.session.check(t, async () => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    const clip = await makeClip(join(server.dir, 'real.mp4'), { width: 320, height: 180, seconds: 2 });
    const { data: real } = await server.api('POST', '/video/v1/assets', { input: clip, meta: { title: 'Real clip' } });
    for (const name of ['Key 0', 'Key 1', 'Key 2', 'Key 3', 'Key 4', 'Key 5', 'Key 6', 'Key 7']) {
      await server.api('POST', '/video/v1/assets', { input: join(server.dir, `${name}.mp4`), meta: { title: name } });
    }
    await waitUntil('the real clip ready', async () => (await server.api('GET', `/video/v1/assets/${real.id}`)).data.status === 'ready', {
      timeoutMs: 60_000,
    });
    await page.setViewportSize({ width: 1280, height: 800 });
    const { total } = await server.api('GET', '/video/v1/assets?limit=1');
    await page.reload();
    await page.getByText(`${total} videos`).waitFor();
    await page.getByTestId('library-sort').selectOption('name:asc');
    await waitUntil('sorted by name', async () => (await titles(page))[0] === (total === 11 ? 'Batch 50' : 'Key 0'));
    const cols = Number(await page.locator('.asset-grid').getAttribute('data-cols'));
    assert.ok(cols >= 3, `several columns at 1280 px (${cols})`);
    const names = await titles(page);

    await page.getByTestId('asset-card').first().focus();
    const focusMoves = async (key, index, what) => {
      await page.keyboard.press(key);
      await waitUntil(`${key} ${what}`, async () => (await focusedTitle(page)) === names[index]);
    };
    await focusMoves('ArrowRight', 1, 'moves one card');
    await focusMoves('ArrowDown', 1 + cols, 'moves one row');
    await focusMoves('ArrowLeft', cols, 'moves back one card');
    await focusMoves('ArrowUp', 0, 'moves up one row');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');

    // Enter opens the panel; the card stays in view beside it; Escape closes it and focus returns.
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: names[2] }).waitFor();
    const card = page.getByTestId('asset-card').filter({ hasText: names[2] });
    assert.ok(await card.isVisible(), 'the open video stays in view');
    await page.screenshot({ path: join(OUT_DIR, 'library-1280-panel.png') });
    await page.keyboard.press('Escape');
    await waitUntil('focus back on the card', async () => (await focusedTitle(page)) === names[2]);

    // Ctrl+C copies the focused video's link.
    await page.keyboard.press('Control+c');
    await waitUntil('the link copied', async () =>
      (await page.evaluate(() => navigator.clipboard.readText())).includes(`#/assets/`),
    );

    // Space on the ready clip opens it and plays.
    const realIndex = names.indexOf('Real clip');
    await page.getByTestId('asset-card').nth(realIndex).focus();
    await page.keyboard.press(' ');
    await page.getByRole('heading', { name: 'Real clip' }).waitFor();
    await waitUntil('the player playing', async () => page.locator('.player video').evaluate((v) => !v.paused && v.currentTime > 0));
    await page.keyboard.press('Escape');
    await page.locator('.player').waitFor({ state: 'detached' });
    await waitUntil('focus back on the played card', async () => (await focusedTitle(page)) === 'Real clip');

    // Delete asks once, in the page; Cancel keeps it, Delete removes it.
    await page.getByTestId('asset-card').filter({ hasText: 'Key 7' }).focus();
    await page.keyboard.press('Delete');
    const dialog = page.getByRole('dialog', { name: 'Delete “Key 7”?' });
    await dialog.waitFor();
    await page.screenshot({ path: join(OUT_DIR, 'library-1280-delete-dialog.png') });
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByText(`${total - 1} videos`).waitFor();
    assert.ok(!(await titles(page)).includes('Key 7'));
  });
});

test('context menu: right-click and Shift+F10 open it; rename and share from it', async (t) => {
  const { page } = shared.session;
  await shared.session.check(t, async () => {
    const card = page.getByTestId('asset-card').filter({ hasText: 'Key 3' });
    await card.click({ button: 'right' });
    const menu = page.getByRole('menu');
    await menu.waitFor();
    const items = await menu.getByRole('menuitem').allInnerTexts();
    assert.deepEqual(items, ['Open', 'Play', 'Share…', 'Copy link', 'Rename…', 'Change master size…', 'Delete…']);
    await page.screenshot({ path: join(OUT_DIR, 'library-1280-menu.png') });
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });

    await card.focus();
    await page.keyboard.press('Shift+F10');
    await menu.waitFor();
    await waitUntil('focus in the menu, on Open', async () => (await page.evaluate(() => document.activeElement?.textContent)) === 'Open');
    // Play and Share are off for a failed video: the arrows skip them.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Rename…');
    await page.keyboard.press('Enter');
    const field = page.getByRole('dialog', { name: 'Rename video' }).getByLabel('Title');
    assert.equal(await field.inputValue(), 'Key 3', 'rename starts from the title');
    await field.fill('Key 3 renamed');
    await page.keyboard.press('Enter');
    await page.getByText('Key 3 renamed').waitFor();
    await waitUntil('focus back on the renamed card', async () => (await focusedTitle(page)) === 'Key 3 renamed');

    // Share from the menu opens the Share dialog for the selection the card belongs to.
    const real = page.getByTestId('asset-card').filter({ hasText: 'Real clip' });
    await real.click({ modifiers: ['Control'] });
    await page.getByTestId('asset-card').filter({ hasText: 'Key 1' }).click({ modifiers: ['Control'] });
    await real.click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Share 2 videos…' }).click();
    await page.getByRole('dialog', { name: 'Share 2 videos' }).waitFor();
    await page.screenshot({ path: join(OUT_DIR, 'library-1280-share-selection.png') });
    await page.keyboard.press('Escape');
    await page.setViewportSize({ width: 400, height: 800 });
    await page.screenshot({ path: join(OUT_DIR, 'library-400-selection.png') });
    await page.getByTestId('asset-card').filter({ hasText: 'Key 1' }).click({ button: 'right' });
    await menu.waitFor();
    await page.screenshot({ path: join(OUT_DIR, 'library-400-menu.png') });
    await page.keyboard.press('Escape');
  });
});

test('list view: columns sort on the server', async (t) => {
  const { page, server } = shared.session;
  await shared.session.check(t, async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole('button', { name: 'Clear selection' }).click();
    await page.getByRole('button', { name: 'List' }).click();
    await page.getByRole('button', { name: /^Sort by name/ }).click();
    await waitUntil('Z–A after a second click', async () => {
      const shown = await titles(page);
      return shown[0] === 'Real clip';
    }, { timeoutMs: 5_000 }).catch(async () => {
      // The first click on the active column flips it.
    });
    const sortedDesc = await titles(page);
    assert.deepEqual(sortedDesc, [...sortedDesc].sort((a, b) => b.localeCompare(a, 'en', { sensitivity: 'base' })));
    await page.screenshot({ path: join(OUT_DIR, 'library-1280-list-columns.png') });
    await page.getByRole('button', { name: /^Sort by size/ }).click();
    await waitUntil('sorted by size, largest first', async () => (await titles(page))[0] === 'Real clip');
    // Recorded (the container's capture date): none of these files says, so the server's order holds and nothing fails.
    await page.getByRole('button', { name: /^Sort by recorded/ }).click();
    await waitUntil('sorted by capture date', async () => (await page.getByTestId('library-sort').inputValue()) === 'captured:desc');
    assert.equal(await page.locator('.banner-error').count(), 0);
    assert.equal((await titles(page)).length, (await server.api('GET', '/video/v1/assets?limit=1')).total, 'every video still listed');
    await page.setViewportSize({ width: 400, height: 800 });
    await page.screenshot({ path: join(OUT_DIR, 'library-400-list-columns.png') });
    await page.getByRole('button', { name: 'Grid' }).click();
  });
});
