/**
 * The MCP Skills extension over the real bins: `autoskill mcp` on stdio and `/mcp` of
 * `autoskill serve` (API keys → users), both on one store seeded with real bank skills, each
 * through the official MCP Client. The same user gets the same answers on both transports, every
 * entry verifies against its reads, and one user never reaches another's skill.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpError, ResourceListChangedNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BIN, IDS, REPO, removeDir, seededStore, startServe, type Served } from '../helpers/mcp-fixture.js';
import { getSkill, listAllSkills, readBytes, readDirectory, SKILLS_EXT, verifyEntry, type SkillEntry } from '../helpers/skills-ext.js';

const KEY_U1 = 'skills-ext-key-user-one-0123456789';
const KEY_U2 = 'skills-ext-key-user-two-0123456789';

let dir: string;
let served: Served;
let stdio: Client;
let stdioChanges = 0;
const clients: Client[] = [];

async function http(key: string): Promise<Client> {
  const client = new Client({ name: 'skills-ext-http', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', served.url), { requestInit: { headers: { authorization: `Bearer ${key}` } } }));
  clients.push(client);
  return client;
}

async function code(p: Promise<unknown>): Promise<number | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return e instanceof McpError ? e.code : -1;
  }
}

const idOf = (e: SkillEntry) => decodeURIComponent(e.uri.split('/')[3]!);

beforeAll(async () => {
  dir = await seededStore('autoskill-skills-transports-');
  const keys = path.join(dir, 'keys.json');
  await writeFile(keys, JSON.stringify({ [KEY_U1]: { user: 'u1' }, [KEY_U2]: { user: 'u2' } }));
  served = await startServe(['--store', dir, '--api-keys', keys]);
  const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp', '--store', dir, '--user', 'u1'], cwd: REPO, stderr: 'pipe' });
  stdio = new Client({ name: 'skills-ext-stdio', version: '1.0.0' });
  stdio.setNotificationHandler(ResourceListChangedNotificationSchema, () => {
    stdioChanges++;
  });
  await stdio.connect(transport);
  clients.push(stdio);
});

afterAll(async () => {
  for (const c of clients) await c.close().catch(() => undefined);
  expect(await served?.stop()).toBe(0);
  await removeDir(dir);
});

describe('Skills extension over stdio and Streamable HTTP', () => {
  it('declares the extension on both', async () => {
    const u1 = await http(KEY_U1);
    expect(stdio.getServerCapabilities()?.extensions?.[SKILLS_EXT]).toEqual({ directoryRead: true });
    expect(u1.getServerCapabilities()?.extensions?.[SKILLS_EXT]).toEqual({ directoryRead: true });
  });

  it('answers skills/list, skills/get and resources/directory/read identically for the same user, and every entry verifies', async () => {
    const u1 = await http(KEY_U1);
    const overStdio = await listAllSkills(stdio);
    const overHttp = await listAllSkills(u1);
    expect(overHttp).toEqual(overStdio);
    expect(overStdio.cacheScope).toBe('private');
    expect(overStdio.skills.map(idOf).sort()).toEqual([IDS.docker, IDS.game24, IDS.dogfood, IDS.humanizer].sort());
    for (const entry of overStdio.skills) {
      const [a, b] = await Promise.all([verifyEntry(stdio, entry), verifyEntry(u1, entry)]);
      expect(b).toEqual(a);
      expect(await getSkill(u1, entry.uri)).toEqual(await getSkill(stdio, entry.uri));
      const root = entry.uri.slice(0, -'/SKILL.md'.length);
      expect(await readDirectory(u1, root)).toEqual(await readDirectory(stdio, root));
    }
    for (const c of [stdio, u1]) expect(await code(getSkill(c, 'skill://common/no-such-skill/v0.1.0/nope/SKILL.md'))).toBe(-32602);
  });

  it("u2's skill stays out of reach for u1 on both transports, even by its exact URIs", async () => {
    const [u1, u2] = [await http(KEY_U1), await http(KEY_U2)];
    const wechat = (await listAllSkills(u2)).skills.find((e) => idOf(e) === IDS.wechat)!;
    await verifyEntry(u2, wechat);
    for (const c of [stdio, u1]) {
      expect(await code(getSkill(c, wechat.uri))).toBe(-32602);
      expect(await code(c.readResource({ uri: wechat.uri }))).toBe(-32602);
      expect(await code(readDirectory(c, wechat.uri.slice(0, -'/SKILL.md'.length)))).toBe(-32602);
      expect((await listAllSkills(c)).skills.map(idOf)).not.toContain(IDS.wechat);
    }
  });

  it('over stdio, saving and editing a skill notifies list_changed; the new version gets new URIs and the old ones keep their bytes', async () => {
    const save = async (skillMd: string, id?: string) => {
      const before = stdioChanges;
      const r = (await stdio.callTool({ name: 'save_skill', arguments: { skill_md: skillMd, ...(id ? { id } : {}) } })) as CallToolResult & { structuredContent?: { id: string } };
      expect(r.isError).toBeFalsy();
      await vi.waitFor(() => expect(stdioChanges).toBeGreaterThan(before), { timeout: 10_000 });
      return r.structuredContent!.id;
    };
    const md = (rule: string) => ['---', 'name: weekly-report-format', 'description: How this user wants weekly reports laid out.', '---', '', `- ${rule}`, ''].join('\n');
    const id = await save(md('A summary first, then three sections.'));
    const v1 = (await listAllSkills(stdio)).skills.find((e) => idOf(e) === id)!;
    expect(v1.frontmatter).toMatchObject({ name: 'weekly-report-format', description: 'How this user wants weekly reports laid out.' });
    // A spec-valid file is served byte for byte: the versioned SKILL.md equals the stored one.
    expect((await verifyEntry(stdio, v1)).get('SKILL.md')).toEqual(await readBytes(stdio, `skill://user/${id}/SKILL.md`));
    await save(md('A summary first, then four sections.'), id);
    const v2 = (await listAllSkills(stdio)).skills.find((e) => idOf(e) === id)!;
    expect(v2.uri).not.toBe(v1.uri);
    expect((await verifyEntry(stdio, v2)).get('SKILL.md')!.toString('utf8')).toContain('four sections');
    expect((await verifyEntry(stdio, v1)).get('SKILL.md')!.toString('utf8')).toContain('three sections');
  });
});
