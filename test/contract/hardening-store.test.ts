/**
 * Issue 16, store side: tombstones (a deleted skill's id and history stay with its owner),
 * one id rule at every door, hidden folders, zip entries that lie, and a dead writer's lock.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AutoSkill } from '../../src/engine/autoskill.js';
import { skillIdProblem } from '../../src/engine/skill/ids.js';
import { validateSkillMd } from '../../src/engine/skill/validate.js';
import { FsSkillStore } from '../../src/engine/store/fs/store.js';
import { createAutoskillMcpServer } from '../../src/mcp/index.js';
import { call, startProxy, type Proxy } from '../helpers/express-harness.js';
import { tempDir } from '../fixtures/store-helpers.js';

const KEY_A = 'alice-key-0123456789x';
const KEY_B = 'bob-key-0123456789xyz';

const skillMd = (id: string, name = 'Weekly report', extra = '') =>
  `---\nname: weekly-report\ndescription: How I want weekly reports written\nmetadata:\n  id: ${JSON.stringify(id)}\n${extra}---\n\n# ${name}\n\nKeep it to five bullet points.\n`;

async function mcpClient(sdk: AutoSkill, userId: string): Promise<Client> {
  const server = createAutoskillMcpServer({ sdk, actor: { userId } });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'hardening', version: '1.0.0' });
  await client.connect(clientSide);
  return client;
}

describe('tombstones: a deleted skill stays its owner\'s', () => {
  let proxy: Proxy;
  const A = (method: string, url: string, body?: unknown) => call(proxy.base, method, url, { key: KEY_A, ...(body !== undefined ? { body } : {}) });
  const B = (method: string, url: string, body?: unknown) => call(proxy.base, method, url, { key: KEY_B, ...(body !== undefined ? { body } : {}) });
  let id = '';

  beforeAll(async () => {
    proxy = await startProxy({ sdk: { learning: { mode: 'never' } }, app: { apiKeys: { [KEY_A]: { user: 'alice' }, [KEY_B]: { user: 'bob' } } } });
    const created = await proxy.sdk.upsert(
      { name: 'Weekly report', description: 'How I want weekly reports written', instructions: 'SECRET-v1: five bullet points.' },
      { actor: { userId: 'alice' } },
    );
    id = created.id;
    const md = (await A('GET', `/v1/autoskill/skills/${id}/md`)).body.skill_md as string;
    expect((await A('PUT', `/v1/autoskill/skills/${id}/md`, { skill_md: md.replace('SECRET-v1', 'SECRET-v2') })).status).toBe(200);
    expect((await A('DELETE', `/v1/autoskill/skills/${id}`)).status).toBe(200);
  });
  afterAll(async () => proxy.close());

  test('user B cannot take the id: import (text, zip), MCP save_skill are refused', async () => {
    const text = skillMd(id, 'Planted');
    const imp = await B('POST', '/v1/autoskill/skills/import', { skill_md: text });
    expect(imp.body.report[0].status).toBe('error');
    expect(imp.body.report[0].reason).toMatch(/already used|taken/);
    const zip = zipSync({ 'planted/SKILL.md': strToU8(text) });
    const zipped = await call(proxy.base, 'POST', '/v1/autoskill/skills/import', { key: KEY_B, body: zip, headers: { 'content-type': 'application/zip' } });
    expect(zipped.body.report.find((r: any) => r.path === 'planted').status).toBe('error');
    const mcp = await mcpClient(proxy.sdk, 'bob');
    const saved = (await mcp.callTool({ name: 'save_skill', arguments: { skill_md: text } })) as CallToolResult;
    expect(saved.isError).toBe(true);
    await mcp.close();
    expect(proxy.sdk.get(id)).toBeUndefined();
  });

  test("user B cannot read A's deleted history by any route or MCP resource", async () => {
    for (const url of [`/v1/autoskill/skills/${id}`, `/v1/autoskill/skills/${id}/md`, `/v1/autoskill/skills/${id}/versions`, `/v1/autoskill/skills/${id}/versions/0.1.0`, `/v1/autoskill/skills/${id}/versions/0.1.1`, `/v1/autoskill/skills/${id}/diff?from=0.1.0&to=0.1.1`, `/v1/autoskill/skills/${id}/export?format=md`]) {
      const res = await B('GET', url);
      expect(res.status, url).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain('SECRET');
    }
    expect((await B('POST', `/v1/autoskill/skills/${id}/restore`, {})).status).toBe(404);
    expect((await B('POST', `/v1/autoskill/skills/${id}/rollback`, { version: '0.1.0' })).status).toBe(404);
    expect((await B('GET', '/v1/autoskill/deleted-skills')).body.data).toEqual([]);
    const mcp = await mcpClient(proxy.sdk, 'bob');
    await expect(mcp.readResource({ uri: `skill://user/${id}/SKILL.md` })).rejects.toThrow();
    const rb = (await mcp.callTool({ name: 'rollback_skill', arguments: { id, version: '0.1.0' } })) as CallToolResult;
    expect(rb.isError).toBe(true);
    expect(JSON.stringify(rb)).not.toContain('SECRET');
    await mcp.close();
  });

  test('A lists and restores the deleted skill, under a content-based folder name', async () => {
    const listed = await A('GET', '/v1/autoskill/deleted-skills');
    expect(listed.body.data).toEqual([expect.objectContaining({ id, owner: 'user:alice', version: '0.1.1', name: 'Weekly report' })]);
    const restored = await A('POST', `/v1/autoskill/skills/${id}/restore`, {});
    expect(restored.status).toBe(200);
    expect(restored.body.data.instructions).toContain('SECRET-v2');
    const skill = proxy.sdk.get(id)!;
    expect(skill.owner).toBe('user:alice');
    expect(skill.slug).toBe('weekly-report');
    expect((await A('GET', `/v1/autoskill/skills/${id}/versions`)).body.data.map((v: any) => v.version)).toEqual(['0.1.0', '0.1.1', '0.1.2']);
    expect((await A('GET', '/v1/autoskill/deleted-skills')).body.data).toEqual([]);
  });

  test('a file planted by hand under another owner never shows the old owner\'s versions', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const store = new FsSkillStore({ root: dir });
      await store.open();
      const { makeSkill } = await import('../fixtures/store-helpers.js');
      const s = makeSkill({ owner: 'user:alice', instructions: 'SECRET alice text' });
      await store.put(s);
      await store.delete(s.id);
      await expect(store.put(makeSkill({ id: s.id, owner: 'user:bob' }))).rejects.toMatchObject({ code: 'conflict' });
      // Bypassing the store (a hand edit) still does not reach alice's versions.
      await mkdir(path.join(dir, 'Users', 'bob', 'planted'), { recursive: true });
      await writeFile(path.join(dir, 'Users', 'bob', 'planted', 'SKILL.md'), skillMd(s.id, 'Planted'));
      await store.refresh();
      expect((await store.get(s.id))?.owner).toBe('user:bob');
      const hist = await store.history(s.id);
      expect(hist.length).toBeGreaterThan(0);
      expect(hist.every((h) => h.owner === 'user:bob')).toBe(true);
      expect(JSON.stringify(hist)).not.toContain('SECRET');
      await store.close();
    } finally {
      await cleanup();
    }
  });
});

describe('ids are checked once at every door', () => {
  const BAD = ['../../x/y', 'a/b', 'dots..id', 'x\\y', '.'];

  test('the rule', () => {
    for (const id of [...BAD, ' padded ', 'x\u0000y', 'a'.repeat(201)]) expect(skillIdProblem(id), id).toBeDefined();
    for (const id of ['3f0c5d2e-8a41-4b7c-9e16-5a2d7c0b9f43', 'my-skill', 'skill.v2', '中文技能', 'a b']) expect(skillIdProblem(id), id).toBeUndefined();
  });

  test('import (folder and zip) replaces unaddressable ids with a note; every imported skill is deletable through the API', async () => {
    const proxy = await startProxy({ sdk: { learning: { mode: 'never' } } });
    const { dir, cleanup } = await tempDir('autoskill-bad-ids-');
    try {
      for (const [i, id] of BAD.entries()) {
        await mkdir(path.join(dir, `s${i}`), { recursive: true });
        await writeFile(path.join(dir, `s${i}`, 'SKILL.md'), skillMd(id, `Skill ${i}`));
      }
      const report = await proxy.sdk.importSkills(dir, { scope: 'user', userId: 'default' });
      expect(report.filter((r) => r.status === 'imported')).toHaveLength(BAD.length);
      for (const r of report) {
        expect(r.reason).toMatch(/replaced by/);
        expect(skillIdProblem(r.id)).toBeUndefined();
      }
      const zip = zipSync(Object.fromEntries(BAD.map((id, i) => [`z${i}/SKILL.md`, strToU8(skillMd(id, `Zip ${i}`))])));
      const zipReport = await proxy.sdk.importZip(zip, { scope: 'user', userId: 'default' });
      expect(zipReport.filter((r) => r.status === 'imported')).toHaveLength(BAD.length);
      const all = proxy.sdk.list({ userId: 'default', scope: 'user' });
      expect(all).toHaveLength(BAD.length * 2);
      for (const s of all) {
        const del = await call(proxy.base, 'DELETE', `/v1/autoskill/skills/${encodeURIComponent(s.id)}`);
        expect(del.status, s.id).toBe(200);
      }
      expect(proxy.sdk.list({ userId: 'default', scope: 'user' })).toHaveLength(0);
    } finally {
      await cleanup();
      await proxy.close();
    }
  });

  test('save (SDK/MCP) refuses them; validate reports them; normalize-ids replaces existing ones', async () => {
    const { dir, cleanup } = await tempDir('autoskill-bad-ids-store-');
    try {
      const sdk = await AutoSkill.open({ storeDir: dir, learning: { mode: 'never' } });
      await expect(sdk.upsert({ id: 'a/b', name: 'x', description: 'y', instructions: 'z' }, { owner: 'user:u' })).rejects.toMatchObject({ code: 'invalid' });
      const mcp = await mcpClient(sdk, 'u');
      const saved = (await mcp.callTool({ name: 'save_skill', arguments: { skill_md: skillMd('../../x/y') } })) as CallToolResult;
      expect(saved.isError).toBe(true);
      await mcp.close();
      await sdk.close();
      expect(validateSkillMd(skillMd('a/b')).map((v) => v.field)).toContain('metadata.id');
      expect(validateSkillMd(skillMd('fine-id')).filter((v) => v.field.endsWith('id'))).toEqual([]);

      // A store that already holds such ids (written before this rule) loads them, and normalize fixes them.
      await mkdir(path.join(dir, 'Users', 'u', 'old'), { recursive: true });
      await writeFile(path.join(dir, 'Users', 'u', 'old', 'SKILL.md'), skillMd('../../x/y'));
      const store = new FsSkillStore({ root: dir });
      await store.open();
      expect((await store.get('../../x/y'))).toBeDefined();
      const { renamed } = await store.normalizeIds();
      expect(renamed).toHaveLength(1);
      expect(renamed[0]!.from).toBe('../../x/y');
      expect((await store.get('../../x/y'))).toBeUndefined();
      expect(await readFile(path.join(dir, 'Users', 'u', 'old', 'SKILL.md'), 'utf8')).toContain(renamed[0]!.to);
      expect(await store.delete(renamed[0]!.to)).toBe(true);
      await store.close();
    } finally {
      await cleanup();
    }
  });
});

describe('nothing is dropped silently', () => {
  test('skills under hidden folders are imported, or reported with --skip-hidden; VCS folders are not searched', async () => {
    const { dir, cleanup } = await tempDir('autoskill-hidden-');
    const { dir: storeDir, cleanup: cleanStore } = await tempDir('autoskill-hidden-store-');
    try {
      await mkdir(path.join(dir, '.claude', 'skills', 'pdf'), { recursive: true });
      await writeFile(path.join(dir, '.claude', 'skills', 'pdf', 'SKILL.md'), skillMd('pdf-skill-id', 'PDF'));
      await writeFile(path.join(dir, '.claude', 'skills', 'pdf', '.env'), 'TOKEN=x\n');
      await mkdir(path.join(dir, 'visible'), { recursive: true });
      await writeFile(path.join(dir, 'visible', 'SKILL.md'), skillMd('visible-id', 'Visible'));
      await mkdir(path.join(dir, '.git', 'x'), { recursive: true });
      await writeFile(path.join(dir, '.git', 'x', 'SKILL.md'), skillMd('git-id'));
      const sdk = await AutoSkill.open({ storeDir, learning: { mode: 'never' } });
      const reported = await sdk.importSkills(dir, { scope: 'user', userId: 'u' }, { hiddenFolders: 'report' });
      expect(reported.find((r) => r.path === '.claude')).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/hidden folder/) });
      expect(sdk.get('pdf-skill-id')).toBeUndefined();
      const report = await sdk.importSkills(dir, { scope: 'user', userId: 'u' });
      expect(report.find((r) => r.path === '.claude/skills/pdf')).toMatchObject({ status: 'imported', id: 'pdf-skill-id', reason: expect.stringMatching(/\.env left out/) });
      expect(sdk.get('pdf-skill-id')?.owner).toBe('user:u');
      expect(sdk.get('git-id')).toBeUndefined();
      // zip archives: hidden folders imported, OS junk dropped
      const zip = zipSync({ '.claude/skills/zpdf/SKILL.md': strToU8(skillMd('zip-hidden-id', 'Zipped')), '__MACOSX/._x': strToU8('junk') });
      const zr = await sdk.importZip(zip, { scope: 'user', userId: 'u' });
      expect(zr.find((r) => r.id === 'zip-hidden-id')?.status).toBe('imported');
      await sdk.close();
    } finally {
      await cleanup();
      await cleanStore();
    }
  });

  test('zip entries that lie about their size or CRC are refused, not stored truncated', async () => {
    const { dir, cleanup } = await tempDir('autoskill-zip-lie-');
    try {
      const sdk = await AutoSkill.open({ storeDir: dir, learning: { mode: 'never' } });
      const resource = strToU8('line\n'.repeat(2000));
      const make = (prefix: string, id: string) => ({
        [`${prefix}/SKILL.md`]: [strToU8(skillMd(id)), { level: 0 as const }],
        [`${prefix}/references/notes.md`]: [resource, { level: 6 as const }],
      });
      const zip = zipSync({ ...make('honest', 'honest-id'), ...make('short', 'short-id'), ...make('crc', 'crc-id'), ...make('stored', 'stored-id') } as never);
      // Forge the central directory: `short` declares a smaller resource, `crc` a wrong CRC,
      // `stored` a different size for its uncompressed SKILL.md.
      const patch = (name: string, field: 'size' | 'crc', value: number) => {
        const nameBytes = strToU8(name);
        for (let o = 0; o < zip.length - 46; o++) {
          if (zip[o] !== 0x50 || zip[o + 1] !== 0x4b || zip[o + 2] !== 0x01 || zip[o + 3] !== 0x02) continue;
          const len = zip[o + 28]! | (zip[o + 29]! << 8);
          if (len !== nameBytes.length || !nameBytes.every((b, i) => zip[o + 46 + i] === b)) continue;
          new DataView(zip.buffer, zip.byteOffset).setUint32(o + (field === 'size' ? 24 : 16), value, true);
          return;
        }
        throw new Error(`no central entry for ${name}`);
      };
      patch('short/references/notes.md', 'size', 100);
      patch('crc/references/notes.md', 'crc', 0x12345678);
      patch('stored/SKILL.md', 'size', 10);
      let report;
      try {
        report = await sdk.importZip(zip, { scope: 'user', userId: 'u' });
      } catch (err) {
        // Refusing the whole archive is also acceptable; storing a truncated file is not.
        expect(String(err)).toMatch(/zip|archive/i);
        report = undefined;
      }
      if (report) {
        expect(report.find((r) => r.id === 'honest-id')?.status).toBe('imported');
        for (const id of ['short-id', 'crc-id', 'stored-id']) expect(sdk.get(id), id).toBeUndefined();
        expect(report.filter((r) => r.status === 'error').map((r) => r.reason).join(' ')).toMatch(/declares|CRC/);
        const notes = await sdk.readResource('honest-id', 'references/notes.md');
        expect(notes.byteLength).toBe(resource.byteLength);
      }
      for (const id of ['short-id', 'crc-id', 'stored-id']) expect(sdk.get(id), id).toBeUndefined();
      await sdk.close();
    } finally {
      await cleanup();
    }
  });
});

describe('a lock whose holder died on this host is taken at once', () => {
  test('a fresh store lock left by a dead PID does not make the next open wait for it to go stale', async () => {
    const { dir, cleanup } = await tempDir('autoskill-dead-lock-');
    try {
      const first = new FsSkillStore({ root: dir });
      await first.open();
      await first.close();
      const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
      const deadPid = Number(dead.stdout);
      const lockDir = path.join(dir, '.autoskill', 'locks', '__store__.lock');
      await mkdir(lockDir);
      const { hostname } = await import('node:os');
      await writeFile(`${lockDir}.owner`, JSON.stringify({ pid: deadPid, host: hostname(), ino: (await stat(lockDir)).ino }));
      // stale after 10 minutes, give up after 5 s: only the dead-PID check can let this open succeed.
      const store = new FsSkillStore({ root: dir, lockStaleMs: 600_000, lockTimeoutMs: 5_000 });
      await store.open();
      await store.close();
    } finally {
      await cleanup();
    }
  });

  test('a lock held by a live process is still respected', async () => {
    const { dir, cleanup } = await tempDir('autoskill-live-lock-');
    try {
      const first = new FsSkillStore({ root: dir });
      await first.open();
      await first.close();
      const lockDir = path.join(dir, '.autoskill', 'locks', '__store__.lock');
      await mkdir(lockDir);
      const { hostname } = await import('node:os');
      // pid 1 is alive on every host (init); never ours
      await writeFile(`${lockDir}.owner`, JSON.stringify({ pid: 1, host: hostname(), ino: (await stat(lockDir)).ino }));
      const store = new FsSkillStore({ root: dir, lockStaleMs: 600_000, lockTimeoutMs: 1_500 });
      await expect(store.open()).rejects.toThrow(/timed out/);
    } finally {
      await cleanup();
    }
  });
});

describe('large archives unpack off the event loop', () => {
  test('a 4,000-skill zip imports completely while timers keep firing; the event-loop gaps are printed', async () => {
    const { dir, cleanup } = await tempDir('autoskill-big-zip-');
    try {
      const files: Record<string, Uint8Array> = {};
      for (let i = 0; i < 4000; i++) {
        files[`s${i}/SKILL.md`] = strToU8(skillMd(`big-${i}`, `Skill ${i}`));
        files[`s${i}/references/notes.md`] = strToU8(`notes for skill ${i}\n`.repeat(60));
      }
      const zip = zipSync(files);
      const { unzipEntries } = await import('../../src/engine/store/unzip.js');
      const names = Object.keys(files);
      let ticks = 0;
      let maxGap = 0;
      let last = performance.now();
      const timer = setInterval(() => {
        const now = performance.now();
        maxGap = Math.max(maxGap, now - last);
        last = now;
        ticks++;
      }, 5);
      const t0 = performance.now();
      const out = await unzipEntries(zip, names);
      const ms = performance.now() - t0;
      clearInterval(timer);
      expect(Object.keys(out)).toHaveLength(names.length);
      expect(Buffer.from(out['s3999/references/notes.md']!).toString()).toBe(`notes for skill 3999\n`.repeat(60));
      expect(ticks).toBeGreaterThan(0);
      console.log(`unpacked ${names.length} entries (${zip.length} bytes zipped) in ${ms.toFixed(0)} ms; longest event-loop gap meanwhile ${maxGap.toFixed(1)} ms`);
      // a time limit that cannot be met refuses the archive instead of stalling
      await expect(unzipEntries(zip, names, 1)).rejects.toMatchObject({ code: 'too_large' });
      // and the whole import path still works with it
      const sdk = await AutoSkill.open({ storeDir: dir, learning: { mode: 'never' } });
      const padded = zipSync({ ...Object.fromEntries(Object.entries(files).slice(0, 200)), 'pad.bin': [new Uint8Array(700_000).map((_, i) => (i * 7919) % 251), { level: 0 }] } as never);
      expect(padded.length).toBeGreaterThan(512 * 1024);
      const report = await sdk.importZip(padded, { scope: 'user', userId: 'u' });
      expect(report.filter((r) => r.status === 'imported')).toHaveLength(100);
      await sdk.close();
    } finally {
      await cleanup();
    }
  }, 120_000);
});
