// End-to-end harness: the real `reelvault serve` binary, real clips made by ffmpeg, and Debian's
// Chromium driven by playwright-core. Each test file starts its own server in a temporary folder
// (node --test runs files in separate processes) and stops everything when it is done.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const OUT_DIR = join(here, 'out');

const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 10_000;
const LOG_LINES_KEPT = 400;

// Children still running when this process exits (a crash, an unhandled rejection) are killed.
const liveGroups = new Set();
process.on('exit', () => {
  for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
});

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * Starts `REELVAULT_BIN serve` on free loopback ports with a fresh data folder and a known API
 * token, and resolves once it has printed its address and the browser login code. With
 * `verbose`, the server logs every request and `requests` lists them as the server saw them.
 */
export async function startServer({ verbose = false, rtmpFromSettings = false } = {}) {
  const bin = process.env.REELVAULT_BIN;
  if (!bin) throw new Error('Set REELVAULT_BIN to the absolute path of the reelvault binary (make test-e2e does).');
  const dir = await mkdtemp(join(tmpdir(), 'reelvault-e2e-'));
  const dataDir = join(dir, 'data');
  const token = { id: 'e2e', secret: randomBytes(16).toString('hex') };

  const args = ['serve', '--data', dataDir, '--listen', '127.0.0.1:0', '--share-listen', '127.0.0.1:0'];
  if (verbose) args.push('--verbose');
  const log = [];
  const requests = [];
  let state;
  let child;
  let exited;

  // One `serve` process on the data folder; restart() stops it and runs this again.
  const launch = () => {
    state = { url: '', shareUrl: '', code: '', loginUrl: '', exited: null };
    const mine = state;
    child = spawn(bin, args, {
      env: {
        ...process.env,
        REELVAULT_TOKEN_ID: token.id,
        REELVAULT_TOKEN_SECRET: token.secret,
        // Other people's servers may hold the default RTMP port on a shared machine. With
        // rtmpFromSettings the default (127.0.0.1:1935) is kept, so the Live page may move it.
        ...(rtmpFromSettings ? {} : { REELVAULT_RTMP_LISTEN: '127.0.0.1:0' }),
      },
      detached: true, // its own process group, so stopping it never touches the test runner
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    liveGroups.add(child.pid);
    exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve((mine.exited = { code, signal }))));

    const onLine = (stream) => (line) => {
      log.push(`[${stream}] ${line}`);
      if (log.length > LOG_LINES_KEPT) log.shift();
      let m;
      if ((m = /UI and API:\s+(\S+)/.exec(line))) mine.url = m[1];
      else if ((m = /download links:\s+(\S+)/.exec(line))) mine.shareUrl = m[1];
      // The first code is printed on stdout; each new one (after a login) is logged on stderr.
      else if ((m = /browser login code \(one-time\):\s+(\S+)/.exec(line))) mine.code = m[1];
      else if ((m = /open in a browser:\s+(\S+)/.exec(line))) mine.loginUrl = m[1];
      else if ((m = /login code.*\bcode=(\S+)/.exec(line))) mine.code = m[1];
      else if ((m = /msg=request\b.*?\bmethod=(\S+) path=(\S+) status=(\d+)/.exec(line))) {
        requests.push({ method: m[1], path: m[2], status: Number(m[3]) });
      }
    };
    createInterface({ input: child.stdout }).on('line', onLine('out'));
    createInterface({ input: child.stderr }).on('line', onLine('err'));
  };

  const stopChild = async () => {
    if (!state.exited) {
      killGroup(child.pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    liveGroups.delete(child.pid);
  };

  const started = async () => {
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (!(state.url && state.code && state.loginUrl)) {
      if (state.exited) {
        await server.stop();
        throw new Error(`reelvault serve exited early (${JSON.stringify(state.exited)}):\n${log.join('\n')}`);
      }
      if (Date.now() > deadline) {
        await server.stop();
        throw new Error(`reelvault serve did not print its address and login code within ${START_TIMEOUT_MS} ms:\n${log.join('\n')}`);
      }
      await sleep(50);
    }
  };

  const server = {
    dir,
    dataDir,
    token,
    /** Requests the server answered (only with `verbose`): { method, path, status }. */
    requests,
    get url() {
      return state.url;
    },
    get shareUrl() {
      return state.shareUrl;
    },
    /** The "open in a browser" address `serve` printed at start, carrying its first login code. */
    get loginUrl() {
      return state.loginUrl;
    },
    /** The login code that works now (a new one is made each time one is used). */
    loginCode: () => state.code,
    logTail: (n = 40) => log.slice(-n).join('\n'),
    /** Calls the API from node with the access token (HTTP Basic, as Mux clients do). */
    api: (method, path, body) => apiCall(state.url, token, method, path, body),
    /**
     * Stops `serve` (SIGTERM, as a user's Ctrl-C) and starts it again on the same data folder;
     * its addresses are new ports on the same host, so the browser's cookies still apply.
     */
    async restart() {
      await stopChild();
      launch();
      await started();
    },
    async stop() {
      await stopChild();
      await rm(dir, { recursive: true, force: true });
    },
  };

  launch();
  await started();
  return server;
}

async function apiCall(base, token, method, path, body) {
  const headers = { Authorization: `Basic ${Buffer.from(`${token.id}:${token.secret}`).toString('base64')}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(base + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/**
 * A webhook receiver on loopback, as an app receiving Mux's webhooks has: it keeps every POST's raw
 * body and headers (what Mux's `webhooks.unwrap` needs) in `got`, and answers 200.
 */
export async function startWebhookReceiver() {
  const got = [];
  const srv = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      got.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
      res.end('ok');
    });
  });
  await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve));
  return { got, url: `http://127.0.0.1:${srv.address().port}/webhooks/mux`, close: () => new Promise((r) => srv.close(r)) };
}

/** Runs a command in its own process group with a deadline; rejects with its stderr. */
export function run(command, args, { timeoutMs = 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    liveGroups.add(child.pid);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      liveGroups.delete(child.pid);
      reject(new Error(`${command}: ${err.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      liveGroups.delete(child.pid);
      if (code === 0) resolve(stdout);
      else reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${stderr.slice(-2000)}`));
    });
  });
}

