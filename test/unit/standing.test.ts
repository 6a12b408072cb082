/**
 * Standing skills: preferences about the user ("answer in plain text") are injected on every
 * turn whatever the request, the newer wins a conflict, and people can switch a skill between
 * standing and task-bound through the SDK, the HTTP API and MCP. The mode lives in the SKILL.md.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AutoSkill } from '../../src/engine/autoskill.js';
import { renderContext } from '../../src/engine/retrieve/render.js';
import { facetsOf, selectStanding, StandingRegistry } from '../../src/engine/retrieve/standing.js';
import type { Skill } from '../../src/engine/skill/schema.js';
import { parseSkillMd } from '../../src/engine/skill/skill-md.js';
import { appliesOf, isStanding } from '../../src/engine/skill/standing.js';
import { createAutoskillMcpServer } from '../../src/mcp/index.js';
import { call, startProxy, type Proxy } from '../helpers/express-harness.js';
import { makeSkill } from '../fixtures/store-helpers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function openSdk(): Promise<AutoSkill> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'autoskill-standing-'));
  const sdk = await AutoSkill.open({ storeDir: dir, learning: { start: false } });
  cleanups.push(async () => {
    await sdk.close();
    await rm(dir, { recursive: true, force: true });
  });
  return sdk;
}

function standingSkill(name: string, instructions: string, updatedAt: string, extra: Partial<Skill> = {}): Skill {
  return makeSkill({
    id: name,
    name,
    description: instructions,
    instructions,
    owner: 'user:u1',
    metadata: { applies: 'always' },
    updatedAt,
    ...extra,
  });
}

describe('choosing standing skills', () => {
  it('finds the facet and value a preference speaks to, in English and Chinese', () => {
    const f = (text: string) => facetsOf({ name: '', description: '', instructions: text });
    expect(f('Always answer in plain text, no Markdown.')).toContainEqual({ facet: 'format', value: 'plain' });
    expect(f('Format every answer with Markdown headings.')).toContainEqual({ facet: 'format', value: 'markdown' });
    expect(f('以后回答都用中文。')).toContainEqual({ facet: 'language', value: 'zh' });
    expect(f('Please reply in English from now on.')).toContainEqual({ facet: 'language', value: 'en' });
    expect(f('不要使用表情符号')).toContainEqual({ facet: 'emoji', value: 'none' });
    expect(f("Don't make things up; say when you are unsure.")).toEqual([]);
  });

  it('the newer preference wins a conflict; unrelated preferences all stay', () => {
    const older = standingSkill('plain', 'Always answer in plain text.', '2026-01-01T00:00:00Z');
    const newer = standingSkill('md', 'Use Markdown in every answer.', '2026-02-01T00:00:00Z');
    const honest = standingSkill('honest', "Don't make things up.", '2025-06-01T00:00:00Z');
    const sel = selectStanding([older, honest, newer]);
    expect(sel.skills.map((s) => s.id)).toEqual(['md', 'honest']);
    expect(sel.overridden).toEqual([{ id: 'plain', by: ['md'] }]);
  });

  it('an older preference that also says something else keeps it', () => {
    const older = standingSkill('plain-zh', 'Answer in plain text, in Chinese.', '2026-01-01T00:00:00Z');
    const newer = standingSkill('md', 'Use Markdown in every answer.', '2026-02-01T00:00:00Z');
    expect(selectStanding([older, newer]).skills.map((s) => s.id)).toEqual(['md', 'plain-zh']);
  });

  it('takes at most the budget, newest first, and ignores task-bound skills', () => {
    const many = Array.from({ length: 8 }, (_, i) =>
      standingSkill(`p${i}`, `Preference number ${i}.`, `2026-01-0${i + 1}T00:00:00Z`),
    );
    const task = makeSkill({ id: 'task', owner: 'user:u1', updatedAt: '2027-01-01T00:00:00Z' });
    const sel = selectStanding([...many, task], { max: 3 });
    expect(sel.skills.map((s) => s.id)).toEqual(['p7', 'p6', 'p5']);
  });

  it('the registry follows upserts, switches and deletes', () => {
    const reg = new StandingRegistry();
    const s = standingSkill('a', 'Answer in plain text.', '2026-01-01T00:00:00Z');
    reg.upsert(s);
    expect(reg.of('user:u1').map((x) => x.id)).toEqual(['a']);
    reg.upsert({ ...s, metadata: {} });
    expect(reg.of('user:u1')).toEqual([]);
    reg.upsert(s);
    reg.remove('a');
    expect(reg.size).toBe(0);
  });
});

describe('rendering', () => {
  it('puts standing preferences first, marked, within their own budget', () => {
    const pref = standingSkill('plain', 'Always answer in plain text.', '2026-01-01T00:00:00Z');
    const task = makeSkill({ id: 'report', name: 'report-cite-sources', instructions: 'Cite sources in reports.' });
    const ctx = renderContext([{ skill: task, score: 0.6, lexical: 0.6, semantic: 0 }], { standing: [pref], query: 'write a report' });
    expect(ctx.included).toEqual([
      { id: 'plain', version: pref.version, mode: 'full', standing: true },
      { id: 'report', version: task.version, mode: 'full' },
    ]);
    expect(ctx.text.indexOf('Standing preferences')).toBeLessThan(ctx.text.indexOf('Skills (retrieved'));
    const huge = standingSkill('huge', 'x '.repeat(5000), '2026-01-01T00:00:00Z');
    const cut = renderContext([], { standing: [huge], maxStandingChars: 800 });
    expect([...cut.text].length).toBeLessThanOrEqual(800);
    expect(cut.truncated).toBe(true);
    expect(cut.included.map((i) => i.id)).toEqual(['huge']);
  });
});

describe('the SDK', () => {
  it('injects a standing preference into an unrelated request, only for its user', async () => {
    const sdk = await openSdk();
    await sdk.upsert(
      { name: 'plain-text-answers', description: 'Answer in plain text.', instructions: 'Always answer in plain text, without Markdown.', metadata: { applies: 'always' } },
      { actor: { userId: 'u1' } },
    );
    const r = await sdk.retrieveForTurn([{ role: 'user', content: 'Write a summary of the meeting.' }], { userId: 'u1' });
    expect(r.standing.map((s) => s.name)).toEqual(['plain-text-answers']);
    expect(r.context?.text).toContain('Always answer in plain text');
    expect(r.context?.included[0]).toMatchObject({ standing: true });
    const other = await sdk.retrieveForTurn([{ role: 'user', content: 'Write a summary of the meeting.' }], { userId: 'u2' });
    expect(other.standing).toEqual([]);
    expect(other.context).toBeUndefined();
    // Also when retrieval has nothing to search for.
    const empty = await sdk.retrieveForTurn([{ role: 'user', content: '   ' }], { userId: 'u1' });
    expect(empty.standing).toHaveLength(1);
    const off = await sdk.retrieveForTurn([{ role: 'user', content: 'hello' }], { userId: 'u1', standing: false });
    expect(off.context).toBeUndefined();
  });

  it('a newer conflicting preference replaces the older one in the next turn', async () => {
    const sdk = await openSdk();
    await sdk.upsert({ name: 'plain', description: 'Answer in plain text.', instructions: 'Answer in plain text.', metadata: { applies: 'always' } }, { actor: { userId: 'u1' } });
    await new Promise((r) => setTimeout(r, 5));
    await sdk.upsert({ name: 'markdown', description: 'Use Markdown.', instructions: 'Use Markdown in answers.', metadata: { applies: 'always' } }, { actor: { userId: 'u1' } });
    const r = await sdk.retrieveForTurn([{ role: 'user', content: 'Explain BM25.' }], { userId: 'u1' });
    expect(r.standing.map((s) => s.name)).toEqual(['markdown']);
    expect(r.context?.text).not.toContain('Answer in plain text');
  });

  it('switches a skill between standing and task-bound as a new version stored in SKILL.md', async () => {
    const sdk = await openSdk();
    const s = await sdk.upsert({ name: 'no-emoji', description: 'No emoji.', instructions: 'Never use emoji.' }, { actor: { userId: 'u1' } });
    expect(appliesOf(s)).toBe('task');
    const on = await sdk.setApplies(s.id, 'always', { userId: 'u1' });
    expect(on.version).toBe('0.1.1');
    expect(isStanding(on)).toBe(true);
    const md = sdk.skillMd(s.id);
    expect(md).toMatch(/applies: "?always"?/);
    // It survives the file: parsing the SKILL.md gives the same mode.
    expect(appliesOf(parseSkillMd(md, { owner: 'user:u9', slug: 'no-emoji' }).skill)).toBe('always');
    await sdk.settled();
    expect(sdk.standingFor('u1').map((x) => x.id)).toEqual([s.id]);
    await expect(sdk.setApplies(s.id, 'task', { userId: 'u2' })).rejects.toThrow();
    const off = await sdk.setApplies(s.id, 'task', { userId: 'u1' });
    expect(off.metadata.applies).toBeUndefined();
    await sdk.settled();
    expect(sdk.standingFor('u1')).toEqual([]);
  });
});

describe('the HTTP API', () => {
  let proxy: Proxy | undefined;
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
  });

  it('shows and switches applies, and the retrieval preview lists standing skills', async () => {
    proxy = await startProxy();
    const s = await proxy.sdk.upsert({ name: 'plain', description: 'Answer in plain text.', instructions: 'Answer in plain text.' }, { actor: { userId: 'u1' } });
    const before = await call(proxy.base, 'GET', `/v1/autoskill/skills/${s.id}`, { user: 'u1' });
    expect(before.body.data.applies).toBe('task');
    const put = await call(proxy.base, 'PUT', `/v1/autoskill/skills/${s.id}/applies`, { user: 'u1', body: { applies: 'always' } });
    expect(put.status).toBe(200);
    expect(put.body.data).toMatchObject({ applies: 'always', version: '0.1.1' });
    const bad = await call(proxy.base, 'PUT', `/v1/autoskill/skills/${s.id}/applies`, { user: 'u1', body: { applies: 'sometimes' } });
    expect(bad.status).toBe(400);
    const foreign = await call(proxy.base, 'PUT', `/v1/autoskill/skills/${s.id}/applies`, { user: 'u2', body: { applies: 'task' } });
    expect(foreign.status).toBeGreaterThanOrEqual(403);
    const preview = await call(proxy.base, 'POST', '/v1/autoskill/retrieval/preview', { user: 'u1', body: { query: 'Summarize this meeting' } });
    expect(preview.body.standing_skills.map((x: { id: string }) => x.id)).toEqual([s.id]);
    expect(preview.body.context).toContain('Standing preferences');
  });
});

describe('MCP', () => {
  it('set_skill_applies switches a skill and search_skills carries standing preferences', async () => {
    const sdk = await openSdk();
    const s = await sdk.upsert({ name: 'reply-in-chinese', description: '用中文回答。', instructions: '以后回答都用中文。' }, { actor: { userId: 'u1' } });
    const server = createAutoskillMcpServer({ sdk, actor: { userId: 'u1' } });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: 'standing-test', version: '1.0.0' });
    await client.connect(clientSide);
    cleanups.push(async () => {
      await client.close();
      await server.close();
    });
    const set = (await client.callTool({ name: 'set_skill_applies', arguments: { id: s.id, applies: 'always' } })) as CallToolResult;
    expect(set.isError).toBeFalsy();
    expect(set.structuredContent).toMatchObject({ id: s.id, applies: 'always', version: '0.1.1' });
    await sdk.settled();
    const found = (await client.callTool({ name: 'search_skills', arguments: { query: 'plan a trip to Rome' } })) as CallToolResult;
    const structured = found.structuredContent as { instructions: string; included: string[] };
    expect(structured.included).toContain(s.id);
    expect(structured.instructions).toContain('以后回答都用中文');
    const bad = (await client.callTool({ name: 'set_skill_applies', arguments: { id: 'nope', applies: 'always' } })) as CallToolResult;
    expect(bad.isError).toBe(true);
  });
});
