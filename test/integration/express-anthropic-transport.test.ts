import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createAutoskillApp, type AutoskillApp } from '../../src/adapters/express/index.js';
import { AutoSkill } from '../../src/engine/autoskill.js';

/**
 * `/v1/messages` on the router's keep-alive node:http transport (shared/lean-fetch.ts, the
 * default since it replaced the global fetch there): a gzip answer reaches the official Anthropic
 * client decoded and without the upstream's content-encoding, stream bytes pass unchanged, the
 * request the upstream gets is the caller's, and sequential calls share one upstream connection.
 */

let upstream: Server;
let base: string;
let dir: string;
let sdk: AutoSkill;
let app: AutoskillApp;
let server: Server;
let proxyUrl: string;
const seen: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
let connections = 0;

const MESSAGE = { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-x', content: [{ type: 'text', text: 'Grüße 🙂' }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 3, output_tokens: 2 } };
const SSE =
  'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_2","type":"message","role":"assistant","model":"claude-x","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":3,"output_tokens":0}}}\n\n' +
  'event: ping\ndata: {"type": "ping"}\n\n' +
  'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n' +
  'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"hi"}}\n\n' +
  'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n' +
  'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":1}}\n\n' +
  'event: message_stop\ndata: {"type":"message_stop"}\n\n';

beforeAll(async () => {
  upstream = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ headers: req.headers, body });
      if (JSON.parse(body).stream) {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'request-id': 'req_s' });
        // Split mid-event: the caller must still get the bytes as sent.
        res.write(SSE.slice(0, 100));
        setTimeout(() => res.end(SSE.slice(100)), 5);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'request-id': 'req_1' });
      res.end(gzipSync(JSON.stringify(MESSAGE)));
    });
  });
  upstream.on('connection', () => connections++);
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  dir = await mkdtemp(path.join(os.tmpdir(), 'autoskill-anthropic-transport-'));
  sdk = await AutoSkill.open({ storeDir: dir, learning: { start: false } });
  app = createAutoskillApp({ sdk, learning: false, anthropic: { baseURL: base } });
  server = await new Promise((r) => {
    const s = app.listen(0, '127.0.0.1', () => r(s));
  });
  proxyUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  app.close();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  upstream.closeAllConnections();
  await new Promise<void>((r) => upstream.close(() => r()));
  await sdk.close();
  await rm(dir, { recursive: true, force: true });
});

describe('Anthropic upstream transport', () => {
  test('a gzip answer arrives decoded through the official client; sequential calls share one upstream connection', async () => {
    const client = new Anthropic({ apiKey: 'caller-key', baseURL: proxyUrl, maxRetries: 0 });
    const before = connections;
    for (let i = 0; i < 3; i++) {
      const { data, response } = await client.messages.create({ model: 'claude-x', max_tokens: 10, messages: [{ role: 'user', content: `hi ${i}` }] }).withResponse();
      expect(data.content).toEqual(MESSAGE.content);
      expect(response.headers.get('content-encoding')).toBeNull();
      expect(response.headers.get('request-id')).toBe('req_1');
    }
    expect(connections - before).toBe(1);
    const last = seen.at(-1)!;
    expect(JSON.parse(last.body)).toEqual({ model: 'claude-x', max_tokens: 10, messages: [{ role: 'user', content: 'hi 2' }] });
    // Trusted mode, no key of our own: the caller's credentials pass through.
    expect(last.headers.authorization ?? last.headers['x-api-key']).toMatch(/caller-key/);
    expect(last.headers['anthropic-version']).toMatch(/\S/);
  });

  test('stream bytes pass unchanged', async () => {
    const res = await fetch(`${proxyUrl}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'claude-x', max_tokens: 10, stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('request-id')).toBe('req_s');
    expect(await res.text()).toBe(SSE);
  });
});
