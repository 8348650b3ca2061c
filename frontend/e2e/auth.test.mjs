// The browser login: a one-time code typed into the page (never in its address), a session
// cookie the page cannot read, and no request honoured from a page on another origin.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, test } from 'node:test';
import { openBrowser, openLoginScreen, useSession, waitUntil } from './harness.mjs';

// Verbose: the server logs each request, so the test sees what it answered to the other page.
const shared = useSession({ login: false, verbose: true });

test('a wrong code is refused in words; the right one opens the library without touching the URL', async (t) => {
  const { page, server } = shared.session;
  await shared.session.check(t, async () => {
    const codeField = await openLoginScreen(page, server);
    await codeField.fill('WRNG-C0DE');
    await page.getByRole('button', { name: 'Open Reelvault' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /That code did not work: each code works once, for 10 minutes/);
    assert.equal(await page.getByRole('heading', { name: 'Library' }).count(), 0, 'still on the login screen');

    const code = server.loginCode();
    await codeField.fill(code);
    await page.getByRole('button', { name: 'Open Reelvault' }).click();
    await page.getByRole('heading', { name: 'Library' }).waitFor();
    assert.ok(!page.url().includes(code), `the code is not in the page address: ${page.url()}`);
    assert.ok(!page.url().includes(server.token.secret), 'nor is the API secret');
    assert.ok(!(await page.content()).includes(server.token.secret), 'the API secret is nowhere in the page');

    const cookies = await shared.session.context.cookies(server.url);
    const sessionCookie = cookies.find((c) => c.name === 'reelvault_session');
    assert.ok(sessionCookie, `a session cookie was set: ${cookies.map((c) => c.name).join(', ')}`);
    assert.equal(sessionCookie.httpOnly, true, 'page scripts cannot read the session');
    assert.equal(sessionCookie.sameSite, 'Strict');
    assert.equal(await page.evaluate(() => document.cookie), '', 'no cookie visible to scripts');

    // A reload keeps the session; the used code does not log in a second browser.
    await page.reload();
    await page.getByRole('heading', { name: 'Library' }).waitFor();
    const other = await openBrowser();
    try {
      await (await openLoginScreen(other.page, server)).fill(code);
      await other.page.getByRole('button', { name: 'Open Reelvault' }).click();
      await other.page.getByRole('alert').waitFor();
      assert.match(await other.page.getByRole('alert').innerText(), /That code did not work/);
    } finally {
      await other.browser.close();
    }
  });
});

test('a page on another origin cannot use the API, even with the session cookie', async (t) => {
  const { page, server } = shared.session;
  const evil = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><title>Another site</title><p>Another site on this machine</p>');
  });
  await new Promise((resolve) => evil.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => evil.close(resolve)));
  const evilUrl = `http://127.0.0.1:${evil.address().port}/`;

  await shared.session.check(t, async () => {
    // Same host, other port: the same "site", so the SameSite cookie is sent; only the Origin
    // check stands between this page and the archive.
    await page.goto(evilUrl);
    const before = server.requests.length;
    const outcome = await page.evaluate(async (api) => {
      const result = {};
      try {
        const res = await fetch(`${api}/video/v1/assets`, { credentials: 'include' });
        result.read = `read HTTP ${res.status}: ${await res.text()}`;
      } catch (err) {
        result.read = `blocked: ${err.message}`;
      }
      try {
        // A "simple" request: no preflight, so it reaches the server with the cookie.
        await fetch(`${api}/system/v1/webhooks`, {
          method: 'POST',
          mode: 'no-cors',
          credentials: 'include',
          headers: { 'Content-Type': 'text/plain' },
          body: JSON.stringify({ address: 'http://127.0.0.1:9/steal' }),
        });
        result.write = 'sent';
      } catch (err) {
        result.write = `blocked: ${err.message}`;
      }
      return result;
    }, server.url);

    assert.match(outcome.read, /^blocked/, `the page could not read the archive: ${outcome.read}`);
    assert.equal(outcome.write, 'sent', 'the browser did send the cross-origin POST');
    const answered = await waitUntil('the server to log both requests', () => {
      // The library page's live stream, ended by leaving the page, is logged when it closes.
      const seen = server.requests
        .slice(before)
        .filter((r) => r.path !== '/ui/v1/stream')
        .map((r) => `${r.method} ${r.path} ${r.status}`);
      return seen.length >= 2 && seen.sort();
    });
    assert.deepEqual(answered, ['GET /video/v1/assets 403', 'POST /system/v1/webhooks 403'], 'the server refused both');
    const { data: hooks } = await server.api('GET', '/system/v1/webhooks');
    assert.deepEqual(hooks, [], 'the cross-origin POST created nothing');

    // The same browser, back on Reelvault's own origin, still works.
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Library' }).waitFor();
  });
});
