// Mux's official CLI (@mux/cli 2.0.1 from npm, the binary `npm install @mux/cli` gives; `make
// mux-cli` puts it under .cache/mux-cli) driven against a real `reelvault serve`, as a Mux user
// would: log in from an .env file with MUX_BASE_URL, create assets (a URL ingest and a JSON config,
// each with --wait, and a file upload), read input-info, switch master access and download the
// master, make a static rendition with --wait, list, get and delete, and make a live stream, while `mux webhooks listen` forwards every
// event to a local app. What Reelvault does not do comes back as the CLI's own error naming the field.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Mux from '@mux/mux-node';
import { download, makeClip, probe, requireCommands, run, startServer, startWebhookReceiver, waitUntil } from './harness.mjs';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MUX_CLI = process.env.MUX_CLI_BIN ?? join(repoRoot, '.cache', 'mux-cli', 'node_modules', '.bin', 'mux');
const CLI_TIMEOUT_MS = 180_000; // `--wait` polls every 5 s; a loaded CI machine builds slowly

let server;
let files; // a static file server the URL ingests pull from, as Mux pulls from the web
let home; // the CLI's HOME and XDG folders: its stored login lives here, not in the user's
let work; // the CLI's working folder (no .env in it: Bun would load one into the environment)
before(async () => {
  requireCommands('ffmpeg', 'ffprobe');
  if (!existsSync(MUX_CLI)) {
    throw new Error(`no Mux CLI at ${MUX_CLI}: run \`make mux-cli\` (make test does), or set MUX_CLI_BIN`);
  }
  server = await startServer();
  home = join(server.dir, 'cli-home');
  work = join(server.dir, 'cli-work');
  await mkdir(work, { recursive: true });
  await mkdir(join(server.dir, 'web'), { recursive: true });
  files = await serveFolder(join(server.dir, 'web'));
});
after(async () => {
  await files?.close();
  await server?.stop();
});

