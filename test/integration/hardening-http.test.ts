/**
 * Issue 16 (hostile input and hostile users), HTTP side: DNS rebinding (Host/Origin) on the API
 * and MCP, 4xx instead of 5xx for client mistakes, and per-user MCP session limits.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createAutoskillApp, type AutoskillApp } from '../../src/adapters/express/index.js';
import { hostOriginProblem } from '../../src/adapters/shared/host-origin.js';
import { AutoSkill } from '../../src/engine/autoskill.js';
import { expressActorResolver } from '../../src/mcp/express-actor.js';
import { mcpHttpHandler, type McpHttpHandler } from '../../src/mcp/http.js';
import { KeyRing } from '../../src/adapters/express/auth.js';

const KEY_A = 'user-a-key-0123456789';
const KEY_B = 'user-b-key-0123456789';

interface Served {
  port: number;
  sdk: AutoSkill;
  app: AutoskillApp;
  mcp: McpHttpHandler;
  close(): Promise<void>;
}

async function serve(opts: { keyed: boolean; allowedHosts?: string[]; allowedOrigins?: string[] }): Promise<Served> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'autoskill-hard-http-'));
  const sdk = await AutoSkill.open({ storeDir: dir, learning: { mode: 'never' } });
  const keys = opts.keyed ? new KeyRing({ [KEY_A]: { user: 'ua' }, [KEY_B]: { user: 'ub' } }) : undefined;
  const hostPolicy = { allowedHosts: opts.allowedHosts ?? [], allowedOrigins: opts.allowedOrigins ?? [], enforceHost: !keys || !!opts.allowedHosts?.length };
  const mcp = mcpHttpHandler({ sdk, resolveActor: expressActorResolver({ keys }), hostPolicy, maxSessionsPerUser: 8, maxSessions: 40 });
  const app = createAutoskillApp({
    sdk,
    ...(keys ? { apiKeys: keys } : {}),
    ...(opts.allowedHosts ? { allowedHosts: opts.allowedHosts } : {}),
    ...(opts.allowedOrigins ? { allowedOrigins: opts.allowedOrigins } : {}),
    mount: (a) => a.all('/mcp', mcp),
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    port: (server.address() as AddressInfo).port,
    sdk,
    app,
    mcp,
    async close() {
      app.close();
      await mcp.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await sdk.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A raw request (node:http lets a test set any Host header). */
function request(port: number, method: string, p: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; body: any; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: p, headers: { ...headers, ...(body ? { 'content-length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // SSE or text
        }
        resolve({ status: res.statusCode ?? 0, body: parsed, headers: res.headers });
      });
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

const INIT = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 'hardening-test', version: '1.0.0' } },
});
const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

describe('Host and Origin (DNS rebinding), trusted mode', () => {
  let s: Served;
  beforeAll(async () => {
    s = await serve({ keyed: false });
  });
  afterAll(async () => s.close());

  test('a foreign Host gets 403 on the API and on MCP; loopback names pass', async () => {
    for (const host of ['evil.example', `evil.example:${s.port}`, 'attacker.test:80', '192.168.1.10']) {
      const list = await request(s.port, 'GET', '/v1/autoskill/skills', { host });
      expect(list.status, host).toBe(403);
      expect(list.body.error.type).toBe('permission_error');
      const plant = await request(s.port, 'POST', '/v1/autoskill/skills', { host, 'content-type': 'application/json' }, JSON.stringify({ name: 'x', description: 'y', instructions: 'z' }));
      expect(plant.status, host).toBe(403);
      const mcp = await request(s.port, 'POST', '/mcp', { host, ...MCP_HEADERS }, INIT);
      expect(mcp.status, host).toBe(403);
    }
    expect(s.sdk.list()).toHaveLength(0);
    expect(s.mcp.sessionCount).toBe(0);
    for (const host of [`127.0.0.1:${s.port}`, `localhost:${s.port}`, `[::1]:${s.port}`, 'localhost', '127.0.0.1']) {
      const res = await request(s.port, 'GET', '/v1/autoskill/skills', { host });
      expect(res.status, host).toBe(200);
    }
    const mcp = await request(s.port, 'POST', '/mcp', { host: `localhost:${s.port}`, ...MCP_HEADERS }, INIT);
    expect(mcp.status).toBe(200);
  });

  test('a foreign Origin gets 403 on the API and on MCP; loopback and same-origin pages pass', async () => {
    const host = `127.0.0.1:${s.port}`;
    for (const origin of ['https://evil.example', 'http://evil.example:' + s.port, 'null']) {
      expect((await request(s.port, 'GET', '/v1/autoskill/skills', { host, origin })).status, origin).toBe(403);
      expect((await request(s.port, 'POST', '/mcp', { host, origin, ...MCP_HEADERS }, INIT)).status, origin).toBe(403);
    }
    for (const origin of [`http://127.0.0.1:${s.port}`, `http://localhost:${s.port}`, 'http://localhost:5173']) {
      expect((await request(s.port, 'GET', '/v1/autoskill/skills', { host, origin })).status, origin).toBe(200);
    }
  });
});

