/**
 * Shared harness of the browser tests: builds the app once (or reuses a dist/ newer than every source), serves
 * dist/ with `vite preview` (a child process on 127.0.0.1 at a free port, stopped with the session), and drives
 * Debian's Chromium through playwright-core. In CI (`CI` set) a missing or broken Chromium fails the tests; locally they are skipped when
 * /usr/bin/chromium is absent. `describeBrowser` owns a test file's session: start, open the workbench, wait for the
 * starting preset, close.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe } from 'vitest';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const DIST = join(ROOT, 'dist');
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--enable-unsafe-webgpu'];

/** True when browser tests must run (CI) or can (Chromium present). */
export function browserWanted(): boolean {
  return !!process.env.CI || existsSync(CHROMIUM);
}

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = st.mtimeMs;
  for (const e of readdirSync(path)) if (e !== 'node_modules') m = Math.max(m, newestMtime(join(path, e)));
  return m;
}

/** The browser parity page in a `--mode test` build (vite.config.ts; `npm run build` leaves it out). */
export const PARITY_PAGE = 'test/e2e/parity.html';

/**
 * Builds dist/ in `--mode test` (the app and the parity page) unless it has the parity page and is newer than
 * src/, public/, shaders/, index.html and the parity page's sources (test/e2e/parity*, test/parity/'s world generators).
 */
export function ensureBuilt(): void {
  const index = join(DIST, 'index.html');
  const sources = ['src', 'public', 'shaders', 'index.html', 'vite.config.ts', 'test/e2e/parity.html', 'test/e2e/parityPage.ts', 'test/parity'].map((p) => join(ROOT, p)).filter(existsSync);
  if (existsSync(index) && existsSync(join(DIST, PARITY_PAGE)) && statSync(index).mtimeMs > Math.max(...sources.map(newestMtime))) return;
  execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--mode', 'test', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
}

/** A free TCP port on 127.0.0.1 (the OS picks one; `vite preview --strictPort` then fails loudly if it was taken since). */
async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((ok) => srv.listen(0, '127.0.0.1', ok));
  const addr = srv.address();
  await new Promise((ok) => srv.close(ok));
  if (!addr || typeof addr === 'string') throw new Error('no free port');
  return addr.port;
}

/** Resolves when `url` answers 200, rejects when `child` exits first or after `timeoutMs`. */
async function waitServing(url: string, child: ChildProcess, output: () => string, timeoutMs = 30_000): Promise<void> {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`vite preview exited (${child.exitCode ?? child.signalCode}): ${output()}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error(`vite preview did not answer at ${url} within ${timeoutMs} ms: ${output()}`);
}

/** Serves dist/ with `vite preview --host 127.0.0.1 --port <free> --strictPort` in a child process. */
export async function servePreview(): Promise<{ url: string; close: () => Promise<void> }> {
  let lastError: Error | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = spawn(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout!.on('data', (d: Buffer) => void (log = (log + d.toString()).slice(-2000)));
    child.stderr!.on('data', (d: Buffer) => void (log = (log + d.toString()).slice(-2000)));
    const stop = (): void => void child.kill('SIGTERM');
    process.once('exit', stop);
    const url = `http://127.0.0.1:${port}/`;
    try {
      await waitServing(url, child, () => log);
    } catch (e) {
      stop();
      process.off('exit', stop);
      lastError = e as Error;
      continue; // e.g. the port was taken between freePort() and the child's listen
    }
    return {
      url,
      close: async () => {
        process.off('exit', stop);
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
        stop();
        await exited;
      },
    };
  }
  throw lastError ?? new Error('vite preview did not start');
}

