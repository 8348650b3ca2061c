// Share links in the window against a real `serve`: create a link in the Share dialog, fetch its
// file URL and check the bytes are the master's, then find it (with its download) on the Shared page.
// Screenshots of the dialog and the page at 400 px and 1280 px go to e2e/out/ to be looked at.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { makeClip, OUT_DIR, useSession, waitUntil } from './harness.mjs';

const shared = useSession({ requires: ['ffmpeg'] });
before(() => mkdir(OUT_DIR, { recursive: true }));

async function shoot(page, name, width) {
  await page.setViewportSize({ width, height: width < 600 ? 860 : 800 });
  await page.screenshot({ path: join(OUT_DIR, `share-${name}-${width}.png`) });
}

test('share a video from its panel, download the file the link offers, see it on the Shared page', async (t) => {
  const { page, server } = shared.session;
  await shared.session.check(t, async () => {
    const clip = await makeClip(join(server.dir, 'reel-one.mp4'), { width: 640, height: 360, seconds: 2 });
    const { data: created } = await server.api('POST', '/video/v1/assets', { input: clip, meta: { title: 'Reel One' } });
    const asset = await waitUntil(
      'the asset to be ready',
      async () => {
        const { data } = await server.api('GET', `/video/v1/assets/${created.id}`);
        assert.notEqual(data.status, 'errored');
        return data.status === 'ready' && data;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );

    await page.goto(`${server.url}/#/assets/${encodeURIComponent(asset.id)}`);
    const detail = page.getByRole('complementary', { name: 'Video details' });
    await detail.getByRole('button', { name: 'Share…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Share “Reel One”' });
    await dialog.getByLabel('Who is it for?').fill('for the colourist');
    await dialog.getByLabel('Download limit').fill('3');
    await shoot(page, 'dialog', 1280);
    await shoot(page, 'dialog', 400);
    await page.setViewportSize({ width: 1280, height: 800 });
    await dialog.getByRole('button', { name: 'Create link' }).click();

    const ready = page.getByRole('dialog', { name: 'Link ready' });
    const url = await ready.getByRole('textbox', { name: 'Share link' }).inputValue();
    assert.ok(url.startsWith(`${server.shareUrl.replace(/\/$/, '')}/s/`), `the link ${url} is on the share address ${server.shareUrl}`);
    await ready.getByText(/3 downloads at most/).waitFor();
    await shoot(page, 'created', 1280);
    await shoot(page, 'created', 400);
    await page.setViewportSize({ width: 1280, height: 800 });

    // The landing page answers, and the file URL the API lists serves the master's exact bytes.
    const landing = await fetch(url, { signal: AbortSignal.timeout(15_000) });
    assert.equal(landing.status, 200);
    assert.match(await landing.text(), /Reel One/);
    const { data: links } = await server.api('GET', `/reelvault/v1/share-links?asset_id=${encodeURIComponent(asset.id)}`);
    assert.equal(links.length, 1);
    assert.equal(links[0].url, url);
    assert.equal(links[0].label, 'for the colourist');
    const file = links[0].files.find((f) => f.kind === 'master');
    const res = await fetch(file.url, { signal: AbortSignal.timeout(30_000) });
    assert.equal(res.status, 200);
    const bytes = Buffer.from(await res.arrayBuffer());
    assert.equal(bytes.length, asset.master_size);
    assert.equal(createHash('sha256').update(bytes).digest('hex'), asset.master_sha256);

    await ready.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    const row = detail.getByRole('listitem', { name: 'for the colourist' });
    await row.getByText('Active').waitFor();

    // The Shared page counts the download once the log has it, and shows the log.
    await waitUntil('the download to be logged', async () => (await server.api('GET', `/reelvault/v1/share-links/${links[0].id}`)).data.downloads === 1);
    await page.getByRole('link', { name: 'Shared' }).click();
    const shared = page.getByRole('list', { name: 'Share links' }).getByRole('listitem', { name: 'for the colourist' });
    await shared.getByText(/1 download of 3/).waitFor();
    await shared.getByRole('button', { name: 'Downloads' }).click();
    const log = shared.getByRole('table');
    await log.getByText('Complete').waitFor();
    assert.match(await log.innerText(), /127\.0\.0\.1/);
    await shoot(page, 'shared-page', 1280);
    await shoot(page, 'shared-page', 400);
    await page.setViewportSize({ width: 1280, height: 800 });

    // Edit in place: a new label and no limit, saved with PATCH; the row shows them.
    await shared.getByRole('button', { name: 'Edit…' }).click();
    const edit = shared.getByRole('form', { name: 'Edit the link' });
    await edit.getByLabel('Label').fill('for the grader');
    await edit.getByLabel('Download limit').fill('');
    await shoot(page, 'edit-link', 1280);
    await shoot(page, 'edit-link', 400);
    await page.setViewportSize({ width: 1280, height: 800 });
    await edit.getByRole('button', { name: 'Save' }).click();
    const renamed = page.getByRole('list', { name: 'Share links' }).getByRole('listitem', { name: 'for the grader' });
    await renamed.getByText(/^1 download · /).waitFor();
    const { data: edited } = await server.api('GET', `/reelvault/v1/share-links/${links[0].id}`);
    assert.equal(edited.label, 'for the grader');
    assert.equal(edited.max_downloads, null);

    // Revoke from the page: the link answers 410 and leaves the list of live links.
    await renamed.getByRole('button', { name: 'Revoke…' }).click();
    await renamed.getByRole('button', { name: 'Revoke', exact: true }).click();
    // The page lists live links: the revoked one leaves it, and can be shown again among the ended ones.
    await renamed.waitFor({ state: 'detached' });
    await page.getByText('No live links right now.', { exact: false }).waitFor();
    await page.getByLabel(/Show 1 ended link/).check();
    await renamed.getByText('Revoked').waitFor();
    assert.equal((await fetch(file.url, { signal: AbortSignal.timeout(15_000) })).status, 410);
  });
});

test('the Settings page: links by address or name.local, and notifications (only the window notifies)', async (t) => {
  const { page, server } = shared.session;
  await shared.session.check(t, async () => {
    await page.goto(`${server.url}/#/settings`);
    await page.getByRole('heading', { name: 'Notifications' }).waitFor();
    await page.getByText(/Only the Reelvault window shows desktop notifications/).waitFor();
    const settings = (await server.api('GET', '/ui/v1/settings')).data;
    if (settings.share_name) {
      await page.getByRole('radio', { name: new RegExp(`Its name, ${settings.share_name.replace('.', '\\.')}`) }).waitFor();
    }
    await page.getByRole('heading', { name: 'Download links' }).scrollIntoViewIfNeeded();
    await shoot(page, 'settings-links', 1280);
    await shoot(page, 'settings-links', 400);
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});
