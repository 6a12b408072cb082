/**
 * Issue 16, memory poisoning: every learned version records its provenance (surface, conversation,
 * turn, and the message it came from), shown in `GET /v1/autoskill/skills/{id}/versions`. Driven
 * through the proxy (official openai client) and MCP `extract_now` over Streamable HTTP (official
 * MCP client), both against one server on 127.0.0.1.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import OpenAI from 'openai';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createAutoskillApp, type AutoskillApp } from '../../src/adapters/express/index.js';
import { AutoSkill } from '../../src/engine/autoskill.js';
import { expressActorResolver } from '../../src/mcp/express-actor.js';
import { mcpHttpHandler, type McpHttpHandler } from '../../src/mcp/http.js';
import { call } from '../helpers/express-harness.js';
import { startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream.js';

let up: FakeUpstream;
let dir: string;
let sdk: AutoSkill;
let app: AutoskillApp;
let mcp: McpHttpHandler;
let server: Server;
let base: string;

beforeAll(async () => {
  up = await startFakeUpstream();
  dir = await mkdtemp(path.join(os.tmpdir(), 'autoskill-provenance-'));
  sdk = await AutoSkill.open({ storeDir: dir, learning: { mode: 'always' } });
  mcp = mcpHttpHandler({ sdk, resolveActor: expressActorResolver({}), hostPolicy: { allowedHosts: [], allowedOrigins: [], enforceHost: true } });
  const upstream = new OpenAI({ apiKey: 'upstream-key', baseURL: up.url, maxRetries: 0, timeout: 5000 });
  app = createAutoskillApp({ sdk, upstream, model: 'fake-model', scheduleTimeoutMs: 30_000, mount: (a) => a.all('/mcp', mcp) });
  server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  app?.close();
  await mcp?.close();
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  await sdk?.close();
  await up?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

async function versionsOf(user: string, id: string): Promise<Array<{ version: string; source: Record<string, any> | null }>> {
  const res = await call(base, 'GET', `/v1/autoskill/skills/${id}/versions`, { user });
  expect(res.status).toBe(200);
  return res.body.data;
}

test('proxy: the learned version names the proxy, the conversation, the turn and the message; a merge records its own', async () => {
  const client = new OpenAI({ apiKey: 'k', baseURL: `${base}/v1`, maxRetries: 0, defaultHeaders: { 'x-autoskill-user': 'pat' } });
  const rule = "Don't hallucinate in my reports; always cite sources. Mail me at pat@example.com";
  const messages = [
    { role: 'system' as const, content: 'You are a helpful assistant.' },
    { role: 'user' as const, content: 'Write a report on the history of solar power.' },
    { role: 'assistant' as const, content: 'Here is the report on the history of solar power: ...' },
    { role: 'user' as const, content: rule },
  ];
  const { response } = await client.chat.completions
    .create({ model: 'fake-model', messages, autoskill: { session_id: 'conv-42' } } as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming)
    .withResponse();
  const job = response.headers.get('x-autoskill-job')!;
  expect(job).toMatch(/^job_/);
  const done = await sdk.jobs.wait(undefined, job);
  const learned = (done.result as { skills: Array<{ id: string }> }).skills[0]!;
  expect(learned).toBeDefined();

  const [first] = await versionsOf('pat', learned.id);
  console.log('proxy provenance:', JSON.stringify(first!.source));
  expect(first!.source).toMatchObject({ kind: 'extraction', ref: job, trigger: 'always', surface: 'proxy', session: 'conv-42', turn: 2 });
  // The message: its place in the conversation (the system prompt counts), a hash and an excerpt
  // of the redacted text (the e-mail address never reaches the history).
  const msg = first!.source!.message;
  expect(msg).toMatchObject({ role: 'user', index: 3 });
  expect(msg.excerpt).toContain("Don't hallucinate in my reports");
  expect(msg.excerpt).not.toContain('pat@example.com');
  expect(msg.sha256).not.toBe(sha(rule));
  expect(msg.sha256).toMatch(/^[0-9a-f]{64}$/);

  // The next turn of the same conversation adds a rule to the same skill: a new version, its own provenance.
  const more = [...messages, { role: 'assistant' as const, content: 'Noted.' }, { role: 'user' as const, content: 'Also in my reports, always cite sources with a link to each one.' }];
  const next = await client.chat.completions
    .create({ model: 'fake-model', messages: more, autoskill: { session_id: 'conv-42' } } as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming)
    .withResponse();
  const job2 = next.response.headers.get('x-autoskill-job')!;
  const done2 = await sdk.jobs.wait(undefined, job2);
  const versions = await versionsOf('pat', learned.id);
  console.log('versions after the second turn:', JSON.stringify(versions.map((v) => [v.version, v.source?.kind, v.source?.turn])));
  expect((done2.result as any)?.status).toBe('upserted');
  expect(versions.map((v) => v.version)).toEqual(['0.1.0', '0.1.1']);
  expect(versions[1]!.source).toMatchObject({ kind: 'merge', ref: job2, surface: 'proxy', session: 'conv-42', turn: 3, message: { role: 'user', index: 5 } });
});

test('MCP extract_now: the version names MCP, the MCP session, the turn and the message', async () => {
  const transport = new StreamableHTTPClientTransport(new URL('/mcp', base), { requestInit: { headers: { 'x-autoskill-user': 'quinn' } } });
  const client = new Client({ name: 'provenance-test', version: '1.0.0' });
  await client.connect(transport);
  try {
    const conversation = [
      { role: 'user', content: 'Draft an email to my landlord about the broken heater.' },
      { role: 'assistant', content: 'Dear landlord, ...' },
      { role: 'user', content: 'For my emails: never use exclamation marks and always sign with my initials Q.R.' },
    ];
    const r = (await client.callTool({ name: 'extract_now', arguments: { messages: conversation, wait: true } })) as CallToolResult & { structuredContent?: any };
    expect(r.isError).toBeFalsy();
    const id = r.structuredContent?.job?.result?.skills?.[0]?.id ?? r.structuredContent?.skills?.[0]?.id;
    expect(id, JSON.stringify(r.structuredContent)).toBeTruthy();
    const [v] = await versionsOf('quinn', id);
    console.log('mcp provenance:', JSON.stringify(v!.source));
    expect(v!.source).toMatchObject({
      kind: 'extraction',
      trigger: 'extract_now',
      surface: 'mcp',
      session: transport.sessionId,
      turn: 2,
      message: { role: 'user', index: 2, sha256: sha(conversation[2]!.content) },
    });
    expect(v!.source!.message.excerpt).toBe(conversation[2]!.content);
  } finally {
    await client.close();
  }
});

test('the API declares its surface (api by default, web for the page), and a hint-only extraction records the hint', async () => {
  const hint = 'Remember: my slides always use a dark background.';
  const res = await call(base, 'POST', '/v1/autoskill/extractions', { user: 'rae', body: { hint, wait: true, surface: 'web', session_id: 'tab-7' } });
  expect(res.status).toBe(200);
  const id = res.body.data?.skills?.[0]?.id ?? res.body.data?.result?.skills?.[0]?.id;
  expect(id, JSON.stringify(res.body)).toBeTruthy();
  const [v] = await versionsOf('rae', id);
  expect(v!.source).toMatchObject({ surface: 'web', session: 'tab-7', message: { role: 'hint', sha256: sha(hint), excerpt: hint } });
  expect(v!.source).not.toHaveProperty('turn');
  const bad = await call(base, 'POST', '/v1/autoskill/extractions', { user: 'rae', body: { hint, surface: 'telegram' } });
  expect(bad.status).toBe(400);
});