describe('Host and Origin with --allowed-hosts / --allowed-origins', () => {
  let s: Served;
  beforeAll(async () => {
    s = await serve({ keyed: false, allowedHosts: ['skills.internal'], allowedOrigins: ['https://app.example'] });
  });
  afterAll(async () => s.close());

  test('listed names pass, others still get 403', async () => {
    expect((await request(s.port, 'GET', '/v1/autoskill/skills', { host: `skills.internal:${s.port}` })).status).toBe(200);
    expect((await request(s.port, 'GET', '/v1/autoskill/skills', { host: `other.internal:${s.port}` })).status).toBe(403);
    const host = `127.0.0.1:${s.port}`;
    expect((await request(s.port, 'GET', '/v1/autoskill/skills', { host, origin: 'https://app.example' })).status).toBe(200);
    expect((await request(s.port, 'POST', '/mcp', { host, origin: 'https://app.example', ...MCP_HEADERS }, INIT)).status).toBe(200);
    expect((await request(s.port, 'GET', '/v1/autoskill/skills', { host, origin: 'https://app.example.evil' })).status).toBe(403);
    // same origin as an allowed host (the web page served under that name)
    expect((await request(s.port, 'GET', '/v1/autoskill/skills', { host: `skills.internal:${s.port}`, origin: `http://skills.internal:${s.port}` })).status).toBe(200);
  });

  test('the policy function on its own', () => {
    expect(hostOriginProblem({ host: 'localhost:1' })).toBeUndefined();
    expect(hostOriginProblem({ host: 'localhost.evil.example' })).toMatch(/not allowed/);
    expect(hostOriginProblem({ host: 'a.localhost' })).toBeUndefined();
    expect(hostOriginProblem({ host: 'x' }, { allowedHosts: ['*'] })).toBeUndefined();
    expect(hostOriginProblem({ host: 'x', origin: 'https://y' }, { allowedHosts: ['*'] })).toMatch(/origin/);
    expect(hostOriginProblem({ host: 'x:1', origin: 'https://y' }, { enforceHost: false })).toMatch(/origin/);
    expect(hostOriginProblem({ host: 'x:1', origin: 'http://x:1' }, { enforceHost: false })).toBeUndefined();
  });
});

describe('client mistakes answer 4xx in the OpenAI error shape', () => {
  let s: Served;
  beforeAll(async () => {
    s = await serve({ keyed: false });
  });
  afterAll(async () => s.close());

  test('a malformed percent escape in the path is a 400 on every id route', async () => {
    const host = `127.0.0.1:${s.port}`;
    const routes: Array<[string, string]> = [
      ['GET', '/v1/autoskill/skills/%ff%fe'],
      ['GET', '/v1/autoskill/skills/%ff%fe/md'],
      ['PUT', '/v1/autoskill/skills/%ff%fe/md'],
      ['DELETE', '/v1/autoskill/skills/%ff%fe'],
      ['GET', '/v1/autoskill/skills/%ff%fe/versions'],
      ['GET', '/v1/autoskill/skills/%ff%fe/versions/0.1.0'],
      ['GET', '/v1/autoskill/skills/%ff%fe/diff'],
      ['POST', '/v1/autoskill/skills/%ff%fe/rollback'],
      ['GET', '/v1/autoskill/skills/%E0%A4%A/export'],
    ];
    for (const [method, url] of routes) {
      const body = method === 'PUT' || method === 'POST' ? '{}' : undefined;
      const res = await request(s.port, method, url, { host, ...(body ? { 'content-type': 'application/json' } : {}) }, body);
      expect(res.status, `${method} ${url}`).toBe(400);
      expect(res.body.error).toMatchObject({ type: 'invalid_request_error' });
    }
  });

  test('deeply nested JSON bodies are a 400, never a stack overflow or a 5xx', async () => {
    const host = `127.0.0.1:${s.port}`;
    const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
    const conv = `{"conversations":${deep(2000)}}`;
    const r1 = await request(s.port, 'POST', '/v1/autoskill/conversations/import', { host, 'content-type': 'application/json' }, conv);
    expect(r1.status).toBe(400);
    expect(r1.body.error.message).toMatch(/nests deeper/);
    let content = '"x"';
    for (let i = 0; i < 5000; i++) content = `[{"type":"text","text":${content}}]`;
    const chat = `{"model":"m","messages":[{"role":"user","content":${content}}]}`;
    const r2 = await request(s.port, 'POST', '/v1/chat/completions', { host, 'content-type': 'application/json' }, chat);
    expect(r2.status).toBe(400);
    expect(r2.body.error.type).toBe('invalid_request_error');
    const r3 = await request(s.port, 'POST', '/mcp', { host, ...MCP_HEADERS }, `{"jsonrpc":"2.0","id":1,"method":"initialize","params":${deep(3000)}}`);
    expect(r3.status).toBe(400);
    // Brackets inside strings do not count; ordinary nesting passes.
    const fine = await request(s.port, 'POST', '/v1/autoskill/validate', { host, 'content-type': 'application/json' }, JSON.stringify({ skill_md: '[[[[' .repeat(500) }));
    expect(fine.status).toBe(200);
  });
});

