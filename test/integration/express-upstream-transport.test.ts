import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createAutoskillApp } from '../../src/adapters/express/index.js';
import { leanFetch, withLeanTransport } from '../../src/adapters/shared/lean-fetch.js';
import { AutoSkill } from '../../src/engine/autoskill.js';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * The proxy's upstream transport (shared/lean-fetch.ts): the openai client on node:http with a
 * kept-alive socket. Through the real proxy, driven with the official openai client: a gzip
 * answer arrives decoded, one upstream connection serves many calls, a caller's own fetch is
 * kept, and an aborted body read fails as an abort.
 */

let upstream: Server;
let upstreamUrl: string;
const connections = { count: 0 };
let dir: string;
let sdk: AutoSkill;

const COMPLETION = { id: 'chatcmpl-gz', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'zipped hello' } }] };

beforeAll(async () => {
  upstream = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url?.endsWith('/chat/completions')) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        res.end(gzipSync(JSON.stringify(COMPLETION)));
        return;
      }
      // /slow: headers at once, then a body that never ends.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"partial":');
    });
  });
  upstream.on('connection', () => connections.count++);
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;
  dir = await mkdtemp(path.join(os.tmpdir(), 'autoskill-transport-'));
  sdk = await AutoSkill.open({ storeDir: dir, learning: { start: false } });
});
afterAll(async () => {
  upstream.closeAllConnections();
  await new Promise<void>((r) => upstream.close(() => r()));
  await sdk.close();
  await rm(dir, { recursive: true, force: true });
});

async function proxyWith(client: OpenAI) {
  const app = createAutoskillApp({ sdk, upstream: client, model: 'm', learning: false });
  const server: Server = await new Promise((r) => {
    const s = app.listen(0, '127.0.0.1', () => r(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return {
    client: new OpenAI({ apiKey: 'k', baseURL: base, maxRetries: 0 }),
    async close() {
      app.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

describe('upstream transport', () => {
  test('a gzip answer arrives decoded, and one kept-alive connection serves sequential calls', async () => {
    const p = await proxyWith(new OpenAI({ apiKey: 'up', baseURL: upstreamUrl, maxRetries: 0 }));
    try {
      const before = connections.count;
      for (let i = 0; i < 5; i++) {
        const r = await p.client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: `hi ${i}` }] });
        expect(r.choices[0]!.message.content).toBe('zipped hello');
      }
      expect(connections.count - before).toBe(1);
    } finally {
      await p.close();
    }
  });

  test("a caller's own fetch is kept", async () => {
    const seen: string[] = [];
    const own = new OpenAI({
      apiKey: 'up',
      baseURL: upstreamUrl,
      maxRetries: 0,
      fetch: (url, init) => {
        seen.push(String(url));
        return fetch(url, init);
      },
    });
    expect(withLeanTransport(own, leanFetch())).toBe(own);
    const p = await proxyWith(own);
    try {
      const r = await p.client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
      expect(r.choices[0]!.message.content).toBe('zipped hello');
      expect(seen).toEqual([`${upstreamUrl}/chat/completions`]);
    } finally {
      await p.close();
    }
  });

  test('an abort while the body is read fails as an AbortError; a refused connection as fetch failed', async () => {
    const lean = leanFetch();
    try {
      const ac = new AbortController();
      const res = await lean.fetch(`${upstreamUrl.replace('/v1', '')}/slow`, { method: 'POST', body: '{}', signal: ac.signal });
      expect(res.status).toBe(200);
      const reading = res.text();
      ac.abort();
      await expect(reading).rejects.toMatchObject({ name: 'AbortError' });
      const dead = createServer();
      await new Promise<void>((r) => dead.listen(0, '127.0.0.1', () => r()));
      const port = (dead.address() as AddressInfo).port;
      await new Promise<void>((r) => dead.close(() => r()));
      await expect(lean.fetch(`http://127.0.0.1:${port}/x`, { method: 'POST', body: '{}' })).rejects.toThrow('fetch failed');
    } finally {
      lean.close();
    }
  });
});
