// Code written for Mux works against Reelvault unchanged: Mux's own Node SDK
// (@mux/mux-node), with only its base URL pointed at a real `reelvault serve`,
// creates assets and uploads, pages through lists, switches master access,
// gets Mux's typed errors, and verifies our webhooks with its own
// mux.webhooks.unwrap.
import assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Mux from '@mux/mux-node';
import { makeClip, requireCommands, startServer, startWebhookReceiver, waitUntil } from './harness.mjs';

let server;
let mux;
let receiver;
let hookSecret; // of the receiver's webhook, made by the first test
before(async () => {
  server = await startServer();
  mux = new Mux({ tokenId: server.token.id, tokenSecret: server.token.secret, baseURL: server.url, maxRetries: 0 });
  receiver = await startWebhookReceiver();
});
after(async () => {
  await receiver?.close();
  await server?.stop();
});

test('Mux SDK: assets, master access, pagination, errors, uploads and signed webhooks', async () => {
  requireCommands('ffmpeg'); // to make clips
  // Webhooks through Mux's system API shape (the SDK has no call for it).
  const { data: hook } = await server.api('POST', '/system/v1/webhooks', { address: receiver.url });
  hookSecret = hook.signing_secret;
  assert.match(hook.signing_secret, /\S{16,}/);

  const clip = join(server.dir, 'sdk clip.mp4');
  await makeClip(clip, { width: 640, height: 360, seconds: 2 });

  const created = await mux.video.assets.create({
    inputs: [{ url: clip }],
    master_access: 'temporary',
    meta: { title: 'SDK clip' },
  });
  assert.equal(created.status, 'preparing');
  assert.equal(typeof created.created_at, 'string');

  const ready = await waitUntil('the master link', async () => {
    const a = await mux.video.assets.retrieve(created.id);
    return a.master?.status === 'ready' ? a : null;
  }, { timeoutMs: 30_000 });
  assert.equal(ready.status, 'ready');
  assert.equal(ready.resolution_tier, '720p');
  assert.ok(ready.tracks.some((t) => t.type === 'video' && t.max_width === 640 && t.max_height === 360));
  const res = await fetch(ready.master.url + '?download=sdk.mp4');
  assert.equal(res.status, 200);
  assert.equal(Number(res.headers.get('content-length')), (await stat(join(server.dataDir, 'masters', `${ready.id}.mp4`))).size);
  await res.arrayBuffer();

  const revoked = await mux.video.assets.updateMasterAccess(ready.id, { master_access: 'none' });
  assert.equal(revoked.master_access, 'none');
  assert.equal(revoked.master, undefined, 'master is absent, as Mux omits it');
  assert.ok([404, 410].includes((await fetch(ready.master.url)).status), 'the old link is dead');

  // Typed errors.
  await assert.rejects(mux.video.assets.retrieve('no-such-asset'), Mux.NotFoundError);
  await assert.rejects(mux.video.assets.create({ inputs: [{ url: 'relative/path.mp4' }] }), Mux.BadRequestError);

  // A direct upload, PUT as UpChunk would, becomes an asset.
  const upload = await mux.video.uploads.create({ new_asset_settings: { master_access: 'none' }, cors_origin: '*' });
  assert.equal(upload.status, 'waiting');
  const put = await fetch(upload.url, { method: 'PUT', body: await readFile(clip) });
  assert.ok(put.ok, `upload PUT answered ${put.status}`);
  const done = await waitUntil('the upload to make an asset', async () => {
    const u = await mux.video.uploads.retrieve(upload.id);
    return u.status === 'asset_created' ? u : null;
  });
  assert.ok(done.asset_id);

  // Auto-pagination over pages of one: every asset exactly once.
  const seen = [];
  for await (const a of mux.video.assets.list({ limit: 1 })) seen.push(a.id);
  assert.deepEqual([...seen].sort(), [created.id, done.asset_id].sort());

  // Every webhook verifies with Mux's own code, and the asset's story is complete.
  const types = await waitUntil('the webhooks of the asset', async () => {
    const t = [];
    for (const { body, headers } of receiver.got) {
      const event = await mux.webhooks.unwrap(body, headers, hook.signing_secret);
      if (event.object?.id === created.id) t.push(event.type);
    }
    return t.includes('video.asset.master.deleted') ? t : null;
  });
  for (const want of ['video.asset.created', 'video.asset.master.preparing', 'video.asset.ready', 'video.asset.master.ready', 'video.asset.master.deleted']) {
    assert.ok(types.includes(want), `${want} missing from ${types}`);
  }
  await assert.rejects(mux.webhooks.unwrap(receiver.got[0].body + ' ', receiver.got[0].headers, hook.signing_secret), 'a changed body fails');
});

