/**
 * The MCP Skills extension (SEP-2640) in process: the official MCP Client over an in-memory pair,
 * on a temp store seeded with real bank skills (Common and per-user, English and Chinese, one
 * with references/ and templates/). Every entry is verified the way a host must: digests, sizes
 * and front matter against what resources/read returns.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, McpError, ResourceListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AutoSkill } from '../../src/engine/autoskill.js';
import { createAutoskillMcpServer } from '../../src/mcp/index.js';
import { IDS, removeDir, seededStore } from '../helpers/mcp-fixture.js';
import { getSkill, listAllSkills, listSkills, readBytes, readDirectory, SKILLS_EXT, verifyEntry, type SkillEntry } from '../helpers/skills-ext.js';
import { RESOURCE_NOT_FOUND } from '../../src/mcp/errors.js';

let dir: string;
let sdk: AutoSkill;
const open: Array<{ client: Client; server: McpServer }> = [];

async function connect(userId: string, opts: { pageSize?: number } = {}): Promise<{ client: Client; changes: () => number }> {
  const server = createAutoskillMcpServer({ sdk, userId, notifyDebounceMs: 10, ...(opts.pageSize ? { skillsPageSize: opts.pageSize } : {}) });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'skills-ext-test', version: '1.0.0' });
  let changes = 0;
  client.setNotificationHandler(ResourceListChangedNotificationSchema, () => {
    changes++;
  });
  await client.connect(clientSide);
  open.push({ client, server });
  return { client, changes: () => changes };
}

async function rpcError(p: Promise<unknown>): Promise<number | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return e instanceof McpError ? e.code : -1;
  }
}

const idOf = (e: SkillEntry) => decodeURIComponent(e.uri.split('/')[3]!);

let u1: Client;
let u1Skills: SkillEntry[];

beforeAll(async () => {
  dir = await seededStore('autoskill-skills-ext-');
  sdk = await AutoSkill.open({ storeDir: dir, learning: { start: false } });
  u1 = (await connect('u1')).client;
  u1Skills = (await listAllSkills(u1)).skills;
});

afterAll(async () => {
  for (const { client, server } of open) {
    await client.close();
    await server.close();
  }
  await sdk?.close();
  await removeDir(dir);
});

describe('capability', () => {
  it('declares io.modelcontextprotocol/skills inline with directoryRead, next to resources and the tools', async () => {
    const caps = u1.getServerCapabilities()!;
    expect(caps.extensions?.[SKILLS_EXT]).toEqual({ directoryRead: true });
    expect(caps.resources).toBeDefined();
    const { tools } = await u1.listTools();
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['search_skills', 'get_skill', 'list_skills']));
  });
});

describe('skills/list', () => {
  it("lists the user's own skills first, then Common, and never another user's", () => {
    expect(u1Skills.slice(0, 2).map(idOf).sort()).toEqual([IDS.docker, IDS.game24].sort());
    expect(u1Skills.slice(2).map(idOf)).toEqual([IDS.dogfood, IDS.humanizer]);
    expect(u1Skills.map(idOf)).not.toContain(IDS.wechat);
    expect(u1Skills.map((e) => e.uri.split('/')[2])).toEqual(['user', 'user', 'common', 'common']);
  });

  it('gives every entry a complete manifest whose digests, sizes and front matter match resources/read', async () => {
    for (const entry of u1Skills) await verifyEntry(u1, entry);
    const dogfood = u1Skills.find((e) => idOf(e) === IDS.dogfood)!;
    const files = dogfood.resources.map((r) => r.uri.slice(dogfood.uri.length - 'SKILL.md'.length)).sort();
    expect(files).toEqual(['SKILL.md', 'references/issue-taxonomy.md', 'templates/dogfood-report-template.md']);
  });

  it('names each skill by an ASCII spec name equal to the last path segment; a CJK title stays in metadata.title', () => {
    for (const e of u1Skills) expect(e.frontmatter.name).toMatch(/^(?!.*--)[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$/);
    const docker = u1Skills.find((e) => idOf(e) === IDS.docker)!;
    expect(docker.uri).toMatch(new RegExp(`^skill://user/${IDS.docker}/v0\\.1\\.0/${docker.frontmatter.name}/SKILL\\.md$`));
    expect((docker.frontmatter.metadata as Record<string, string>).title).toBe('Docker命令转Docker Compose配置');
  });

  it('serves a skill the reference validator accepts byte for byte, with its front matter verbatim', async () => {
    const saved = await sdk.upsert(
      { name: 'cite sources', description: 'Cite a source for every factual claim in reports.', instructions: 'Always cite sources.', tags: ['writing'], files: { 'references/styles.md': '# APA\n' } },
      { actor: { userId: 'u1' } },
    );
    const entry = (await listAllSkills(u1)).skills.find((e) => idOf(e) === saved.id)!;
    const files = await verifyEntry(u1, entry);
    expect(files.get('SKILL.md')!.toString('utf8')).toBe(await sdk.storedSkillMd(saved.id));
    expect(files.get('references/styles.md')!.toString('utf8')).toBe('# APA\n');
    expect(entry.frontmatter).toMatchObject({ name: saved.slug, description: saved.description, metadata: { id: saved.id, version: '0.1.0' } });
    await sdk.delete(saved.id);
  });

  it('carries ttlMs and cacheScope: private for a user with skills of their own, public for Common only', async () => {
    const page = await listSkills(u1);
    expect(page).toMatchObject({ resultType: 'complete', cacheScope: 'private' });
    expect(page.ttlMs).toBeGreaterThan(0);
    const nobody = (await connect('nobody')).client;
    const theirs = await listSkills(nobody);
    expect(theirs.cacheScope).toBe('public');
    expect(theirs.skills.map(idOf)).toEqual([IDS.dogfood, IDS.humanizer]);
  });

  it('paginates without splitting or repeating an entry, and refuses a forged cursor with -32602', async () => {
    const paged = (await connect('u1', { pageSize: 1 })).client;
    const all = await listAllSkills(paged);
    expect(all.pages).toBe(u1Skills.length);
    expect(all.skills).toEqual(u1Skills);
    expect(await rpcError(listSkills(paged, 'not-a-cursor'))).toBe(ErrorCode.InvalidParams);
  });
});

describe('skills/get', () => {
  it('returns the same entry as the listing, without a cursor, for every listed skill', async () => {
    for (const e of u1Skills) {
      const got = await getSkill(u1, e.uri);
      expect(got.skill).toEqual(e);
      expect(got.cacheScope).toBe(e.uri.startsWith('skill://user/') ? 'private' : 'public');
    }
  });

  it('answers -32602 for unknown URIs, legacy URIs and file URIs', async () => {
    const dogfood = u1Skills.find((e) => idOf(e) === IDS.dogfood)!;
    expect(await rpcError(getSkill(u1, 'skill://mcp-conformance-nonexistent-skill-9f3a2b/SKILL.md'))).toBe(-32602);
    expect(await rpcError(getSkill(u1, `skill://common/${IDS.dogfood}/SKILL.md`))).toBe(-32602);
    expect(await rpcError(getSkill(u1, dogfood.uri.replace('/v0.1.0/', '/v9.9.9/')))).toBe(-32602);
    expect(await rpcError(getSkill(u1, dogfood.uri.replace('/dogfood/SKILL.md', '/other/SKILL.md')))).toBe(-32602);
    expect(await rpcError(getSkill(u1, dogfood.resources.find((r) => r.uri.endsWith('.md') && r.uri !== dogfood.uri)!.uri))).toBe(-32602);
  });
});

describe("another user's skill", () => {
  it('is unreachable through skills/get, resources/read and resources/directory/read, even with its exact URIs', async () => {
    const u2 = (await connect('u2')).client;
    const wechat = (await listAllSkills(u2)).skills.find((e) => idOf(e) === IDS.wechat)!;
    await verifyEntry(u2, wechat);
    expect(await rpcError(getSkill(u1, wechat.uri))).toBe(-32602);
    for (const r of wechat.resources) await expect(u1.readResource({ uri: r.uri })).rejects.toThrow(McpError);
    expect(await rpcError(readDirectory(u1, wechat.uri.slice(0, -'/SKILL.md'.length)))).toBe(-32602);
    await expect(u1.readResource({ uri: `skill://user/${IDS.wechat}/SKILL.md` })).rejects.toMatchObject({ code: RESOURCE_NOT_FOUND });
  });
});

describe('resources/directory/read', () => {
  it('lists direct children, subdirectories as inode/directory, and refuses files with -32602', async () => {
    const dogfood = u1Skills.find((e) => idOf(e) === IDS.dogfood)!;
    const root = dogfood.uri.slice(0, -'/SKILL.md'.length);
    const top = await readDirectory(u1, root);
    expect(top.resources.map((r) => [r.name, r.mimeType])).toEqual([
      ['references', 'inode/directory'],
      ['templates', 'inode/directory'],
      ['SKILL.md', 'text/markdown'],
    ]);
    const refs = await readDirectory(u1, `${root}/references`);
    expect(refs.resources.map((r) => r.uri)).toEqual([`${root}/references/issue-taxonomy.md`]);
    expect(await rpcError(readDirectory(u1, dogfood.uri))).toBe(-32602);
    expect(await rpcError(readDirectory(u1, `${root}/nope`))).toBe(-32602);
  });
});

describe('resources/list', () => {
  it('lists the versioned SKILL.md URIs named and described from their front matter; legacy URIs stay readable', async () => {
    const { resources } = await u1.listResources();
    const docker = u1Skills.find((e) => idOf(e) === IDS.docker)!;
    const listed = resources.find((r) => r.uri === docker.uri)!;
    expect(listed).toMatchObject({ name: docker.frontmatter.name, description: docker.frontmatter.description, mimeType: 'text/markdown' });
    const legacy = await readBytes(u1, `skill://user/${IDS.docker}/SKILL.md`);
    expect(legacy.toString('utf8')).toBe(await sdk.storedSkillMd(IDS.docker));
  });
});

describe('snapshots across versions', () => {
  it('a merge notifies list_changed, lists new URIs, and the old URIs keep serving exactly their manifest', async () => {
    const { client, changes } = await connect('u3');
    const v1 = await sdk.upsert(
      { name: 'deploy checklist', description: 'Steps before every deploy.', instructions: 'Run the tests. (v1)', files: { 'references/steps.md': 'steps v1\n' } },
      { actor: { userId: 'u3' } },
    );
    await vi.waitFor(() => expect(changes()).toBeGreaterThan(0));
    const old = (await listAllSkills(client)).skills.find((e) => idOf(e) === v1.id)!;
    const seen = changes();
    await sdk.upsert({ id: v1.id, name: 'deploy checklist', description: 'Steps before every deploy.', instructions: 'Run the tests and lint. (v2)', files: { 'references/steps.md': 'steps v2\n' } }, { actor: { userId: 'u3' } });
    await vi.waitFor(() => expect(changes()).toBeGreaterThan(seen));
    const now = (await listAllSkills(client)).skills.find((e) => idOf(e) === v1.id)!;
    expect(now.uri).toContain('/v0.1.1/');
    expect((await verifyEntry(client, now)).get('references/steps.md')!.toString()).toBe('steps v2\n');
    // A host still acting on v0.1.0 reads v0.1.0, bytes matching the digests it holds.
    expect((await verifyEntry(client, old)).get('references/steps.md')!.toString()).toBe('steps v1\n');
    expect((await getSkill(client, old.uri)).skill).toEqual(old);
  });

  it('never lists a torn version while a skill is being rewritten: SKILL.md and its files always come from one write', async () => {
    const { client } = await connect('u4');
    const mark = (n: number) => `revision-${n}`;
    const input = (n: number, id?: string) => ({
      ...(id ? { id } : {}),
      name: 'release notes',
      description: 'How release notes are written.',
      instructions: `Write release notes. ${mark(n)}`,
      files: { 'references/a.md': `${mark(n)}\n`.repeat(200), 'references/b.md': `${mark(n)}\n`.repeat(200), 'templates/c.md': `${mark(n)}\n` },
    });
    const first = await sdk.upsert(input(0), { actor: { userId: 'u4' } });
    let done = false;
    const writer = (async () => {
      for (let n = 1; n <= 15; n++) await sdk.upsert(input(n, first.id), { actor: { userId: 'u4' } });
    })().finally(() => (done = true));
    let checked = 0;
    while (!done || checked === 0) {
      const entry = (await listSkills(client)).skills.find((e) => idOf(e) === first.id)!;
      const files = await verifyEntry(client, entry);
      const marks = new Set([...files.values()].map((b) => /revision-\d+/.exec(b.toString('utf8'))?.[0]));
      expect(marks.size, `${entry.uri} mixes ${[...marks].join(', ')}`).toBe(1);
      checked++;
      // In memory a cached listing never touches I/O; let the writer's file callbacks run.
      await new Promise((r) => setImmediate(r));
    }
    await writer;
    expect(checked).toBeGreaterThan(1);
  });
});
