/**
 * MCP over Streamable HTTP against the real `autoskill serve` (spawned bin, --port 0, API keys):
 * sessions, authentication, per-user isolation and change notifications on the GET stream.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ResourceListChangedNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IDS, REPORT_CONVERSATION, removeDir, seededStore, startServe, type Served } from '../helpers/mcp-fixture.js';
import { RESOURCE_NOT_FOUND } from '../../src/mcp/errors.js';

const KEY_U1 = 'test-key-user-one-0123456789';
const KEY_U2 = 'test-key-user-two-0123456789';

let dir: string;
let served: Served;
const clients: Client[] = [];

interface Connected {
  client: Client;
  transport: StreamableHTTPClientTransport;
  changes: () => number;
}

async function connect(key: string | undefined): Promise<Connected> {
  const transport = new StreamableHTTPClientTransport(new URL('/mcp', served.url), {
    requestInit: { headers: key ? { authorization: `Bearer ${key}` } : {} },
  });
  const client = new Client({ name: 'mcp-http-test', version: '1.0.0' });
  let changes = 0;
  client.setNotificationHandler(ResourceListChangedNotificationSchema, () => {
    changes++;
  });
  await client.connect(transport);
  clients.push(client);
  return { client, transport, changes: () => changes };
}

async function call(client: Client, name: string, args: Record<string, unknown>) {
  return (await client.callTool({ name, arguments: args })) as CallToolResult & { structuredContent?: Record<string, any> };
}

beforeAll(async () => {
  dir = await seededStore('autoskill-mcp-http-');
  const keys = path.join(dir, 'keys.json');
  await writeFile(keys, JSON.stringify({ [KEY_U1]: { user: 'u1' }, [KEY_U2]: { user: 'u2' } }));
  served = await startServe(['--store', dir, '--api-keys', keys]);
});

afterAll(async () => {
  for (const c of clients) await c.close().catch(() => undefined);
  const code = await served?.stop();
  expect(code).toBe(0);
  await removeDir(dir);
});

describe('autoskill serve: /mcp', () => {
  it('rejects a client without an API key (401), before any session exists', async () => {
    await expect(connect(undefined)).rejects.toThrow(/401|Unauthorized/);
    await expect(connect('not-a-real-key-at-all-0000')).rejects.toThrow(/401|Unauthorized/);
  });

  it('serves tools and search to an authenticated user, in English and Chinese', async () => {
    const { client, transport } = await connect(KEY_U1);
    expect(transport.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('search_skills');
    const en = await call(client, 'search_skills', { query: 'exploratory QA of a web application, bug hunt' });
    expect(en.structuredContent!.hits[0].id).toBe(IDS.dogfood);
    const zh = await call(client, 'search_skills', { query: '把docker run命令转换成docker-compose配置' });
    expect(zh.structuredContent!.hits[0].id).toBe(IDS.docker);
  });

  it('keeps users apart: u2 cannot see, read, edit or delete u1\'s skills', async () => {
    const { client } = await connect(KEY_U2);
    const get = await call(client, 'get_skill', { id: IDS.docker });
    expect(get.isError).toBe(true);
    const del = await call(client, 'delete_skill', { id: IDS.docker });
    expect(del.isError).toBe(true);
    const save = await call(client, 'save_skill', { id: IDS.docker, skill_md: '---\nname: x\ndescription: hijack\n---\nbody\n' });
    expect(save.isError).toBe(true);
    const rb = await call(client, 'rollback_skill', { id: IDS.docker });
    expect(rb.isError).toBe(true);
    await expect(client.readResource({ uri: `skill://user/${IDS.docker}/SKILL.md` })).rejects.toMatchObject({ code: RESOURCE_NOT_FOUND });
    const { resources } = await client.listResources();
    expect(resources.some((r) => r.uri.startsWith(`skill://user/${IDS.wechat}/v0.1.0/`) && r.uri.endsWith('/SKILL.md'))).toBe(true);
    expect(resources.some((r) => r.uri.includes(IDS.docker) || r.uri.includes(IDS.game24))).toBe(false);
    const search = await call(client, 'search_skills', { query: 'docker compose 配置 转换', min_score: 0, limit: 20 });
    expect(search.structuredContent!.hits.map((h: { id: string }) => h.id)).not.toContain(IDS.docker);

    const owner = await connect(KEY_U1);
    const still = await call(owner.client, 'get_skill', { id: IDS.docker });
    expect(still.isError).toBeFalsy();
  });

  it('a session is bound to its user: another key with that session id gets 404', async () => {
    const { transport } = await connect(KEY_U1);
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });
    const headers = {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-session-id': transport.sessionId!,
      'mcp-protocol-version': '2025-06-18',
    };
    const hijack = await fetch(new URL('/mcp', served.url), { method: 'POST', headers: { ...headers, authorization: `Bearer ${KEY_U2}` }, body });
    expect(hijack.status).toBe(404);
    const unknown = await fetch(new URL('/mcp', served.url), {
      method: 'POST',
      headers: { ...headers, 'mcp-session-id': '00000000-0000-4000-8000-000000000000', authorization: `Bearer ${KEY_U1}` },
      body,
    });
    expect(unknown.status).toBe(404);
    const own = await fetch(new URL('/mcp', served.url), { method: 'POST', headers: { ...headers, authorization: `Bearer ${KEY_U1}` }, body });
    expect(own.status).toBe(200);
  });

  it('extract_now learns a skill, and the user\'s connected client gets list_changed on its GET stream', async () => {
    const { client, changes } = await connect(KEY_U1);
    // the standalone GET stream opens right after initialization; a round trip makes sure it is up
    await client.listTools();
    const r = await call(client, 'extract_now', { messages: REPORT_CONVERSATION, wait: true });
    expect(r.structuredContent).toMatchObject({ state: 'completed', status: 'upserted' });
    const learned = r.structuredContent!.skills[0];
    await vi.waitFor(() => expect(changes()).toBeGreaterThan(0), { timeout: 10_000 });
    const { resources } = await client.listResources();
    expect(resources.some((x) => x.uri.startsWith(`skill://user/${learned.id}/v0.1.0/`) && x.uri.endsWith('/SKILL.md'))).toBe(true);
    const md = await client.readResource({ uri: learned.uri });
    expect((md.contents[0] as { text: string }).text).toMatch(/cite sources/i);
  });

  it('DELETE ends the session; its id is unknown afterwards', async () => {
    const { transport } = await connect(KEY_U1);
    const id = transport.sessionId!;
    await transport.terminateSession();
    const after = await fetch(new URL('/mcp', served.url), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-session-id': id,
        authorization: `Bearer ${KEY_U1}`,
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
    });
    expect(after.status).toBe(404);
  });

  it('a request without a session that is not an initialize is a 400, not a crash', async () => {
    const res = await fetch(new URL('/mcp', served.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${KEY_U1}` },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
    });
    expect(res.status).toBe(400);
    const bad = await fetch(new URL('/mcp', served.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${KEY_U1}` },
      body: '{not json',
    });
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect(bad.status).toBeLessThan(500);
  });
});