test('Mux SDK: the gaps it tripped on (issue 13): webhook paging, whoami, input lists, refusals, upload settings', async () => {
  // Listing system webhooks ends (it looped for ever when limit/page were ignored).
  const made = [];
  for (const n of [1, 2, 3]) {
    const { data } = await server.api('POST', '/system/v1/webhooks', { address: `http://127.0.0.1:9/paging-${n}` });
    made.push(data.id);
  }
  const listed = [];
  for await (const w of mux.system.webhooks.list({ limit: 2 })) {
    listed.push(w.id);
    assert.ok(listed.length < 100, 'the webhook list does not end');
  }
  for (const id of made) assert.ok(listed.includes(id), `webhook ${id} missing from ${listed}`);
  assert.equal(new Set(listed).size, listed.length, 'a webhook listed twice');

  // whoami, which `mux login` uses to check the credentials.
  const who = await mux.system.utilities.whoami();
  assert.ok(who.environment_id && who.organization_id && who.access_token_name);
  assert.ok(Array.isArray(who.permissions));

  // Mux's older `input` as a list: the first element's url is the video.
  const listedInput = await mux.video.assets.create({ input: [{ url: join(server.dir, 'not-yet.mp4') }] });
  assert.equal(listedInput.input, join(server.dir, 'not-yet.mp4'));
  await mux.video.assets.delete(listedInput.id);

  // What Reelvault does not do is a 400 naming it, never a silent 2xx.
  const refused = async (body, field) => {
    const err = await mux.video.assets.create({ inputs: [{ url: '/v/a.mp4' }], ...body }).then(() => null, (e) => e);
    assert.ok(err instanceof Mux.BadRequestError, `${JSON.stringify(body)} was accepted`);
    assert.match(JSON.stringify(err.error), new RegExp(field.replace(/[[\]]/g, '\\$&')));
  };
  await refused({ inputs: [{ url: '/v/a.mp4' }, { url: '/v/a.wav', type: 'audio' }] }, 'inputs[1].type');
  await refused({ mp4_support: 'standard', static_renditions: [{ resolution: '720p' }] }, 'mp4_support');
  await refused({ static_renditions: [{ resolution: '4k' }] }, 'static_renditions[0].resolution');
  await refused({ normalize_audio: true }, 'normalize_audio');
  const bogus = await mux.video.uploads.create({ new_asset_settings: { mp4_support: 'bogus' } }).then(() => null, (e) => e);
  assert.ok(bogus instanceof Mux.BadRequestError && /new_asset_settings\.mp4_support/.test(JSON.stringify(bogus.error)));

  // new_asset_settings come back in Mux's form: playback_policy a list.
  const upload = await mux.video.uploads.create({ new_asset_settings: { playback_policy: 'public' } });
  assert.deepEqual(upload.new_asset_settings.playback_policy, ['public']);
  await mux.video.uploads.cancel(upload.id);
});

