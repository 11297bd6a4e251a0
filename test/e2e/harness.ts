/**
 * Shared harness of the browser tests: builds the app once (or reuses a dist/ newer than every source), serves
 * dist/ from a small static server on 127.0.0.1 with a free port, and drives Debian's Chromium through
 * playwright-core. In CI (`CI` set) a missing or broken Chromium fails the tests; locally they are skipped when
 * /usr/bin/chromium is absent.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';

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

/** Builds dist/ unless it is newer than src/, public/, shaders/ and index.html. */
export function ensureBuilt(): void {
  const index = join(DIST, 'index.html');
  const sources = ['src', 'public', 'shaders', 'index.html', 'vite.config.ts'].map((p) => join(ROOT, p)).filter(existsSync);
  if (existsSync(index) && statSync(index).mtimeMs > Math.max(...sources.map(newestMtime))) return;
  execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.wgsl': 'text/plain',
};

/** Serves `dir` on 127.0.0.1 at a free port. */
export async function serveStatic(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const root = resolve(dir);
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(root + sep) || !existsSync(file) || statSync(file).isDirectory()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('no server address');
  return { url: `http://127.0.0.1:${addr.port}/`, close: () => new Promise((ok) => server.close(() => ok())) };
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

/** Builds, serves and launches Chromium with a fresh profile. */
export async function startSession(): Promise<Session> {
  ensureBuilt();
  const server = await serveStatic(DIST);
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