/**
 * Fails (never skips) when a program the tests run is missing: a machine without ffmpeg would
 * otherwise pass without testing anything. `make test` installs them first (make deps).
 */
export function requireCommands(...commands) {
  const missing = commands.filter((c) => spawnSync(c, ['-version'], { stdio: 'ignore', timeout: 10_000 }).status !== 0);
  if (missing.length > 0) {
    throw new Error(`${missing.join(' and ')} not installed: these tests run the real tools (make deps installs them)`);
  }
}

/** A short H.264/AAC MP4 test clip (moving test pattern and a tone). */
export async function makeClip(path, { width = 1280, height = 720, seconds = 2 } = {}) {
  // prettier-ignore
  await run('ffmpeg', [
    '-nostdin', '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=25`,
    '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-t', String(seconds),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p',
    '-c:a', 'aac', '-b:a', '96k', '-shortest', '-movflags', '+faststart',
    path,
  ]);
  return path;
}

/**
 * An MPEG-2 clip (test pattern, no sound): the master re-encodes it, so a long one keeps the
 * transcode lane busy for a while. `quality` is ffmpeg's -q:v (2 is large, 4 is smaller).
 */
export async function makeTranscodeClip(path, { width = 1280, height = 720, seconds = 30, quality = 4 } = {}) {
  // prettier-ignore
  await run('ffmpeg', ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=25`, '-t', String(seconds),
    '-c:v', 'mpeg2video', '-q:v', String(quality), path]);
  return path;
}

/** ffprobe's view of a file: { streams, format }. */
export async function probe(path) {
  const out = await run('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_streams', '-show_format', path], {
    timeoutMs: 30_000,
  });
  return JSON.parse(out);
}

/** GETs a URL from node into `dest`; resolves to the status and, when it is 200, the size written. */
export async function download(url, dest) {
  const res = await fetch(url, { signal: AbortSignal.timeout(60_000) });
  if (res.status !== 200) {
    await res.body?.cancel();
    return { status: res.status, size: 0 };
  }
  await pipeline(Readable.fromWeb(res.body), createWriteStream(dest));
  return { status: res.status, size: (await stat(dest)).size };
}

/** Debian's Chromium, headless, at the window size the app is designed for. */
export async function openBrowser({ viewport = { width: 1280, height: 800 } } = {}) {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: the browser tests need it (make deps installs it; CHROMIUM_BIN names another)`);
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const consoleErrors = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(msg.text());
  });
  page.on('pageerror', (err) => consoleErrors.push(String(err)));
  return { browser, context, page, consoleErrors };
}

/**
 * Opens the UI and waits for its login screen. A page stuck on the blank splash most often means
 * /ui/v1/info got no answer: Chromium holds a 401 carrying a `WWW-Authenticate: Basic` challenge
 * while it waits for a password that a headless browser never gets.
 */
export async function openLoginScreen(page, server) {
  await page.goto(server.url);
  const field = page.getByLabel('Access code');
  try {
    await field.waitFor();
  } catch (err) {
    if (await page.locator('.splash').count()) {
      throw new Error(
        'The UI is stuck on its splash screen: /ui/v1/info never got an answer in the browser. If the server sends ' +
          '"WWW-Authenticate: Basic" with its 401, Chromium waits for a password (a real browser shows its own ' +
          'password dialog) instead of letting the page show its login screen.',
        { cause: err },
      );
    }
    throw err;
  }
  return field;
}

