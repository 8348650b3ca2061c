// The Webhooks page against a real receiver that checks Mux-Signature with its own code.
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import { startSession, waitUntil } from './harness.mjs';

/**
 * A webhook receiver as a Mux customer would write it: it answers 200 only to a body signed
 * with the secret it was given (`t=SECONDS,v1=HEX`, HMAC-SHA256 of "SECONDS.body"), 400 otherwise.
 */
async function startReceiver() {
  const received = [];
  const receiver = {
    secret: '',
    received,
    url: '',
    close: () => new Promise((resolve) => server.close(resolve)),
  };
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const signature = req.headers['mux-signature'] ?? '';
      const valid = verifyMuxSignature(signature, body, receiver.secret);
      received.push({ method: req.method, path: req.url, headers: req.headers, body, valid });
      res.writeHead(valid ? 200 : 400, { 'Content-Type': 'text/plain' });
      res.end(valid ? 'thanks' : 'bad signature');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${server.address().port}/hooks/reelvault`;
  return receiver;
}

function verifyMuxSignature(header, body, secret, toleranceSeconds = 300) {
  const parts = Object.fromEntries(
    String(header)
      .split(',')
      .map((kv) => kv.split('=', 2)),
  );
  if (!secret || !/^\d+$/.test(parts.t ?? '') || !/^[0-9a-f]{64}$/.test(parts.v1 ?? '')) return false;
  if (Math.abs(Date.now() / 1000 - Number(parts.t)) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${parts.t}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(parts.v1, 'hex'));
}

let session;
let receiver;
before(async () => {
  receiver = await startReceiver();
  session = await startSession();
  // Chromium only lets a page read the clipboard with this permission.
  await session.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: session.server.url });
});
after(async () => {
  await session?.close();
  await receiver?.close();
});

test('the receiver refuses what is not signed with its secret', () => {
  const body = '{"type":"webhook.test"}';
  const t = Math.floor(Date.now() / 1000);
  const sign = (secret) => `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
  assert.equal(verifyMuxSignature(sign('right'), body, 'right'), true);
  assert.equal(verifyMuxSignature(sign('wrong'), body, 'right'), false);
  assert.equal(verifyMuxSignature(sign('right'), `${body} `, 'right'), false);
  assert.equal(verifyMuxSignature('', body, 'right'), false);
});

test('add an endpoint, copy its secret once, send a test event, see it delivered', async (t) => {
  const { page, server } = session;
  await session.check(t, async () => {
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { name: 'No webhooks yet' }).waitFor();

    await page.getByRole('textbox', { name: 'Endpoint URL' }).fill(receiver.url);
    await page.getByRole('button', { name: 'Add endpoint' }).click();

    const card = page.getByRole('listitem', { name: receiver.url });
    const secretField = card.getByRole('textbox', { name: 'Signing secret' });
    await secretField.waitFor();
    await card.getByText('you will not see this again').waitFor();
    await card.getByRole('button', { name: 'Copy' }).click();
    await card.getByRole('button', { name: 'Copied' }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied, await secretField.inputValue(), 'the clipboard holds the secret shown');
    assert.ok(copied.length >= 32, `a long random secret: ${copied.length} characters`);
    receiver.secret = copied;

    // Once closed, the secret is gone for good: not after a reload, not from the API.
    await card.getByRole('button', { name: 'I have saved it' }).click();
    await secretField.waitFor({ state: 'detached' });
    await page.reload();
    await card.waitFor();
    assert.ok(!(await page.content()).includes(copied), 'the secret is not on the page after a reload');
    const { data: hooks } = await server.api('GET', '/system/v1/webhooks');
    assert.equal(hooks.length, 1);
    assert.equal(hooks[0].address, receiver.url);
    assert.equal(hooks[0].signing_secret, undefined, 'the list never returns the secret');

    await card.getByRole('button', { name: 'Send test event' }).click();
    const got = await waitUntil('the receiver to get the test event', () => receiver.received[0], { timeoutMs: 15_000 });
    assert.equal(got.method, 'POST');
    assert.equal(got.path, '/hooks/reelvault');
    assert.match(String(got.headers['content-type']), /^application\/json/);
    assert.equal(got.valid, true, `Mux-Signature ${got.headers['mux-signature']} verifies with the copied secret`);
    const event = JSON.parse(got.body);
    assert.equal(event.type, 'webhook.test');
    assert.deepEqual(event.object, { type: 'webhook', id: hooks[0].id });
    assert.match(event.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.match(event.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    assert.equal(receiver.received.length, 1, 'one event, sent once');

    // The page's log polls every 2 s: the delivery shows up as delivered, with its 200.
    const row = card.getByTestId('delivery').filter({ hasText: 'webhook.test' });
    await row.getByText('Delivered', { exact: true }).waitFor({ timeout: 10_000 });
    assert.match(await row.innerText(), /1 attempt · HTTP 200/);
    await row.getByRole('button', { name: 'webhook.test' }).click();
    await row.getByTestId('attempt').getByText('HTTP 200').waitFor();
  });
});