describe('MCP sessions are limited per user', () => {
  let s: Served;
  beforeAll(async () => {
    s = await serve({ keyed: true });
  });
  afterAll(async () => s.close());

  test("user B's 1,000 initializes do not stop user A", async () => {
    const host = `127.0.0.1:${s.port}`;
    const statuses = new Map<number, number>();
    for (let i = 0; i < 1000; i += 25) {
      const batch = await Promise.all(
        Array.from({ length: 25 }, () => request(s.port, 'POST', '/mcp', { host, authorization: `Bearer ${KEY_B}`, ...MCP_HEADERS }, INIT)),
      );
      for (const r of batch) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    }
    // B keeps getting sessions (its own oldest idle ones are closed), but never more than its cap.
    expect(statuses.get(200)).toBe(1000);
    expect(s.mcp.sessionCount).toBeLessThanOrEqual(8);
    const a = await request(s.port, 'POST', '/mcp', { host, authorization: `Bearer ${KEY_A}`, ...MCP_HEADERS }, INIT);
    expect(a.status).toBe(200);
    expect(a.headers['mcp-session-id']).toBeTruthy();
  });
});

describe('MCP: the global cap never locks a user out', () => {
  let s: Served;
  beforeAll(async () => {
    s = await serve({ keyed: false });
  });
  afterAll(async () => s.close());

  test('with the server full of other users\' idle sessions, a new user still initializes', async () => {
    const host = `127.0.0.1:${s.port}`;
    // Trusted mode: callers name themselves, so 60 "users" try to fill the 40-session cap.
    for (let i = 0; i < 60; i++) {
      const r = await request(s.port, 'POST', '/mcp', { host, 'x-autoskill-user': `filler${i}`, ...MCP_HEADERS }, INIT);
      expect(r.status).toBe(200);
    }
    expect(s.mcp.sessionCount).toBeLessThanOrEqual(40);
    const a = await request(s.port, 'POST', '/mcp', { host, 'x-autoskill-user': 'alice', ...MCP_HEADERS }, INIT);
    expect(a.status).toBe(200);
  });
});

describe('autoskill serve on a non-loopback address', () => {
  test('without API keys it refuses to start unless --insecure-no-auth, which warns', async () => {
    const { spawnSync } = await import('node:child_process');
    const { BIN, REPO, startServe } = await import('../helpers/mcp-fixture.js');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'autoskill-hard-serve-'));
    try {
      const refused = spawnSync(process.execPath, [BIN, 'serve', '--port', '0', '--host', '0.0.0.0', '--store', dir], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
      expect(refused.status).toBe(2);
      expect(refused.stderr).toMatch(/--api-keys/);
      expect(refused.stderr).toMatch(/--insecure-no-auth/);
      const served = await startServe(['--host', '0.0.0.0', '--store', dir, '--insecure-no-auth']);
      try {
        expect(served.stderr()).toMatch(/warning: --insecure-no-auth/);
        const port = new URL(served.url).port;
        // Host checks still apply: a rebinding name is refused, loopback passes.
        expect((await request(Number(port), 'GET', '/v1/autoskill/skills', { host: 'evil.example' })).status).toBe(403);
        expect((await request(Number(port), 'GET', '/v1/autoskill/skills', { host: `localhost:${port}` })).status).toBe(200);
      } finally {
        expect(await served.stop()).toBe(0);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