/** Logs in through the login screen with the code `serve` printed, and waits for the library. */
export async function logIn(page, server) {
  const field = await openLoginScreen(page, server);
  await field.fill(server.loginCode());
  await page.getByRole('button', { name: 'Open Reelvault' }).click();
  await page.getByRole('heading', { name: 'Library' }).waitFor();
}

/**
 * A server and a browser for one test file. `check(t, fn)` runs a test body and, when it fails,
 * saves a screenshot and the page and server logs into e2e/out/ and names them in the error.
 */
export async function startSession({ login = true, verbose = false, rtmpFromSettings = false } = {}) {
  const server = await startServer({ verbose, rtmpFromSettings });
  let browser;
  try {
    browser = await openBrowser();
    if (login) {
      await logIn(browser.page, server).catch(async (err) => {
        throw await withReport(err, 'log-in', browser.page, server, browser.consoleErrors);
      });
    }
  } catch (err) {
    await browser?.browser.close();
    await server.stop();
    throw err;
  }
  const { page, context, consoleErrors } = browser;
  return {
    server,
    browser: browser.browser,
    context,
    page,
    async check(t, fn) {
      try {
        await fn();
      } catch (err) {
        throw await withReport(err, t.name, page, server, consoleErrors);
      }
    },
    async close() {
      await browser.browser.close().catch(() => {});
      await server.stop();
    },
  };
}

/**
 * The set-up most test files share: before the file's tests, check the programs they need and
 * start a session; after them, close it. Tests read `.session` (set once `before` has run).
 * `requires` lists programs for requireCommands; the rest are startSession's options.
 */
export function useSession({ requires = [], ...options } = {}) {
  const shared = { session: undefined };
  before(async () => {
    requireCommands(...requires);
    shared.session = await startSession(options);
  });
  after(async () => {
    await shared.session?.close();
  });
  return shared;
}

async function withReport(err, testName, page, server, consoleErrors) {
  const slug = `${new Date().toISOString().replace(/[:.]/g, '-')}-${testName.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`;
  await mkdir(OUT_DIR, { recursive: true });
  const shot = join(OUT_DIR, `${slug}.png`);
  const logFile = join(OUT_DIR, `${slug}.log`);
  const saved = [];
  try {
    await page.screenshot({ path: shot, fullPage: true, timeout: 5_000 });
    saved.push(`screenshot: ${shot}`);
  } catch (shotErr) {
    saved.push(`(no screenshot: ${shotErr.message.split('\n')[0]})`);
  }
  const url = page.isClosed() ? '(closed)' : page.url();
  await writeFile(
    logFile,
    `page: ${url}\n\nbrowser console errors:\n${consoleErrors.join('\n') || '(none)'}\n\nserver log:\n${server.logTail(LOG_LINES_KEPT)}\n`,
  );
  saved.push(`logs: ${logFile}`);
  const report = `${err?.message ?? err}\n  page: ${url}\n  ${saved.join('\n  ')}\n  last server log lines:\n${server
    .logTail(15)
    .replace(/^/gm, '    ')}`;
  const wrapped = new Error(report, { cause: err });
  wrapped.stack = `${report}\n${err?.stack?.split('\n').slice(1).join('\n') ?? ''}`;
  return wrapped;
}

/** Polls `probe` until it returns something truthy; fails with `what` after `timeoutMs`. */
export async function waitUntil(what, probeFn, { timeoutMs = 15_000, intervalMs = 100 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await probeFn();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${last.message})` : ''}`);
    }
    await sleep(intervalMs);
  }
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Types a path into the add panel, adds it, and resolves to its card once it is Ready. */
export async function addByPath(page, path, title) {
  await page.getByRole('textbox', { name: 'Add by path or URL' }).fill(path);
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  const card = page.getByTestId('asset-card').filter({ hasText: title });
  await waitUntil(`${title} to be Ready`, async () => /Ready/.test(await card.innerText()), { timeoutMs: 60_000 });
  return card;
}

/**
 * Saves the page at 1280 and 400 px wide as e2e/out/NAME-1280.png and NAME-400.png, with
 * `target` (a locator, optional) scrolled into view at each width; the viewport goes back to
 * 1280 × 800. Resolves to the two paths.
 */
export async function screenshots(page, name, target) {
  await mkdir(OUT_DIR, { recursive: true });
  const paths = [];
  for (const width of [1280, 400]) {
    await page.setViewportSize({ width, height: 800 });
    if (target) await target.scrollIntoViewIfNeeded();
    const path = join(OUT_DIR, `${name}-${width}.png`);
    await page.screenshot({ path });
    paths.push(path);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  return paths;
}