test('Mux SDK: every list pages to its end; input-info, thumbnail time, live titles, and Mux APIs not served', async () => {
  requireCommands('ffmpeg');
  // Pages of two over five of each: every item once, and the SDK stops by itself.
  const walk = async (pages) => {
    const ids = [];
    for await (const item of pages) {
      ids.push(item.id);
      assert.ok(ids.length < 50, 'a list does not end');
    }
    return ids;
  };
  const uploads = [];
  const streams = [];
  for (let i = 0; i < 5; i++) {
    uploads.push((await mux.video.uploads.create({ cors_origin: '*' })).id);
    streams.push((await mux.video.liveStreams.create({ meta: { title: `Stage ${i}` }, low_latency: i === 0 })).id);
  }
  const listedUploads = await walk(mux.video.uploads.list({ limit: 2 }));
  for (const id of uploads) assert.equal(listedUploads.filter((x) => x === id).length, 1, `upload ${id} in ${listedUploads}`);
  const listedStreams = await walk(mux.video.liveStreams.list({ limit: 2 }));
  assert.deepEqual([...listedStreams].sort(), [...streams].sort());

  // A live stream's meta.title and the deprecated low_latency, as Mux shows them.
  const first = await mux.video.liveStreams.retrieve(streams[0]);
  assert.equal(first.meta?.title, 'Stage 0');
  assert.equal(first.latency_mode, 'low');
  const renamed = await mux.video.liveStreams.update(streams[1], { meta: { title: 'Main stage' } });
  assert.equal(renamed.meta?.title, 'Main stage');

  // input-info and thumbnail_time on a ready asset.
  const clip = await makeClip(join(server.dir, 'sdk info.mp4'), { width: 320, height: 240, seconds: 3 });
  const { id } = await mux.video.assets.create({ inputs: [{ url: clip }] });
  await waitUntil('the asset to be ready', async () => (await mux.video.assets.retrieve(id)).status === 'ready', { timeoutMs: 30_000 });
  const [info] = await mux.video.assets.retrieveInputInfo(id);
  assert.equal(info.settings.url, clip);
  assert.ok(info.file.tracks.some((t) => t.type === 'video' && t.width === 320 && t.height === 240));
  assert.equal((await mux.video.assets.update(id, { thumbnail_time: 2.5 })).thumbnail_time, 2.5);
  await mux.video.assets.deleteThumbnailTime(id);
  assert.equal((await mux.video.assets.retrieve(id)).thumbnail_time, undefined);
  const late = await mux.video.assets.update(id, { thumbnail_time: 9 }).then(() => null, (e) => e);
  assert.ok(late instanceof Mux.BadRequestError && /thumbnail_time/.test(JSON.stringify(late.error)), 'a time past the end was accepted');

  // Mux's APIs Reelvault does not serve are the SDK's BadRequestError naming them, not a page of HTML.
  for (const [call, name] of [
    [() => mux.video.deliveryUsage.list(), 'delivery usage'],
    [() => mux.data.videoViews.list(), 'Mux Data'],
    [() => mux.video.assets.retrieveShots(id), 'shots'],
    [() => mux.video.assets.create({ inputs: [{ url: clip }], generate_shots: true }), 'generate_shots'],
    [() => mux.video.uploads.create({ cors_origin: '*', new_asset_settings: { inputs: [{ url: 'https://example.com/en.vtt', type: 'text' }] } }), 'new_asset_settings.inputs'],
  ]) {
    const err = await call().then(() => null, (e) => e);
    assert.ok(err instanceof Mux.BadRequestError, `${name}: ${err}`);
    assert.match(JSON.stringify(err.error), new RegExp(name.replace(/\./g, '\\.')));
  }
});