export interface Session {
  browser: Browser;
  context: BrowserContext;
  url: string;
  /** Console errors and warnings, and page errors, since the page opened. */
  problems: string[];
  open(viewport?: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
}

/** Builds, serves (vite preview) and launches Chromium with a fresh profile. */
export async function startSession(): Promise<Session> {
  ensureBuilt();
  const server = await servePreview();
  const userDataDir = mkdtempSync(join(tmpdir(), 'slicebench-e2e-'));
  let browser: Browser;
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, viewport: { width: 1600, height: 1000 } });
    browser = context.browser()!;
  } catch (e) {
    await server.close();
    throw new Error(`could not launch ${CHROMIUM}: ${(e as Error).message}`);
  }
  const problems: string[] = [];
  return {
    browser,
    context,
    url: server.url,
    problems,
    async open(viewport) {
      const page = await context.newPage();
      if (viewport) await page.setViewportSize(viewport);
      page.on('console', (m: ConsoleMessage) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      await page.goto(server.url);
      return page;
    },
    async close() {
      await context.close();
      await server.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Waits until the app has loaded a scenario (the timeline knows the duration). */
export async function waitLoaded(page: Page, scenarioName?: RegExp | string): Promise<void> {
  await page.getByRole('slider', { name: 'Timeline' }).waitFor();
  await page.waitForFunction(() => Number(document.querySelector('input[aria-label="Timeline"]')?.getAttribute('max') ?? 0) > 0);
  if (scenarioName) await page.getByRole('heading', { name: scenarioName }).first().waitFor();
}

/** Waits until every run has reached the end (the clock reads `end / end`). */
export async function finished(page: Page, timeoutMs = 30_000): Promise<void> {
  await page.waitForFunction(() => {
    const [now, end] = (document.querySelector('output[aria-label="Simulated time"]')?.textContent ?? '').split(' / ');
    return !!end && now === end;
  }, undefined, { timeout: timeoutMs });
}

/** The text of one summary metric (`data-metric`, e.g. traceHash, alloc) of a run's summary card. */
export async function metric(page: Page, run: string, key: string): Promise<string> {
  return (await page.getByRole('article', { name: `Summary of ${run}` }).locator(`[data-metric="${key}"]`).textContent())?.trim() ?? '';
}

/** Opens the gang deadlock, runs it to the end and opens "why is it waiting?" on the first waiting pod; returns the panel. */
export async function whyWaitingInDeadlock(page: Page): Promise<Locator> {
  await page.getByRole('combobox', { name: 'Preset scenario' }).selectOption('gang-deadlock');
  await waitLoaded(page, 'Training gang deadlock');
  await page.getByRole('button', { name: 'Run to the end' }).click();
  await finished(page);
  await page.getByRole('button', { name: /^Why is .* waiting\?$/ }).first().click();
  const panel = page.getByRole('complementary', { name: 'Why here?' });
  await panel.getByRole('table', { name: 'Rejected nodes by reason' }).waitFor();
  return panel;
}

/** The scenario the workbench opens with (src/ui/presets.ts START_PRESET). */
export const START_SCENARIO = 'Small mixed cluster';

/** What a browser suite's tests use; read inside tests (set by the suite's beforeAll). */
export interface BrowserSuite {
  /** The session: context, url, open(), problems. */
  readonly s: Session;
  /** The workbench page opened before the tests (absent when the suite opens no page). */
  readonly page: Page;
}

export interface BrowserSuiteOptions {
  /** Viewport of the first page (default 1600×1000). */
  viewport?: { width: number; height: number };
  /** Heading to wait for on the first page (default the starting preset); null: any loaded scenario; false: open no page. */
  scenario?: RegExp | string | null | false;
}

/**
 * A describe block of browser tests: skipped when browserWanted() is false; before its tests, one session (build,
 * vite preview, Chromium) and the workbench page opened and loaded; after them, everything closed.
 */
export function describeBrowser(name: string, options: BrowserSuiteOptions, body: (w: BrowserSuite) => void): void {
  describe.skipIf(!browserWanted())(name, () => {
    let session: Session | null = null;
    let first: Page | null = null;
    beforeAll(async () => {
      session = await startSession();
      if (options.scenario === false) return;
      first = await session.open(options.viewport ?? { width: 1600, height: 1000 });
      await waitLoaded(first, options.scenario === null ? undefined : (options.scenario ?? START_SCENARIO));
    });
    afterAll(async () => {
      await session?.close();
    });
    body({
      get s() {
        if (!session) throw new Error('the browser session has not started (beforeAll failed?)');
        return session;
      },
      get page() {
        if (!first) throw new Error(options.scenario === false ? 'this suite opens no page (scenario: false)' : 'the workbench page is not open (beforeAll failed?)');
        return first;
      },
    });
  });
}
