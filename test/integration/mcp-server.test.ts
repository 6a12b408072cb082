/**
 * The MCP server in process: the official MCP `Client` over an InMemoryTransport linked pair,
 * on a temp store seeded with real bank skills.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ResourceListChangedNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AutoSkill } from '../../src/engine/autoskill.js';
import type { LlmPort } from '../../src/engine/ports/llm.js';
import { createAutoskillMcpServer } from '../../src/mcp/index.js';
import { bankFile, IDS, REPORT_CONVERSATION, removeDir, seededStore } from '../helpers/mcp-fixture.js';
import { INVALID_PARAMS, RESOURCE_NOT_FOUND } from '../../src/mcp/errors.js';

let dir: string;
let sdk: AutoSkill;
const open: Array<{ client: Client; server: McpServer }> = [];

async function connect(userId: string, admin = false): Promise<{ client: Client; changes: () => number }> {
  const server = createAutoskillMcpServer({ sdk, actor: { userId, admin }, notifyDebounceMs: 10 });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'mcp-server-test', version: '1.0.0' });
  let changes = 0;
  client.setNotificationHandler(ResourceListChangedNotificationSchema, () => {
    changes++;
  });
  await client.connect(clientSide);
  open.push({ client, server });
  return { client, changes: () => changes };
}

type Structured = Record<string, any>;

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<CallToolResult & { structuredContent?: Structured }> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult & { structuredContent?: Structured };
}

function text(r: CallToolResult): string {
  return r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
}

beforeAll(async () => {
  dir = await seededStore();
  sdk = await AutoSkill.open({ storeDir: dir });
});

afterAll(async () => {
  for (const { client, server } of open) {
    await client.close();
    await server.close();
  }
  await sdk?.close();
  await removeDir(dir);
});

describe('tools/list', () => {
  it('lists the nine tools, each with an input and an output JSON schema', async () => {
    const { client } = await connect('u1');
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(
      ['delete_skill', 'extract_now', 'get_skill', 'list_skills', 'rollback_skill', 'save_skill', 'search_skills', 'set_skill_applies', 'approve_skill'].sort(),
    );
    for (const t of tools) {
      expect(t.description?.length).toBeGreaterThan(40);
      expect(t.inputSchema.type).toBe('object');
      expect(t.outputSchema?.type).toBe('object');
    }
    const search = tools.find((t) => t.name === 'search_skills')!;
    expect(search.inputSchema.required).toEqual(['query']);
    expect((search.inputSchema.properties as Structured).scope.enum).toEqual(['all', 'user', 'common', 'library']);
    expect((search.outputSchema!.properties as Structured).hits.type).toBe('array');
    expect(tools.find((t) => t.name === 'delete_skill')!.annotations?.destructiveHint).toBe(true);
    expect(search.annotations?.readOnlyHint).toBe(true);
  });
});

describe('search_skills on real bank skills', () => {
  it('finds an English Common skill and renders its instructions', async () => {
    const { client } = await connect('u1');
    const r = await call(client, 'search_skills', { query: 'dogfood a web app: exploratory QA testing to find bugs and UX issues' });
    expect(r.isError).toBeFalsy();
    const top = r.structuredContent!.hits[0];
    expect(top).toMatchObject({ id: IDS.dogfood, scope: 'common', read_only: true, uri: `skill://common/${IDS.dogfood}/SKILL.md` });
    expect(top.score).toBeGreaterThan(0);
    expect(r.structuredContent!.included).toContain(IDS.dogfood);
    expect(r.structuredContent!.instructions).toMatch(/reproduction evidence|repro/i);
    expect(text(r)).toContain(IDS.dogfood);
  });

  it('finds Chinese skills from Chinese queries (own and Common)', async () => {
    const { client } = await connect('u1');
    const docker = await call(client, 'search_skills', { query: '把 docker run 命令转换成 docker-compose.yml 配置文件' });
    expect(docker.structuredContent!.hits[0]).toMatchObject({ id: IDS.docker, scope: 'user', read_only: false });
    const human = await call(client, 'search_skills', { query: '去除文本中的 AI 写作痕迹，让文字更自然', scope: 'common' });
    expect(human.structuredContent!.hits[0]).toMatchObject({ id: IDS.humanizer, scope: 'common' });
  });

  it('never returns another user\'s skill, whatever the query', async () => {
    const { client } = await connect('u1');
    const r = await call(client, 'search_skills', { query: '生成面向中文技术从业者的技术科普类公众号文章', limit: 20, min_score: 0 });
    expect(r.structuredContent!.hits.map((h: Structured) => h.id)).not.toContain(IDS.wechat);
    const u2 = await connect('u2');
    const r2 = await call(u2.client, 'search_skills', { query: '生成面向中文技术从业者的技术科普类公众号文章', scope: 'user' });
    expect(r2.structuredContent!.hits[0].id).toBe(IDS.wechat);
  });
});

describe('skill resources', () => {
  it('lists own + Common SKILL.md files and resource files, never other users\' skills', async () => {
    const { client } = await connect('u1');
    const { resources } = await client.listResources();
    const uris = resources.map((r) => r.uri);
    // Listed URIs are the versioned ones of the Skills extension: skill://<scope>/<id>/v<version>/<name>/<file>
    const at = (scope: string, id: string, file = 'SKILL.md') => uris.findIndex((u) => u.startsWith(`skill://${scope}/${id}/v`) && u.endsWith(`/${file}`));
    expect(at('user', IDS.docker)).toBeGreaterThanOrEqual(0);
    expect(at('user', IDS.game24)).toBeGreaterThanOrEqual(0);
    expect(at('common', IDS.dogfood)).toBeGreaterThanOrEqual(0);
    expect(at('common', IDS.dogfood, 'references/issue-taxonomy.md')).toBeGreaterThanOrEqual(0);
    expect(uris.some((u) => u.includes(IDS.wechat))).toBe(false);
    // own skills come first
    expect(at('user', IDS.docker)).toBeLessThan(at('common', IDS.dogfood));
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual(['skill://{scope}/{id}/SKILL.md', 'skill://{scope}/{id}/{+path}']);
  });

  it('reads a SKILL.md and a reference file byte-for-byte', async () => {
    const { client } = await connect('u1');
    const md = await client.readResource({ uri: `skill://common/${IDS.dogfood}/SKILL.md` });
    expect(md.contents[0]).toMatchObject({ mimeType: 'text/markdown' });
    // imported files are served as stored: byte for byte the bank file
    expect((md.contents[0] as { text: string }).text).toBe(await bankFile('dogfood', 'SKILL.md'));
    const ref = await client.readResource({ uri: `skill://common/${IDS.dogfood}/references/issue-taxonomy.md` });
    expect((ref.contents[0] as { text: string }).text).toBe(await bankFile('dogfood', 'references/issue-taxonomy.md'));
    const zh = await client.readResource({ uri: `skill://user/${IDS.docker}/SKILL.md` });
    expect((zh.contents[0] as { text: string }).text).toContain('docker-compose');
  });

  it('refuses other users\' skills, wrong scopes, missing files and traversal', async () => {
    const { client } = await connect('u1');
    await expect(client.readResource({ uri: `skill://user/${IDS.wechat}/SKILL.md` })).rejects.toMatchObject({ code: RESOURCE_NOT_FOUND });
    await expect(client.readResource({ uri: `skill://user/${IDS.dogfood}/SKILL.md` })).rejects.toMatchObject({ code: RESOURCE_NOT_FOUND });
    await expect(client.readResource({ uri: `skill://common/${IDS.dogfood}/references/nope.md` })).rejects.toMatchObject({ code: RESOURCE_NOT_FOUND });
    await expect(client.readResource({ uri: `skill://common/${IDS.dogfood}/%2E%2E/%2E%2E/secret` })).rejects.toThrow();
    await expect(client.readResource({ uri: 'skill://elsewhere/x/SKILL.md' })).rejects.toThrow();
  });
});

describe('extract_now', () => {
  it('with wait, learns a skill from a durable rule; it appears as a resource and a list_changed arrives', async () => {
    const { client, changes } = await connect('u3');
    const before = changes();
    const r = await call(client, 'extract_now', { messages: REPORT_CONVERSATION, wait: true });
    expect(r.isError).toBeFalsy();
    const s = r.structuredContent!;
    expect(s).toMatchObject({ state: 'completed', done: true, timed_out: false, status: 'upserted' });
    expect(s.job_id).toMatch(/^job_/);
    expect(s.skills).toHaveLength(1);
    const learned = s.skills[0];
    expect(learned.version).toBe('0.1.0');
    expect(learned.uri).toBe(`skill://user/${learned.id}/SKILL.md`);

    await vi.waitFor(() => expect(changes()).toBeGreaterThan(before), { timeout: 5000 });
    const { resources } = await client.listResources();
    expect(resources.some((x) => x.uri.startsWith(`skill://user/${learned.id}/v0.1.0/`) && x.uri.endsWith('/SKILL.md'))).toBe(true);
    const md = await client.readResource({ uri: learned.uri });
    expect((md.contents[0] as { text: string }).text).toMatch(/cite sources/i);
    const found = await call(client, 'search_skills', { query: 'write a report', scope: 'user', min_score: 0 });
    expect(found.structuredContent!.hits[0].id).toBe(learned.id);
  });

  it('notifies only the clients that can see the change', async () => {
    const watcher = await connect('u7');
    const learner = await connect('u8');
    const r = await call(learner.client, 'extract_now', { messages: REPORT_CONVERSATION, wait: true });
    expect(r.structuredContent!.status).toBe('upserted');
    // Both servers hear the store change in the same tick and debounce alike; once u8's
    // notification has arrived, one for u7 would have too.
    await vi.waitFor(() => expect(learner.changes()).toBeGreaterThan(0), { timeout: 5000 });
    expect(watcher.changes()).toBe(0);
    // a Common skill changing concerns everyone
    const admin = await connect('root', true);
    const md = sdk.skillMd(IDS.humanizer);
    await call(admin.client, 'save_skill', { id: IDS.humanizer, skill_md: md.replace('去除文本中的', '去掉文本中的') });
    await vi.waitFor(() => expect(watcher.changes()).toBe(1), { timeout: 5000 });
  });

  it('without wait, returns the job id at once; a transcript string works too', async () => {
    const { client } = await connect('u4');
    const r = await call(client, 'extract_now', {
      conversation: 'User: 帮我写一份项目周报\nAssistant: 好的，周报如下……\nUser: 以后都不要用 markdown，用纯文本。',
    });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent!.done).toBe(false);
    const job = await sdk.jobs.wait(undefined, r.structuredContent!.job_id);
    expect(job.state).toBe('completed');
    expect(job.userId).toBe('u4');
  });

  it('a plain request with no rule learns nothing (and says so)', async () => {
    const { client } = await connect('u5');
    const r = await call(client, 'extract_now', { messages: [{ role: 'user', content: 'What is the capital of France?' }], wait: true });
    expect(r.structuredContent).toMatchObject({ done: true, skills: [] });
    expect(r.structuredContent!.status).not.toBe('upserted');
  });
});

describe('editing: save_skill, rollback_skill, delete_skill', () => {
  it('save bumps the version and keeps history; rollback restores the old text as a new version', async () => {
    const { client } = await connect('u1');
    const got = await call(client, 'get_skill', { id: IDS.docker });
    const original: string = got.structuredContent!.skill_md;
    const v0: string = got.structuredContent!.version;
    expect(original).toContain('3. 生成基础docker-compose.yml\n');
    const edited = original.replace('3. 生成基础docker-compose.yml\n', '3. 生成基础docker-compose.yml（镜像版本必须固定，不用 latest）\n');
    const saved = await call(client, 'save_skill', { id: IDS.docker, skill_md: edited });
    expect(saved.isError).toBeFalsy();
    expect(saved.structuredContent).toMatchObject({ id: IDS.docker, previous_version: v0, created: false });
    const v1: string = saved.structuredContent!.version;
    expect(v1).not.toBe(v0);
    const after = await call(client, 'get_skill', { id: IDS.docker });
    expect(after.structuredContent!.skill_md).toContain('镜像版本必须固定');
    expect(after.structuredContent!.versions.map((v: Structured) => v.version)).toEqual(expect.arrayContaining([v0, v1]));

    const rolled = await call(client, 'rollback_skill', { id: IDS.docker, version: v0 });
    expect(rolled.isError).toBeFalsy();
    expect(rolled.structuredContent).toMatchObject({ restored_from: v0 });
    expect([v0, v1]).not.toContain(rolled.structuredContent!.version);
    const back = await call(client, 'get_skill', { id: IDS.docker });
    expect(back.structuredContent!.skill_md).not.toContain('镜像版本必须固定');
    expect(back.structuredContent!.skill_md).toContain('3. 生成基础docker-compose.yml');
  });

  it('invalid SKILL.md is rejected as a tool error and nothing is written', async () => {
    const { client } = await connect('u1');
    const v = sdk.get(IDS.game24)!.version;
    const r = await call(client, 'save_skill', { id: IDS.game24, skill_md: 'just some text, no front matter' });
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/not valid|front matter/i);
    expect(sdk.get(IDS.game24)!.version).toBe(v);
  });

  it('save_skill accepts what the reference validator accepts: a lowercase Chinese name; warnings never block', async () => {
    const { client } = await connect('u1');
    const md = (name: string) => `---\nname: ${name}\ndescription: 周报的写法。\nversion: 0.1.0\n---\n\n# 周报写作规范\n\n- 先写结论。\n`;
    const ok = await call(client, 'save_skill', { skill_md: md('周报写作规范') });
    expect(ok.isError, text(ok)).toBeFalsy();
    expect(ok.structuredContent).toMatchObject({ created: true, name: '周报写作规范' });
    const bad = await call(client, 'save_skill', { skill_md: md('周报 写作') });
    expect(bad.isError).toBe(true);
    expect(text(bad)).toMatch(/name contains characters that are not allowed \(" "\)/);
    // Leave u1's skills as the other tests expect them.
    expect((await call(client, 'delete_skill', { id: ok.structuredContent!.id })).isError).toBeFalsy();
  });

  it('Common skills are read-only; other users\' skills look missing', async () => {
    const { client } = await connect('u1');
    const md = sdk.skillMd(IDS.dogfood);
    const save = await call(client, 'save_skill', { id: IDS.dogfood, skill_md: md });
    expect(save.isError).toBe(true);
    expect(text(save)).toMatch(/read-only/);
    const del = await call(client, 'delete_skill', { id: IDS.humanizer });
    expect(del.isError).toBe(true);
    const other = await call(client, 'delete_skill', { id: IDS.wechat });
    expect(other.isError).toBe(true);
    expect(text(other)).toMatch(/^Error \(not_found\)/);
    const peek = await call(client, 'get_skill', { id: IDS.wechat });
    expect(peek.isError).toBe(true);
    expect(sdk.get(IDS.wechat)).toBeDefined();
    expect(sdk.get(IDS.humanizer)).toBeDefined();
  });

  it('an admin may edit Common skills', async () => {
    const { client } = await connect('root', true);
    const md = sdk.skillMd(IDS.humanizer);
    const before = sdk.get(IDS.humanizer)!.version;
    const r = await call(client, 'save_skill', { id: IDS.humanizer, skill_md: md.replace('去除文本中的', '去除中文文本中的') });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent!.version).not.toBe(before);
  });

  it('save without an id creates a skill; delete removes it and notifies', async () => {
    const { client, changes } = await connect('u6');
    const md = ['---', 'name: weekly-status-email', 'description: How this user wants weekly status emails written.', '---', '', '- Three bullet points, no more.', ''].join('\n');
    const created = await call(client, 'save_skill', { skill_md: md });
    expect(created.isError).toBeFalsy();
    expect(created.structuredContent).toMatchObject({ created: true, scope: 'user', version: '0.1.0' });
    const id: string = created.structuredContent!.id;
    const list = await call(client, 'list_skills', {});
    expect(list.structuredContent!.skills.map((s: Structured) => s.id)).toEqual([id]);
    await vi.waitFor(() => expect(changes()).toBeGreaterThan(0), { timeout: 5000 });
    const seen = changes();
    const del = await call(client, 'delete_skill', { id });
    expect(del.structuredContent).toEqual({ id, deleted: true });
    await vi.waitFor(() => expect(changes()).toBeGreaterThan(seen), { timeout: 5000 });
    const { resources } = await client.listResources();
    expect(resources.some((r) => r.uri.includes(id))).toBe(false);
  });

  it('list_skills pages through own + Common skills', async () => {
    const { client } = await connect('u1');
    const p1 = await call(client, 'list_skills', { scope: 'all', limit: 1 });
    expect(p1.structuredContent).toMatchObject({ scope: 'all', total: 4, offset: 0, next_offset: 1 });
    expect(p1.structuredContent!.skills[0].scope).toBe('user');
    const p4 = await call(client, 'list_skills', { scope: 'library', limit: 10 });
    expect(p4.structuredContent!.skills.map((s: Structured) => s.id).sort()).toEqual([IDS.dogfood, IDS.humanizer].sort());
    expect(p4.structuredContent!.next_offset).toBeUndefined();
  });
});

describe('bad input never crashes the server', () => {
  it('schema violations, missing arguments and unknown ids come back as tool errors', async () => {
    const { client } = await connect('u1');
    const cases: Array<[string, Record<string, unknown>]> = [
      ['search_skills', {}],
      ['search_skills', { query: '' }],
      ['search_skills', { query: 'x', limit: 999 }],
      ['search_skills', { query: 'x', scope: 'everyone' }],
      ['extract_now', {}],
      ['extract_now', { messages: [{ role: 'wizard', content: 'hi' }] }],
      ['extract_now', { hint: 'x', wait: true, timeout_seconds: 3600 }],
      ['get_skill', { id: 'no-such-skill' }],
      ['rollback_skill', { id: IDS.game24, version: '9.9.9' }],
      ['save_skill', { id: 'no-such-skill', skill_md: '---\nname: x\ndescription: y\n---\n' }],
      ['no_such_tool', {}],
    ];
    for (const [name, args] of cases) {
      const r = await call(client, name, args);
      expect(r.isError, `${name} ${JSON.stringify(args)}`).toBe(true);
      expect(text(r).length).toBeGreaterThan(5);
    }
    // still serving
    const ok = await call(client, 'get_skill', { id: IDS.game24 });
    expect(ok.isError).toBeFalsy();
  });
});

describe('use_skill prompt', () => {
  it('puts the chosen skill\'s instructions into the conversation (by id or by slug)', async () => {
    const { client } = await connect('u1');
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(['use_skill']);
    const byId = await client.getPrompt({ name: 'use_skill', arguments: { id: IDS.dogfood, task: 'test https://example.com' } });
    const msg = byId.messages[0]!;
    expect(msg.role).toBe('user');
    const body = (msg.content as { text: string }).text;
    expect(body).toContain('<skill_instructions>');
    expect(body).toContain(sdk.get(IDS.dogfood)!.instructions.trim().slice(0, 200));
    expect(body).toContain(`skill://common/${IDS.dogfood}/references/issue-taxonomy.md`);
    expect(body).toContain('Task: test https://example.com');
    const bySlug = await client.getPrompt({ name: 'use_skill', arguments: { id: 'dogfood' } });
    expect((bySlug.messages[0]!.content as { text: string }).text).toContain('<skill_instructions>');
    await expect(client.getPrompt({ name: 'use_skill', arguments: { id: IDS.wechat } })).rejects.toMatchObject({ code: INVALID_PARAMS });
  });

  it('completes skill names for the prompt argument', async () => {
    const { client } = await connect('u1');
    const r = await client.complete({ ref: { type: 'ref/prompt', name: 'use_skill' }, argument: { name: 'id', value: 'dog' } });
    expect(r.completion.values).toEqual(['dogfood']);
  });
});

describe('options', () => {
  it('needs a user: a fixed one, or a per-request resolver; no user → tool error, not a crash', async () => {
    expect(() => createAutoskillMcpServer({ sdk })).toThrow(/userId, actor or getActor/);
    let who: string | undefined;
    const server = createAutoskillMcpServer({ sdk, getActor: () => (who ? { userId: who } : undefined) });
    const [c, s] = InMemoryTransport.createLinkedPair();
    await server.connect(s);
    const client = new Client({ name: 'resolver-test', version: '1.0.0' });
    await client.connect(c);
    open.push({ client, server });
    const anon = await call(client, 'get_skill', { id: IDS.docker });
    expect(anon.isError).toBe(true);
    expect(text(anon)).toMatch(/unauthenticated/);
    who = 'u1';
    expect((await call(client, 'get_skill', { id: IDS.docker })).isError).toBeFalsy();
    who = 'u2';
    expect((await call(client, 'get_skill', { id: IDS.docker })).isError).toBe(true);
  });

  it('extract_now with wait is bounded: past maxWaitMs it returns the job state and the job keeps going', async () => {
    // A model that answers only when released: the job stays running for as long as we like.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const llm: LlmPort = { label: 'held', generate: async () => (await gate, '{}') };
    const slowDir = await mkdtemp(path.join(os.tmpdir(), 'autoskill-mcp-slow-'));
    const slow = await AutoSkill.open({ storeDir: slowDir, llm });
    try {
      const server = createAutoskillMcpServer({ sdk: slow, userId: 'u1', maxWaitMs: 1000 });
      const [c, s] = InMemoryTransport.createLinkedPair();
      await server.connect(s);
      const client = new Client({ name: 'slow-test', version: '1.0.0' });
      await client.connect(c);
      const r = await call(client, 'extract_now', { messages: REPORT_CONVERSATION, wait: true });
      expect(r.isError).toBeFalsy();
      expect(r.structuredContent).toMatchObject({ done: false, timed_out: true, skills: [] });
      expect(['scheduled', 'running']).toContain(r.structuredContent!.state);
      expect(text(r)).toMatch(/still (scheduled|running)/);
      release();
      const final = (await slow.jobs.wait(undefined, r.structuredContent!.job_id))!;
      expect(['completed', 'failed']).toContain(final.state);
      await client.close();
      await server.close();
    } finally {
      release();
      await slow.close();
      await removeDir(slowDir);
    }
  });
});
