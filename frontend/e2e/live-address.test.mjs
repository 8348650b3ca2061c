// A camera on the LAN: the Live page moves the RTMP listener from this computer only to the
// local network, shows the address a camera types in, and an encoder can publish to it.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { requireCommands, run, startSession, waitUntil } from './harness.mjs';

const RTMP_PORT = 1935; // the default, which a setting (not the command line) may move

const portFree = (port) =>
  new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });

let session;
before(async () => {
  requireCommands('ffmpeg');
  // Other servers on a shared machine may hold the default RTMP port for a while.
  await waitUntil(`port ${RTMP_PORT} to be free`, () => portFree(RTMP_PORT), { timeoutMs: 120_000, intervalMs: 1000 });
  session = await startSession({ rtmpFromSettings: true });
});
after(async () => {
  await session?.close();
});

const shot = (name) => join(process.cwd(), 'e2e', 'out', name);

test('the Live page puts the RTMP server on the network and shows the address for cameras', async (t) => {
  const { page, server } = session;
  await session.check(t, async () => {
    const { data: stream } = await server.api('POST', '/video/v1/live-streams', {
      playback_policy: ['public'],
      new_asset_settings: { playback_policy: ['public'] },
    });
    await page.goto(`${server.url}#/live`);
    const setting = page.getByRole('form', { name: 'Cameras and encoders connect on' });
    await setting.getByText('This computer only · in use').waitFor();
    const serverField = setting.getByRole('textbox', { name: 'Server (this computer)' });
    assert.equal(await serverField.inputValue(), `rtmp://127.0.0.1:${RTMP_PORT}/app`);
    await page.screenshot({ path: shot('live-rtmp-loopback-1280.png') });

    // A LAN address when this machine has one, else every network (always offered).
    const options = await setting.getByRole('radio').evaluateAll((els) => els.map((e) => e.value));
    const lan = options.find((h) => h !== '127.0.0.1' && h !== '0.0.0.0') ?? '0.0.0.0';
    t.diagnostic(`offered: ${options.join(', ')}; choosing ${lan}`);
    await setting.locator(`input[value="${lan}"]`).check();
    await setting.getByRole('button', { name: 'Apply' }).click();
    const camField = setting.getByRole('textbox', { name: 'Server for cameras on the network' });
    await camField.waitFor();
    const camURL = await camField.inputValue();
    assert.match(camURL, new RegExp(`^rtmp://[^/]+:${RTMP_PORT}/app$`));
    assert.ok(!camURL.includes('127.0.0.1'), `the camera address ${camURL} is reachable from the network`);
    if (lan !== '0.0.0.0') assert.equal(camURL, `rtmp://${lan}:${RTMP_PORT}/app`);
    const settings = (await server.api('GET', '/ui/v1/settings')).data;
    assert.equal(settings.rtmp_url, camURL, 'the API gives the same address');
    // The stream's card shows the address cameras use now.
    const card = page.getByRole('listitem').filter({ hasText: 'Stream key' }).first();
    await waitUntil('the card to show the new server', async () =>
      (await card.locator('input').evaluateAll((els) => els.map((e) => e.value))).includes(camURL),
    );
    await page.screenshot({ path: shot('live-rtmp-lan-1280.png'), fullPage: true });
    await page.setViewportSize({ width: 400, height: 900 });
    await page.screenshot({ path: shot('live-rtmp-lan-400.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });

    // An encoder publishes to the address a camera would use.
    // prettier-ignore
    await run('ffmpeg', ['-nostdin', '-hide_banner', '-loglevel', 'error', '-re',
      '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=25', '-t', '7', // past the 5 s the server reads to learn the tracks
      '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-f', 'flv', `${camURL}/${stream.stream_key}`]);
    await waitUntil(
      'the recording to be in the library',
      async () => (await server.api('GET', `/video/v1/assets?live_stream_id=${stream.id}`)).data.length === 1,
      { timeoutMs: 30_000 },
    );
  });
});
