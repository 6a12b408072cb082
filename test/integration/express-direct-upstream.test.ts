import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createAutoskillApp, type AutoskillApp } from '../../src/adapters/express/index.js';
import { AutoSkill } from '../../src/engine/autoskill.js';

/**
 * The direct upstream path (shared/direct-upstream.ts) against the `openai` client path it
 * replaces for non-stream calls: two proxies on one store and one scripted upstream, one with a
 * stock client (direct path) and one whose client has a request hook (so the client makes the
 * call). Every scenario goes through both, and what the caller gets (status, body bytes, relayed
 * headers) and what the upstream received (method, path, headers, body) must be the same: a
 * difference in either direction fails here.
 */

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

type Script = (res: import('node:http').ServerResponse) => void;

let upstream: Server;
let upstreamUrl: string;
const seen: Seen[] = [];
let script: Script = (res) => res.end();

let dir: string;
let sdk: AutoSkill;
const servers: Array<{ app: AutoskillApp; server: Server; base: string }> = [];

/** A client subclass with a request hook: not eligible for the direct path. */
class HookedOpenAI extends OpenAI {
  protected override async prepareRequest(...args: Parameters<OpenAI['prepareRequest']>): Promise<void> {
    await super.prepareRequest(...args);
  }
}

async function proxy(client: OpenAI, upstreamTimeoutMs?: number) {
  const app = createAutoskillApp({ sdk, upstream: client, model: 'm', learning: false, ...(upstreamTimeoutMs ? { upstreamTimeoutMs } : {}) });
  const server: Server = await new Promise((r) => {
    const s = app.listen(0, '127.0.0.1', () => r(s));
  });
  const p = { app, server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  servers.push(p);
  return p;
}

beforeAll(async () => {
  upstream = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      script(res);
    });
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;
  dir = await mkdtemp(path.join(os.tmpdir(), 'autoskill-direct-'));
  sdk = await AutoSkill.open({ storeDir: dir, learning: { start: false } });
});