/** Serves the files of a folder over HTTP on loopback (GET only, no listing). */
async function serveFolder(root) {
  const srv = createServer(async (req, res) => {
    try {
      const body = await readFile(join(root, decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/^\/+/, '').replace(/\.\./g, '')));
      res.writeHead(200, { 'Content-Type': 'video/mp4', 'Content-Length': body.length });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${srv.address().port}`, close: () => new Promise((r) => srv.close(r)) };
}

/** The CLI's environment: none of the caller's MUX_* variables, its config and cache in `home`. */
function cliEnv(extra = {}) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MUX_')));
  return { ...clean, HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_CACHE_HOME: join(home, 'cache'), NO_COLOR: '1', ...extra };
}

/**
 * Runs the CLI with a clean environment: no MUX_* variables of the caller, its config in `home`.
 * Resolves to { code, stdout, stderr }; never rejects on a non-zero exit.
 */
function mux(args, { env = {} } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(MUX_CLI, args, {
      cwd: work,
      env: cliEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), CLI_TIMEOUT_MS);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: signal ? signal : code, stdout, stderr });
    });
  });
}

/** Starts a long-running CLI command (as `mux()` does); `stop()` sends Ctrl-C and waits for it to end. */
function muxInBackground(args) {
  const child = spawn(MUX_CLI, args, {
    cwd: work,
    env: cliEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group: npm's `mux` is a node wrapper around the real binary, and both must stop
  });
  const signal = (sig) => {
    try {
      process.kill(-child.pid, sig);
    } catch {
      // Already gone.
    }
  };
  process.once('exit', () => signal('SIGKILL'));
  const out = { text: '' };
  child.stdout.on('data', (d) => (out.text += d));
  child.stderr.on('data', (d) => (out.text += d));
  const ended = new Promise((resolve) => child.once('close', resolve));
  return {
    output: () => out.text,
    async stop() {
      signal('SIGINT');
      const timer = setTimeout(() => signal('SIGKILL'), 10_000);
      await ended;
      clearTimeout(timer);
    },
  };
}

/** Runs a CLI command with --json that must succeed, and parses what it printed. */
async function muxJSON(...args) {
  const r = await mux([...args, '--json']);
  assert.equal(r.code, 0, `mux ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}\n${server.logTail(10)}`);
  return JSON.parse(r.stdout);
}

/** Runs a CLI command that must fail, and gives what it said. */
async function muxFails(...args) {
  const r = await mux([...args, '--json']);
  assert.notEqual(r.code, 0, `mux ${args.join(' ')} succeeded:\n${r.stdout}`);
  return r.stdout + r.stderr;
}

test('the Mux CLI logs in, forwards webhooks, ingests, shows input info, hands out the master, lists, deletes and makes a live stream', async (t) => {
  // Log in from an .env file, as the CLI's README says; it checks the credentials with
  // /system/v1/whoami and keeps the base URL with the login.
  const envFile = join(server.dir, 'reelvault.env');
  await writeFile(envFile, `MUX_TOKEN_ID=${server.token.id}\nMUX_TOKEN_SECRET=${server.token.secret}\n`);
  const bad = join(server.dir, 'wrong.env');
  await writeFile(bad, `MUX_TOKEN_ID=${server.token.id}\nMUX_TOKEN_SECRET=wrong\n`);
  const refused = await mux(['login', '--env-file', bad], { env: { MUX_BASE_URL: server.url } });
  assert.notEqual(refused.code, 0, 'a wrong secret logs in');
  assert.match(refused.stdout + refused.stderr, /Invalid credentials/);

  const login = await mux(['login', '--env-file', envFile], { env: { MUX_BASE_URL: server.url } });
  assert.equal(login.code, 0, `mux login failed:\n${login.stdout}\n${login.stderr}`);
  const saved = JSON.parse(await readFile(join(home, 'config', 'mux', 'config.json'), 'utf8'));
  assert.equal(saved.environments.default.baseUrl, server.url);
  // From here on no MUX_BASE_URL and no token in the environment: the stored login is used.
  const who = await muxJSON('whoami');
  assert.equal(who.environment_id, saved.environments.default.environmentId);
  assert.ok(who.permissions.includes('video:write'));

  // `mux webhooks listen --forward-to`: the CLI reads Reelvault's webhook event stream and POSTs
  // each event to a local app, signed with its own secret, which Mux's SDK verifies.
  const receiver = await startWebhookReceiver();
  const listener = muxInBackground(['webhooks', 'listen', '--forward-to', receiver.url]);
  t.after(async () => {
    await listener.stop();
    await receiver.close();
  });
  await waitUntil('mux webhooks listen to connect', () => /Connected to event stream/.test(listener.output()), { timeoutMs: 20_000 });
  // Printed in bold, NO_COLOR or not.
  const [, forwardSecret] = /Webhook signing secret: (?:\u001b\[\d+m)?([0-9a-f]{32})/.exec(listener.output()) ?? [];
  assert.ok(forwardSecret, `no signing secret in:\n${listener.output()}`);

  // An ingest from a URL, waited for: the CLI polls the asset until it is ready.
  const clip = await makeClip(join(server.dir, 'web', 'cli clip.mp4'), { width: 640, height: 360, seconds: 2 });
  const asset = await muxJSON('assets', 'create', '--url', `${files.url}/cli%20clip.mp4`, '--passthrough', 'from the CLI', '--playback-policy', 'public', '--wait');
  assert.equal(asset.status, 'ready', JSON.stringify(asset));
  assert.equal(asset.passthrough, 'from the CLI');
  assert.equal(asset.duration, 2);
  assert.ok(asset.tracks.some((t) => t.type === 'video' && t.max_width === 640 && t.max_height === 360 && t.max_frame_rate === 25));
  assert.ok(asset.tracks.some((t) => t.type === 'audio'));

  // Its playback ID, looked up as the CLI does, leads back to it and serves the master as highest.mp4.
  assert.equal(asset.playback_ids?.[0]?.policy, 'public', JSON.stringify(asset.playback_ids));
  const lookup = await muxJSON('playback-ids', asset.playback_ids[0].id);
  assert.equal(JSON.stringify(lookup).includes(asset.id), true, JSON.stringify(lookup));
  assert.deepEqual((await muxJSON('assets', 'playback-ids', 'list', asset.id)).map((p) => p.id), [asset.playback_ids[0].id]);
  const highest = await download(`${server.shareUrl.replace(/\/$/, '')}/${asset.playback_ids[0].id}/highest.mp4`, join(server.dir, 'highest.mp4'));
  assert.equal(highest.status, 200);
  assert.equal((await probe(join(server.dir, 'highest.mp4'))).streams.find((s) => s.codec_type === 'video')?.width, 640);

  // input-info: what the file was, from the probe stored when the master was built.
  const info = await muxJSON('assets', 'input-info', asset.id);
  assert.equal(info.length, 1);
  assert.equal(info[0].settings.url, `${files.url}/cli%20clip.mp4`);
  const video = info[0].file.tracks.find((t) => t.type === 'video');
  assert.deepEqual([video.encoding, video.width, video.height, video.frame_rate], ['h264', 640, 360, 25]);
  assert.equal(info[0].file.tracks.find((t) => t.type === 'audio')?.encoding, 'aac');

  // Master access on: the master's link downloads a file that plays as the clip did.
  const switched = await muxJSON('assets', 'update-master-access', asset.id, '--master-access', 'temporary');
  assert.equal(switched.master_access, 'temporary');
  const withMaster = await waitUntil('the master link', async () => {
    const a = await muxJSON('assets', 'get', asset.id);
    return a.master?.status === 'ready' ? a : null;
  }, { timeoutMs: 30_000, intervalMs: 300 });
  const master = join(server.dir, 'downloaded master.mp4');
  const got = await download(withMaster.master.url, master);
  assert.equal(got.status, 200);
  const { streams, format } = await probe(master);
  const v = streams.find((s) => s.codec_type === 'video');
  assert.deepEqual([v.codec_name, v.width, v.height, v.r_frame_rate], ['h264', 640, 360, '25/1']);
  assert.ok(streams.some((s) => s.codec_type === 'audio' && s.codec_name === 'aac'));
  assert.ok(Math.abs(Number(format.duration) - 2) < 0.1, `master lasts ${format.duration} s`);
  await run('ffmpeg', ['-nostdin', '-v', 'error', '-xerror', '-i', master, '-f', 'null', '-'], { timeoutMs: 30_000 }); // it decodes to the end
  // A static rendition made and waited for by the CLI: a smaller proxy of the master an editor can
  // relink (same frame rate, duration within a frame, audio kept), served by the playback ID.
  const rendition = await muxJSON('assets', 'static-renditions', 'create', asset.id, '--resolution', '270p', '--wait');
  assert.equal(rendition.status, 'ready', JSON.stringify(rendition));
  assert.equal(rendition.resolution, '270p');
  const renditions = await muxJSON('assets', 'static-renditions', 'list', asset.id);
  assert.deepEqual(renditions.map((r) => [r.id, r.status]), [[rendition.id, 'ready']]);
  const proxy = join(server.dir, 'proxy 270p.mp4');
  assert.equal((await download(`${server.shareUrl.replace(/\/$/, '')}/${asset.playback_ids[0].id}/270p.mp4`, proxy)).status, 200);
  const p = await probe(proxy);
  const pv = p.streams.find((s) => s.codec_type === 'video');
  assert.deepEqual([pv.codec_name, pv.height, pv.r_frame_rate], ['h264', 270, '25/1']);
  assert.ok(Math.abs(Number(p.format.duration) - Number(format.duration)) <= 1 / 25 + 1e-6, `proxy lasts ${p.format.duration} s, master ${format.duration} s`);
  assert.equal(p.streams.filter((s) => s.codec_type === 'audio').length, streams.filter((s) => s.codec_type === 'audio').length);
  await run('ffmpeg', ['-nostdin', '-v', 'error', '-xerror', '-i', proxy, '-f', 'null', '-'], { timeoutMs: 30_000 });
  // Above the master's resolution: skipped, as Mux does.
  const above = await muxJSON('assets', 'static-renditions', 'create', asset.id, '--resolution', '1080p', '--wait');
  assert.equal(above.status, 'skipped', JSON.stringify(above));
  await muxJSON('assets', 'static-renditions', 'delete', asset.id, above.id, '--force');

  const off = await muxJSON('assets', 'update-master-access', asset.id, '--master-access', 'none');
  assert.equal(off.master, undefined, 'master is gone from the asset, as on Mux');
  assert.ok([404, 410].includes((await download(withMaster.master.url, master + '.again')).status), 'the old link still serves');

  // A JSON config as `--file`, with Mux's older `input` list, waited for.
  const config = join(work, 'asset.json');
  await writeFile(config, JSON.stringify({ input: [{ url: `${files.url}/cli%20clip.mp4` }], meta: { title: 'From a config' }, video_quality: 'plus' }));
  const fromFile = await muxJSON('assets', 'create', '--file', config, '--wait');
  assert.equal(fromFile.status, 'ready');
  assert.equal(fromFile.meta?.title, 'From a config');

  // A file upload (the CLI does not wait on uploads; the upload becomes an asset).
  const [uploaded] = await muxJSON('assets', 'create', '--upload', clip, '-y');
  const upload = await waitUntil('the upload to become an asset', async () => {
    const u = await muxJSON('uploads', 'get', uploaded.uploadId);
    return u.status === 'asset_created' ? u : null;
  }, { timeoutMs: 30_000, intervalMs: 300 });
  await waitUntil('the uploaded asset to be ready', async () => (await muxJSON('assets', 'get', upload.asset_id)).status === 'ready', { timeoutMs: 30_000, intervalMs: 300 });

  // Labels change as with Mux; an upload that is not used is cancelled.
  assert.equal((await muxJSON('assets', 'update', upload.asset_id, '--title', 'Uploaded by the CLI')).meta?.title, 'Uploaded by the CLI');
  const unused = await muxJSON('uploads', 'create', '--cors-origin', '*');
  assert.equal(unused.status, 'waiting');
  await muxJSON('uploads', 'cancel', unused.id, '--force');
  assert.equal((await muxJSON('uploads', 'get', unused.id)).status, 'cancelled');

  // Lists and their pages.
  const all = await muxJSON('assets', 'list');
  assert.deepEqual(all.data.map((a) => a.id).sort(), [asset.id, fromFile.id, upload.asset_id].sort());
  const pages = [];
  for (const page of ['1', '2', '3', '4']) pages.push((await muxJSON('assets', 'list', '--limit', '1', '--page', page)).data.map((a) => a.id));
  assert.deepEqual(pages.slice(0, 3).flat().sort(), all.data.map((a) => a.id).sort(), 'pages of one list every asset once');
  assert.deepEqual(pages[3], [], 'the page past the end is empty');
  const byUpload = await muxJSON('assets', 'list', '--upload-id', upload.id);
  assert.deepEqual(byUpload.data.map((a) => a.id), [upload.asset_id]);

  // What Reelvault does not do is the CLI's error, naming it; nothing is made.
  const normalize = await muxFails('assets', 'create', '--url', `${files.url}/cli%20clip.mp4`, '--normalize-audio');
  assert.match(normalize, /normalize_audio/);
  const subtitles = join(work, 'with-subtitles.json');
  await writeFile(subtitles, JSON.stringify({ inputs: [{ url: `${files.url}/cli%20clip.mp4` }, { url: `${files.url}/en.vtt`, type: 'text', text_type: 'subtitles', language_code: 'en' }] }));
  assert.match(await muxFails('assets', 'create', '--file', subtitles), /inputs\[1\]\.type/);
  assert.equal((await muxJSON('assets', 'list')).data.length, 3, 'a refused create made an asset');

  // Delete: the asset is gone, and asking for it is the CLI's not-found error.
  const deleted = await muxJSON('assets', 'delete', fromFile.id, '--force');
  assert.equal(deleted.success, true);
  assert.match(await muxFails('assets', 'get', fromFile.id), /The requested asset does not exist/);

  // A live stream: its key and ingest URL come back, it lists, and it deletes.
  const stream = await muxJSON('live', 'create', '--reconnect-window', '30', '--new-asset-settings', '{"master_access":"temporary"}');
  assert.match(stream.stream_key, /\S{16,}/);
  assert.equal(stream.status, 'idle');
  assert.equal(stream.reconnect_window, 30);
  assert.equal(stream.new_asset_settings.master_access, 'temporary');
  assert.deepEqual((await muxJSON('live', 'list')).data.map((s) => s.id), [stream.id]);
  assert.equal((await muxJSON('live', 'get', stream.id)).stream_key, stream.stream_key);
  const updated = await muxJSON('live', 'update', stream.id, '--title', 'Main stage', '--reconnect-window', '45');
  assert.deepEqual([updated.meta?.title, updated.reconnect_window], ['Main stage', 45]);
  await muxJSON('live', 'disable', stream.id);
  assert.equal((await muxJSON('live', 'get', stream.id)).status, 'disabled');
  await muxJSON('live', 'enable', stream.id);
  assert.equal((await muxJSON('live', 'get', stream.id)).status, 'idle');
  const rekeyed = await muxJSON('live', 'reset-stream-key', stream.id, '--force');
  assert.notEqual(rekeyed.stream_key, stream.stream_key);
  assert.match(await muxFails('live', 'update', stream.id, '--reconnect-slate-url', `${files.url}/slate.png`), /reconnect_slate_url/);
  assert.match(await muxFails('live', 'update-embedded-subtitles', stream.id, '--language-channel', 'cc1', '--language-code', 'en'), /embedded subtitles/);
  await muxJSON('live', 'delete', stream.id, '--force');
  assert.deepEqual((await muxJSON('live', 'list')).data, []);

  // Every event of the session reached the local app through the CLI, each verified by Mux's SDK.
  const sdk = new Mux({ tokenId: 'unused', tokenSecret: 'unused' });
  const forwarded = await waitUntil('the events forwarded by mux webhooks listen', async () => {
    const events = [];
    for (const { body, headers } of receiver.got) events.push(await sdk.webhooks.unwrap(body, headers, forwardSecret));
    const seen = events.map((e) => `${e.type} ${e.object?.id ?? e.data?.id}`);
    return seen.includes(`video.asset.deleted ${fromFile.id}`) && seen.includes(`video.live_stream.deleted ${stream.id}`) ? seen : null;
  }, { timeoutMs: 30_000, intervalMs: 200 });
  for (const want of [`video.asset.ready ${asset.id}`, `video.asset.master.ready ${asset.id}`, `video.upload.asset_created ${upload.id}`, `video.live_stream.created ${stream.id}`]) {
    assert.ok(forwarded.includes(want), `${want} not forwarded: ${forwarded.join(', ')}`);
  }
});
