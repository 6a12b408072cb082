/**
 * TEST-ONLY: the Express app (createAutoskillApp) on 127.0.0.1 over a temp store, optionally in
 * front of the fake upstream, plus small HTTP and SSE helpers.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { createAutoskillApp, type AutoskillApp, type AutoskillAppOptions } from '../../src/adapters/express/index.js';
import { AutoSkill, type AutoSkillOptions } from '../../src/engine/autoskill.js';
import type { FakeUpstream } from './fake-upstream.js';

export interface Proxy {
  /** http://127.0.0.1:port */
  base: string;
  sdk: AutoSkill;
  app: AutoskillApp;
  dir: string;
  /** an official OpenAI client pointed at the proxy */
  client(apiKey?: string, headers?: Record<string, string>): OpenAI;
  close(): Promise<void>;
}

export interface ProxyOptions {
  upstream?: FakeUpstream;
  sdk?: AutoSkillOptions;
  app?: Omit<AutoskillAppOptions, 'sdk'>;
}

export async function startProxy(opts: ProxyOptions = {}): Promise<Proxy> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'autoskill-express-'));
  // Tiny test stores give low IDF, so scores stay well below the production default (0.25).
  const sdk = await AutoSkill.open({ storeDir: dir, ...opts.sdk, retrieval: { minScore: 0.05, ...opts.sdk?.retrieval } });
  const upstream = opts.upstream ? new OpenAI({ apiKey: 'upstream-key', baseURL: opts.upstream.url, maxRetries: 0, timeout: 5000 }) : undefined;
  // Tests read the job id from every answer, so they wait for the journal write however slow the disk.
  const app = createAutoskillApp({ sdk, scheduleTimeoutMs: 30_000, ...(upstream ? { upstream, model: 'fake-model' } : {}), ...opts.app });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    sdk,
    app,
    dir,
    client: (apiKey = 'anything', headers = {}) => new OpenAI({ apiKey, baseURL: `${base}/v1`, maxRetries: 0, timeout: 10_000, defaultHeaders: headers }),
    async close() {
      app.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await sdk.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface JsonResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** fetch + JSON; `body` objects are sent as JSON, strings/bytes as given. */
export async function call<T = any>(
  base: string,
  method: string,
  url: string,
  opts: { body?: unknown; headers?: Record<string, string>; key?: string; user?: string } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  if (opts.user) headers['x-autoskill-user'] = opts.user;
  let body: BodyInit | undefined;
  if (opts.body instanceof Uint8Array || typeof opts.body === 'string') body = opts.body as BodyInit;
  else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(base + url, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body: parsed as T };
}

export interface SseEvent {
  event: string;
  data: string;
}

/** Read a whole SSE response into events (comments are kept as event `comment`). */
export async function readSse(res: Response): Promise<SseEvent[]> {
  const text = await res.text();
  const events: SseEvent[] = [];
  for (const block of text.split('\n\n')) {
    if (!block.trim()) continue;
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) events.push({ event: 'comment', data: line.slice(1).trim() });
      else if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
    }
    if (data.length) events.push({ event, data: data.join('\n') });
  }
  return events;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