afterAll(async () => {
  for (const { app, server } of servers) {
    app.close();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
  upstream.closeAllConnections();
  await new Promise<void>((r) => upstream.close(() => r()));
  await sdk.close();
  await rm(dir, { recursive: true, force: true });
});

const options = (timeout = 5000) => ({ apiKey: 'up-key', baseURL: upstreamUrl, maxRetries: 0, timeout, organization: 'org-1', defaultHeaders: { 'x-extra': 'yes' } });

interface Answer {
  status: number;
  body: string;
  headers: Record<string, string | null>;
}

const RELAYED = ['content-type', 'retry-after', 'x-ratelimit-remaining-requests', 'x-upstream-request-id', 'x-autoskill-skills'];

async function ask(base: string, route: string, body: unknown): Promise<Answer> {
  const res = await fetch(`${base}${route}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-autoskill-user': 'd' }, body: JSON.stringify(body) });
  const headers: Record<string, string | null> = {};
  for (const h of RELAYED) headers[h] = res.headers.get(h);
  return { status: res.status, body: await res.text(), headers };
}

/** The same request through both proxies; both answers and both upstream requests must match. */
async function both(route: string, body: unknown, s: Script, timeout?: number): Promise<Answer> {
  script = s;
  const direct = await proxy(new OpenAI(options()), timeout);
  const hooked = await proxy(new HookedOpenAI(options()), timeout);
  expect(direct.app.autoskill.context.direct).toBeDefined();
  expect(hooked.app.autoskill.context.direct).toBeUndefined();
  seen.length = 0;
  const a = await ask(direct.base, route, body);
  const b = await ask(hooked.base, route, body);
  expect(a).toEqual(b);
  if (seen.length === 2) {
    // The client names its class in user-agent; the subclass here is only the test's way to take the client path.
    expect(seen[0]!.headers['user-agent']).toMatch(/^OpenAI\/JS /);
    const ua = (s: Seen) => ({ ...s, headers: { ...s.headers, 'user-agent': undefined, host: undefined } });
    expect(ua(seen[0]!)).toEqual(ua(seen[1]!));
  }
  return a;
}

const RAW = '{ "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "m",\n "choices": [ { "index": 0, "finish_reason": "stop", "message": { "role": "assistant", "content": "Grüße 🙂" } } ], "x": [1.0, 2e3] }';
const CHAT = { model: 'm', messages: [{ role: 'user', content: 'hello there' }], temperature: 0.2, vendor_field: { a: 1 } };

describe('direct upstream path = the client path', () => {
  test('a 200 JSON answer: the same bytes and relayed headers; the upstream got the same request', async () => {
    const a = await both('/v1/chat/completions', CHAT, (res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req-1', 'x-ratelimit-remaining-requests': '9', 'x-other': 'no' });
      res.end(RAW);
    });
    expect(a.status).toBe(200);
    expect(a.body).toBe(RAW);
    expect(a.headers['x-upstream-request-id']).toBe('req-1');
    expect(seen[0]!.headers).toMatchObject({ authorization: 'Bearer up-key', 'openai-organization': 'org-1', 'x-extra': 'yes', 'content-type': 'application/json' });
    expect(JSON.parse(seen[0]!.body)).toEqual(CHAT);
  });

  test('gzip, a text answer, an empty JSON body', async () => {
    expect((await both('/v1/chat/completions', CHAT, (res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(gzipSync(RAW));
    })).body).toBe(RAW);
    expect((await both('/v1/chat/completions', CHAT, (res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('plain words');
    })).body).toBe('"plain words"');
    await both('/v1/chat/completions', CHAT, (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end();
    });
  });

  test('upstream errors: status, error fields and rate-limit headers; a non-JSON error page; a 200 that is not JSON', async () => {
    const limited = await both('/v1/chat/completions', CHAT, (res) => {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '7', 'x-ratelimit-remaining-requests': '0' });
      res.end(JSON.stringify({ error: { message: 'slow down', type: 'rate_limit_error', param: null, code: 'rate_limited' } }));
    });
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('7');
    expect(JSON.parse(limited.body)).toEqual({ error: { message: 'slow down', type: 'rate_limit_error', param: null, code: 'rate_limited' } });
    const page = await both('/v1/chat/completions', CHAT, (res) => {
      res.writeHead(503, { 'content-type': 'text/html' });
      res.end('<html>down</html>');
    });
    expect(page.status).toBe(503);
    const broken = await both('/v1/chat/completions', CHAT, (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id": ');
    });
    expect(broken.status).toBe(502);
  });

  test('a pooled connection the upstream resets as it is reused: the request goes out again on a new one', async () => {
    // every connection answers its first request (keep-alive) and is reset on its second: the
    // race of a keep-alive socket the upstream closes just as the proxy reuses it
    const conns: net.Socket[] = [];
    let answered = 0;
    const flaky = net.createServer((sock) => {
      conns.push(sock);
      let requests = 0;
      sock.on('data', (d: Buffer) => {
        if (!d.includes('\r\n\r\n')) return;
        if (++requests > 1) return void sock.resetAndDestroy();
        answered++;
        sock.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(RAW)}\r\nconnection: keep-alive\r\n\r\n${RAW}`);
      });
      sock.on('error', () => {});
    });
    await new Promise<void>((r) => flaky.listen(0, '127.0.0.1', () => r()));
    try {
      const url = `http://127.0.0.1:${(flaky.address() as AddressInfo).port}/v1`;
      const p = await proxy(new OpenAI({ ...options(), baseURL: url }));
      expect(p.app.autoskill.context.direct).toBeDefined();
      const first = await ask(p.base, '/v1/chat/completions', CHAT);
      const second = await ask(p.base, '/v1/chat/completions', CHAT);
      expect([first.status, second.status]).toEqual([200, 200]);
      expect(JSON.parse(second.body).choices[0].message.content).toBe('Grüße 🙂');
      expect(answered).toBe(2);
    } finally {
      for (const c of conns) c.destroy();
      await new Promise<void>((r) => flaky.close(() => r()));
    }
  });

  test('no answer in time (504), an unreachable upstream (502)', async () => {
    const late = await both('/v1/chat/completions', CHAT, (res) => setTimeout(() => res.end('{}'), 1500), 200);
    expect(late.status).toBe(504);
    expect(JSON.parse(late.body).error.code).toBe('upstream_timeout');

    const dead = createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(dead.address() as AddressInfo).port}/v1`;
    await new Promise<void>((r) => dead.close(() => r()));
    const a = await ask((await proxy(new OpenAI({ ...options(), baseURL: url }))).base, '/v1/chat/completions', CHAT);
    const b = await ask((await proxy(new HookedOpenAI({ ...options(), baseURL: url }))).base, '/v1/chat/completions', CHAT);
    expect(a).toEqual(b);
    expect(a.status).toBe(502);
    expect(JSON.parse(a.body).error).toMatchObject({ code: 'upstream_unreachable', message: 'cannot reach the upstream model: Connection error.' });
  });

  test('streams: the same frames, in-stream errors, broken events, errors before the first byte, a stall', async () => {
    const chunk = (content: string, finish: string | null = null) =>
      JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: finish }] });
    const sse = (frames: string[], end = true) => (res: import('node:http').ServerResponse) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'x-request-id': 'req-s' });
      for (const f of frames) res.write(f);
      if (end) res.end();
    };
    const ok = await both('/v1/chat/completions', { ...CHAT, stream: true }, sse([`data: ${chunk('Hel')}\n\n`, 'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":" "}}]}\n\n', `: keep-alive\n\ndata: ${chunk('lo', 'stop')}\r\n\r\n`, 'data: [DONE]\n\n']));
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('"content":"lo"');
    expect(ok.body.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(JSON.parse(seen[0]!.body)).toEqual({ ...CHAT, stream: true });

    const failed = await both('/v1/chat/completions', { ...CHAT, stream: true }, sse([`data: ${chunk('a')}\n\n`, `data: ${JSON.stringify({ error: { message: 'overloaded', type: 'server_error' } })}\n\n`]));
    expect(failed.body).toContain('overloaded');
    const malformed = await both('/v1/chat/completions', { ...CHAT, stream: true }, sse([`data: ${chunk('a')}\n\n`, 'data: {"id": \n\n']));
    expect(malformed.body).toContain('upstream_error');
    const before = await both('/v1/chat/completions', { ...CHAT, stream: true }, (res) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'boom', type: 'server_error' } }));
    });
    expect(before.status).toBe(500);
    const stalled = await both('/v1/chat/completions', { ...CHAT, stream: true }, sse([`data: ${chunk('a')}\n\n`], false), 300);
    expect(stalled.body).toContain('stopped sending');
  });

  test('stream framing as the client reads it: CRLF and lone CR, splits mid-line and mid-character, comments, multi-line data, gzip', async () => {
    const c = (content: string) => JSON.stringify({ id: 'c2', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: null }] });
    // Written piece by piece with pauses, so the proxy reads them as separate chunks.
    const pieces = (parts: Array<string | Buffer>, gzip = false) => (res: import('node:http').ServerResponse) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', ...(gzip ? { 'content-encoding': 'gzip' } : {}) });
      if (gzip) {
        res.end(gzipSync(Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)))));
        return;
      }
      let i = 0;
      const next = () => {
        if (i === parts.length) return void res.end();
        res.write(parts[i++]!);
        setTimeout(next, 3);
      };
      next();
    };
    const emoji = Buffer.from(`data: ${c('Grüße 🙂')}\n\n`);
    const cut = emoji.indexOf(Buffer.from('🙂')) + 2;
    const frames: Array<string | Buffer> = [
      `data: ${c('a')}\r\n\r`,
      `\n: a comment\r\rdata: ${c('b').slice(0, 20)}`,
      `${c('b').slice(20)}\n\n`,
      emoji.subarray(0, cut),
      emoji.subarray(cut),
      'data: {"id":"c2","object":"chat.completion.chunk","created":1,"model":"m",\ndata: "choices":[]}\n\nretry: 5\nid: 7\n\n',
      `event: delta\ndata:${c('no space')}\n\n`,
      // A CR ending a chunk, the LF of its CRLF opening the next: one line break, not two.
      'data: {"id":"c3","object":"chat.completion.chunk",\r',
      '\ndata: "created":1,"model":"m","choices":[{"index":0,"delta":{"content":"joined"},"finish_reason":null}]}\n\n',
    ];
    const framed = await both('/v1/chat/completions', { ...CHAT, stream: true }, pieces([...frames, 'data: [DONE]\n\n', `data: ${c('after done')}\n\n`]));
    expect(framed.body).toContain('🙂');
    expect(framed.body).toContain('joined');
    expect(framed.body).not.toContain('after done');
    // No [DONE] and no blank line after the last event: it still counts.
    const open = await both('/v1/chat/completions', { ...CHAT, stream: true }, pieces([`data: ${c('x')}\n\n`, `data: ${c('unterminated')}`]));
    expect(open.body).toContain('unterminated');
    expect((await both('/v1/chat/completions', { ...CHAT, stream: true }, pieces([...frames, 'data: [DONE]\n\n'], true))).body).toContain('no space');
    const errorEvent = await both('/v1/chat/completions', { ...CHAT, stream: true }, pieces([`data: ${c('x')}\n\n`, 'event: error\ndata: {"message":"upstream hiccup","type":"server_error"}\n\n']));
    expect(errorEvent.body).toContain('upstream hiccup');
  });

  test('Responses API: the same bytes, and the same errors', async () => {
    const RESP = '{ "id": "resp_1", "object": "response", "status": "completed", "output": [ { "type": "message", "role": "assistant", "content": [ { "type": "output_text", "text": "hi" } ] } ] }';
    const ok = await both('/v1/responses', { model: 'm', input: 'hello there' }, (res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'r-9' });
      res.end(RESP);
    });
    expect(ok.body).toBe(RESP);
    expect(seen[0]!.url).toBe('/v1/responses');
    const bad = await both('/v1/responses', { model: 'm', input: 'hello there' }, (res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'bad input', type: 'invalid_request_error', param: 'input', code: null } }));
    });
    expect(bad.status).toBe(400);
    const event = (type: string, seq: number, extra: Record<string, unknown> = {}) => `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq, ...extra })}\n\n`;
    const streamed = await both('/v1/responses', { model: 'm', input: 'hello there', stream: true }, (res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(event('response.created', 0, { response: { id: 'resp_2', object: 'response', status: 'in_progress', output: [] } }));
      res.write(event('response.output_text.delta', 1, { item_id: 'm1', output_index: 0, content_index: 0, delta: 'hi' }));
      res.end(event('response.completed', 2, { response: { id: 'resp_2', object: 'response', status: 'completed', output: [] } }));
    });
    expect(streamed.body).toContain('event: response.completed');
    expect(JSON.parse(seen[0]!.body)).toEqual({ model: 'm', input: 'hello there', stream: true });
    expect(JSON.parse(bad.body).error).toMatchObject({ message: 'bad input', param: 'input' });
  });
});
