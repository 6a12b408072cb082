/**
 * TEST-ONLY: real headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core) and
 * the real `autoskill serve` bin, for the web page's end-to-end tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const BIN = path.join(ROOT, 'bin/autoskill.js');
export const CHROMIUM = process.env.AUTOSKILL_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = path.join(ROOT, 'test/artifacts');

/** Run browser tests when Chromium is there; in CI a missing browser is a failure, not a skip. */
export const haveBrowser = existsSync(CHROMIUM) || process.env.CI === 'true';

/** Why the browser suites are skipped (null when they run): shown in the suite name and once on stderr. */
export const browserSkipReason = haveBrowser ? null : `Chromium not found at ${CHROMIUM}: install it (apt-get install chromium) or set AUTOSKILL_CHROMIUM`;
if (browserSkipReason) process.stderr.write(`browser tests skipped: ${browserSkipReason}\n`);

/** A browser suite's title, carrying the skip reason when there is no browser. */
export function browserSuite(name: string): string {
  return browserSkipReason ? `${name} [skipped: ${browserSkipReason}]` : name;
}

export interface Served {
  url: string;
  child: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

/** Start `autoskill serve --port 0` and resolve with its URL once it says it is listening. */
export function serve(args: string[], opts: { cwd: string; timeoutMs?: number }): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], {
    cwd: opts.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: opts.cwd, AUTOSKILL_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`serve did not start in time:\n${out}`));
    }, opts.timeoutMs ?? 60_000);
    child.stdout!.on('data', () => {
      const m = /autoskill listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, child, output: () => out, stop });
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`serve exited early:\n${out}`));
    });
  });
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** every URL the page requested */
  requests: string[];
  /** uncaught page errors and console errors */
  errors: string[];
  close(): Promise<void>;
}

/** Chromium with a fresh profile, the flags CI needs, and request/error recording. */
export async function launch(): Promise<Browser> {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'autoskill-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 860 },
    acceptDownloads: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // A failed fetch the page handles (e.g. a 400 on save) is logged by the browser; not a bug.
    if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of (400|401|403|404|503)/.test(m.text())) errors.push(`console: ${m.text()}`);
  });
  return {
    context,
    page,
    requests,
    errors,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}
