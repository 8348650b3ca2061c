// The browser login as `serve` gives it: the printed address carries a one-time code that logs
// a browser in and leaves the address bar; opened again it says why it no longer works;
// `reelvault login-code` prints a new address; sessions outlive a restart of `serve`; Sign out
// ends the session on the server, not only in this browser.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { run, screenshots, useSession, waitUntil } from './harness.mjs';

const shared = useSession({ login: false });

const library = (page) => page.getByRole('heading', { name: 'Library' });

/** A browser with its own cookies, as a second person (or a private window) would have. */
async function freshPage() {
  const context = await shared.session.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { context, page };
}

/** Whether the API takes this session cookie, asked from node as any HTTP client would. */
async function infoWith(cookie) {
  const res = await fetch(`${shared.session.server.url}/ui/v1/info`, {
    headers: { Cookie: `${cookie.name}=${cookie.value}` },
    signal: AbortSignal.timeout(10_000),
  });
  await res.body?.cancel();
  return res.status;
}

test('the printed URL logs in once; login-code gives a new one; sessions survive a restart; Sign out ends them', async (t) => {
  const { page, server, context } = shared.session;
  await shared.session.check(t, async () => {
    // The address `serve` printed, as the user clicks it in the terminal.
    const printed = server.loginUrl;
    assert.match(printed, /^http:\/\/127\.0\.0\.1:\d+\/\?code=[A-Z0-9]{4}-[A-Z0-9]{4}$/, `serve printed a login URL: ${printed}`);
    await page.goto(printed);
    await library(page).waitFor();
    assert.ok(!page.url().includes('code='), `the code left the address bar: ${page.url()}`);
    const [cookie] = (await context.cookies(server.url)).filter((c) => c.name === 'reelvault_session');
    assert.ok(cookie, 'a session cookie was set');
    assert.equal(await infoWith(cookie), 200, 'the session works against the API');

    // The same address in another browser: one-time, and it says so in words.
    const other = await freshPage();
    t.after(() => other.context.close());
    await other.page.goto(printed);
    const alert = other.page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /login link has been used already or has expired/);
    assert.match(await alert.innerText(), /reelvault login-code/, 'and how to get a new one');
    assert.equal(await library(other.page).count(), 0, 'not logged in');
    assert.ok(!other.page.url().includes('code='), 'the used code left the address bar too');
    await screenshots(other.page, 'login-used-link', alert);

    // `reelvault login-code` on the data folder prints a new address that works.
    const out = await run(process.env.REELVAULT_BIN, ['login-code', '--data', server.dataDir], { timeoutMs: 20_000 });
    const fresh = /Open: (\S+)/.exec(out)?.[1];
    assert.ok(fresh, `login-code printed an address: ${out}`);
    assert.ok(fresh.startsWith(`${server.url}/?code=`), `on this server: ${fresh}`);
    assert.notEqual(fresh, printed);
    await other.page.goto(fresh);
    await library(other.page).waitFor();

    // A restart of serve (same data folder, new ports on the same host) keeps both sessions.
    await server.restart();
    assert.equal(await infoWith(cookie), 200, 'the first session works after the restart');
    await page.goto(server.url);
    await library(page).waitFor();

    // Sign out: back to the login screen, and the cookie is dead on the server.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Access code').waitFor();
    await waitUntil('the signed-out session to be refused', async () => (await infoWith(cookie)) === 401);
    await page.reload();
    await page.getByLabel('Access code').waitFor();
    assert.equal(await library(page).count(), 0, 'a reload does not log back in');
    // Only that session ended: the other browser is still in.
    await other.page.goto(server.url);
    await library(other.page).waitFor();
  });
});