test('Mux SDK: playback IDs, signing keys and signed URLs with mux.jwt on the share listener', async () => {
  requireCommands('ffmpeg', 'ffprobe');
  const clip = join(server.dir, 'signed clip.mp4');
  await makeClip(clip, { width: 640, height: 360, seconds: 2 });
  const created = await mux.video.assets.create({ inputs: [{ url: clip }], playback_policies: ['signed'] });
  assert.equal(created.playback_ids.length, 1);
  assert.equal(created.playback_ids[0].policy, 'signed');
  const ready = await waitUntil('the asset ready', async () => {
    const a = await mux.video.assets.retrieve(created.id);
    return a.status === 'ready' ? a : null;
  }, { timeoutMs: 30_000 });
  const master = await readFile(join(server.dataDir, 'masters', `${ready.id}.mp4`));

  // A second, public playback ID, and the look-up by playback ID alone.
  const pub = await mux.video.assets.createPlaybackId(ready.id, { policy: 'public' });
  assert.equal(pub.policy, 'public');
  assert.deepEqual(await mux.video.assets.retrievePlaybackId(ready.id, pub.id), { id: pub.id, policy: 'public' });
  const found = await mux.video.playbackIds.retrieve(pub.id);
  assert.deepEqual(found.object, { type: 'asset', id: ready.id });
  const publicMP4 = await fetch(`${server.shareUrl}/${pub.id}/highest.mp4`);
  assert.equal(publicMP4.status, 200);
  assert.ok(Buffer.from(await publicMP4.arrayBuffer()).equals(master), 'public highest.mp4 is the master');

  // A signing key from the SDK; its private key signs tokens with mux.jwt, as for Mux's CDN.
  const key = await mux.system.signingKeys.create();
  assert.ok(key.id && key.private_key, 'the private key is given once');
  assert.equal((await mux.system.signingKeys.retrieve(key.id)).private_key, undefined);
  const keys = [];
  for await (const k of mux.system.signingKeys.list({ limit: 1 })) keys.push(k.id);
  assert.deepEqual(keys, [key.id]);

  const signed = ready.playback_ids[0].id;
  const base = `${server.shareUrl}/${signed}`;
  assert.equal((await fetch(`${base}/highest.mp4`)).status, 403, 'no token');
  const videoToken = await mux.jwt.signPlaybackId(signed, { keyId: key.id, keySecret: key.private_key, expiration: '1h' });
  const mp4 = await fetch(`${base}/highest.mp4?token=${videoToken}`);
  assert.equal(mp4.status, 200);
  assert.ok(Buffer.from(await mp4.arrayBuffer()).equals(master), 'signed highest.mp4 is the master');
  const part = await fetch(`${base}/highest.mp4?token=${videoToken}`, { headers: { Range: 'bytes=0-1023' } });
  assert.equal(part.status, 206);
  assert.equal((await part.arrayBuffer()).byteLength, 1024);
  assert.equal((await fetch(`${base}/thumbnail.jpg?token=${videoToken}`)).status, 403, 'a video token opens no thumbnail');

  const thumbToken = await mux.jwt.signPlaybackId(signed, {
    keyId: key.id, keySecret: key.private_key, type: 'thumbnail', params: { width: '160', time: '1' },
  });
  const thumb = await fetch(`${base}/thumbnail.png?token=${thumbToken}`);
  assert.equal(thumb.status, 200);
  assert.equal(thumb.headers.get('content-type'), 'image/png');
  const png = join(server.dir, 'thumb.png');
  await writeFile(png, Buffer.from(await thumb.arrayBuffer()));
  assert.deepEqual(await pictureSize(png), { width: 160, height: 90 });

  // Deleting the signing key, then the playback ID, stops serving at once.
  await mux.system.signingKeys.delete(key.id);
  assert.equal((await fetch(`${base}/highest.mp4?token=${videoToken}`)).status, 403, 'the key is deleted');
  await mux.video.assets.deletePlaybackId(ready.id, pub.id);
  assert.equal((await fetch(`${server.shareUrl}/${pub.id}/highest.mp4`)).status, 404, 'the playback ID is deleted');
  await assert.rejects(mux.video.playbackIds.retrieve(pub.id), Mux.NotFoundError);
  await assert.rejects(mux.video.assets.createPlaybackId(ready.id, { policy: 'drm' }), Mux.BadRequestError);

  // Live streams have playback IDs too.
  const stream = await mux.video.liveStreams.create({ playback_policies: ['public'], new_asset_settings: { playback_policies: ['signed'] } });
  assert.equal(stream.playback_ids[0].policy, 'public');
  const more = await mux.video.liveStreams.createPlaybackId(stream.id, { policy: 'signed' });
  assert.deepEqual((await mux.video.playbackIds.retrieve(more.id)).object, { type: 'live_stream', id: stream.id });
  await mux.video.liveStreams.deletePlaybackId(stream.id, more.id);
  await mux.video.liveStreams.delete(stream.id);
});

test('Mux SDK: static renditions are proxies made after the master: asked on create, listed, served, deleted, with their webhooks', async () => {
  requireCommands('ffmpeg', 'ffprobe');
  const clip = join(server.dir, 'proxy clip.mp4');
  await makeClip(clip, { width: 640, height: 360, seconds: 2 });
  const created = await mux.video.assets.create({
    inputs: [{ url: clip }],
    playback_policies: ['public'],
    static_renditions: [{ resolution: '270p', passthrough: 'for the edit' }, { resolution: 'audio-only' }, { resolution: '1080p' }],
  });
  assert.deepEqual(created.static_renditions.files.map((f) => [f.resolution, f.status]),
    [['270p', 'preparing'], ['audio-only', 'preparing'], ['1080p', 'preparing']]);
  const ready = await waitUntil('the asset and its renditions', async () => {
    const a = await mux.video.assets.retrieve(created.id);
    return a.status === 'ready' && a.static_renditions.files.every((f) => f.status !== 'preparing') ? a : null;
  }, { timeoutMs: 90_000 });
  const byResolution = Object.fromEntries(ready.static_renditions.files.map((f) => [f.resolution, f]));
  const proxy = byResolution['270p'];
  assert.equal(proxy.status, 'ready');
  assert.equal(proxy.name, '270p.mp4');
  assert.equal(proxy.ext, 'mp4');
  assert.equal(proxy.passthrough, 'for the edit');
  assert.deepEqual([proxy.width, proxy.height], [480, 270]);
  assert.equal(typeof proxy.filesize, 'string', 'filesize is a string, as Mux');
  assert.equal(byResolution['audio-only'].name, 'audio.m4a');
  assert.equal(byResolution['audio-only'].status, 'ready');
  assert.equal(byResolution['1080p'].status, 'skipped', 'above the 360p master');

  // Served at Mux's URL, as recorded.
  const pid = ready.playback_ids[0].id;
  const mp4 = await fetch(`${server.shareUrl}/${pid}/270p.mp4`);
  assert.equal(mp4.status, 200);
  assert.equal((await mp4.arrayBuffer()).byteLength, Number(proxy.filesize));
  assert.equal((await fetch(`${server.shareUrl}/${pid}/audio.m4a`)).headers.get('content-type'), 'audio/mp4');

  // Made later with the SDK, listed (the SDK has no list call: Mux's GET), deleted with the SDK.
  const more = await mux.video.assets.createStaticRendition(ready.id, { resolution: '360p' });
  assert.equal(more.status, 'preparing');
  assert.equal(more.name, '360p.mp4');
  await assert.rejects(mux.video.assets.createStaticRendition(ready.id, { resolution: '8k' }), Mux.BadRequestError);
  await mux.video.assets.deleteStaticRendition(ready.id, byResolution['audio-only'].id);
  const { data: listed } = await server.api('GET', `/video/v1/assets/${ready.id}/static-renditions`);
  assert.deepEqual(listed.map((f) => f.resolution).sort(), ['1080p', '270p', '360p']);
  assert.equal((await fetch(`${server.shareUrl}/${pid}/audio.m4a`)).status, 404, 'a deleted rendition stops at once');
  await waitUntil('the 360p proxy', async () => {
    const a = await mux.video.assets.retrieve(ready.id);
    return a.static_renditions.files.find((f) => f.resolution === '360p')?.status === 'ready' ? a : null;
  }, { timeoutMs: 60_000 });

  // Each rendition's story in webhooks that Mux's own code verifies, with the rendition as data.
  assert.ok(hookSecret, 'the first test registered the receiver (its secret is only given at creation)');
  const hook = { signing_secret: hookSecret };
  const events = await waitUntil('the static rendition webhooks', async () => {
    const seen = [];
    for (const { body, headers } of receiver.got) {
      const event = await mux.webhooks.unwrap(body, headers, hook.signing_secret);
      if (event.type.startsWith('video.asset.static_rendition.') && event.data.asset_id === ready.id) {
        seen.push(`${event.type.replace('video.asset.static_rendition.', '')} ${event.data.resolution}`);
      }
    }
    return seen.includes('deleted audio-only') && seen.includes('ready 360p') ? seen : null;
  });
  for (const want of ['created 270p', 'created audio-only', 'created 1080p', 'ready 270p', 'ready audio-only', 'skipped 1080p', 'created 360p', 'deleted audio-only']) {
    assert.ok(events.includes(want), `${want} missing from ${events}`);
  }

  // mp4_support, deprecated but still sent by older code, maps onto the same files.
  const legacy = await mux.video.assets.updateMP4Support(ready.id, { mp4_support: 'capped-1080p' });
  assert.equal(legacy.mp4_support, 'capped-1080p');
  assert.ok(legacy.static_renditions.files.some((f) => f.name === 'capped-1080p.mp4'));
});

/** The width and height ffprobe reads from a picture. */
async function pictureSize(path) {
  const { execFile } = await import('node:child_process');
  const out = await new Promise((resolve, reject) =>
    execFile('ffprobe', ['-v', 'error', '-show_entries', 'stream=width,height', '-of', 'json', path], { timeout: 30_000 },
      (err, stdout) => (err ? reject(err) : resolve(stdout))));
  const { width, height } = JSON.parse(out).streams[0];
  return { width, height };
}
