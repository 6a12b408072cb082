import { spawn } from 'node:child_process';
import { readdir, readFile, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseSkillMd } from '../../src/engine/skill/skill-md.js';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { FsSkillStore } from '../../src/engine/store/fs/store.js';
import { importSkillTree } from '../../src/engine/store/import.js';
import type { StoreChange } from '../../src/engine/store/store.js';
import { ConflictError, ValidationError } from '../../src/engine/errors.js';
import { AutoSkill } from '../../src/engine/autoskill.js';
import { listAll, makeSkill, tempDir } from '../fixtures/store-helpers.js';

let root: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ dir: root, cleanup } = await tempDir('autoskill-batch-'));
});
afterEach(async () => {
  await cleanup();
});

async function openStore(r = root): Promise<FsSkillStore> {
  const store = new FsSkillStore({ root: r, lockStaleMs: 2000 });
  await store.open();
  return store;
}

const genOf = async (r: string): Promise<number> => (JSON.parse(await readFile(path.join(r, '.autoskill', 'generation'), 'utf8')) as { gen: number }).gen;

describe('putMany', () => {
  test('each item succeeds or fails on its own, results keep input order, one generation bump per write', async () => {
    const store = await openStore();
    const before = await genOf(root).catch(() => 0);
    const a = makeSkill({ name: 'Alpha' });
    const b = makeSkill({ name: 'Beta' }); // same slug as a: must get its own folder
    const bad = { ...makeSkill(), version: 'not-semver' };
    const dup = { ...a, name: 'Alpha again' };
    const results = await store.putMany([{ skill: a }, { skill: bad }, { skill: b }, { skill: dup }]);

    expect(results).toHaveLength(4);
    expect((results[0] as { id: string }).id).toBe(a.id);
    expect(ValidationError.isInstance(results[1])).toBe(true);
    expect((results[1] as ValidationError).code).toBe('invalid');
    expect((results[2] as { id: string }).id).toBe(b.id);
    expect(ConflictError.isInstance(results[3])).toBe(true);
    expect((results[3] as ConflictError).message).toMatch(/twice in one batch/);

    expect(new Set([store.locate(a.id), store.locate(b.id)]).size).toBe(2);
    expect((await store.get(a.id))?.name).toBe('Alpha');
    expect(await genOf(root)).toBe(before + 2);

    // Another process (a second store instance) sees exactly what was written, after a restart too.
    const other = await openStore();
    expect((await other.list()).map((s) => s.name).sort()).toEqual(['Alpha', 'Beta']);
    expect((await other.get(a.id))).toEqual((await store.get(a.id)));
  });

  test('a batch mixing updates and creates records history for the updated skill and emits one event per write', async () => {
    const store = await openStore();
    const a = makeSkill({ name: 'Alpha' });
    await store.put(a);
    const events: StoreChange[] = [];
    store.onChange((c) => events.push(c));
    const c = makeSkill({ name: 'Gamma', slug: 'gamma' });
    const results = await store.putMany([{ skill: { ...a, version: '0.1.1', instructions: 'Changed.' } }, { skill: c }]);
    expect(results.every((r) => !(r instanceof Error))).toBe(true);
    expect((await store.history(a.id)).map((h) => h.version)).toEqual(['0.1.0', '0.1.1']);
    expect(events.map((e) => [e.type, e.id]).sort()).toEqual([['put', a.id], ['put', c.id]].sort());
  });

  test('a second store instance catches up with a batch written by the first before its own write', async () => {
    const first = await openStore();
    const second = await openStore();
    const batch = Array.from({ length: 10 }, (_, i) => ({ skill: makeSkill({ name: `Skill ${i}`, slug: `skill-${i}` }) }));
    await first.putMany(batch);
    const own = makeSkill({ name: 'Own', slug: 'skill-0' });
    await second.put(own);
    expect((await second.list())).toHaveLength(11);
    // The folder name skill-0 was taken by the first process's batch, so the second picks another.
    expect(second.locate(own.id)).toBe('Users/alice/skill-0-2');
  });
});

describe('bulk import', () => {
  async function writeSkill(dir: string, name: string, id?: string): Promise<void> {
    await mkdir(dir, { recursive: true });
    const idLine = id ? `id: ${id}\n` : '';
    await writeFile(path.join(dir, 'SKILL.md'), `---\n${idLine}name: ${name}\ndescription: ${name} does things\n---\n\n## Prompt\nDo ${name}.\n`);
  }

  test('two folders with the same id: the first is imported, the second reported, nothing is lost silently', async () => {
    const src = path.join(root, 'src');
    const sharedId = '8a3c3f4e-4a7b-4c55-9d0c-2f4b0a1e9c11';
    await writeSkill(path.join(src, 'a-first'), 'first', sharedId);
    await writeSkill(path.join(src, 'b-second'), 'second', sharedId);
    await writeSkill(path.join(src, 'c-third'), 'third');
    const store = await openStore(path.join(root, 'store'));
    const report = await importSkillTree(store, src, { owner: 'library:demo' });
    const byPath = Object.fromEntries(report.map((r) => [r.path, r]));
    expect(byPath['a-first']?.status).toBe('imported');
    expect(byPath['b-second']).toMatchObject({ status: 'skipped', reason: 'same id as a-first' });
    expect(byPath['c-third']?.status).toBe('imported');
    expect((await store.get(sharedId))?.name).toBe('first');
  });

  test('a batch that cannot take the store lock is reported item by item and nothing is lost', async () => {
    const src = path.join(root, 'src');
    for (let i = 0; i < 10; i++) await writeSkill(path.join(src, `s-${i}`), `skill ${i}`);
    const storeDir = path.join(root, 'store');
    const store = new FsSkillStore({ root: storeDir, lockTimeoutMs: 300 });
    await store.open();
    // Another process holds the store lock (a fresh lock directory, so it is not stale).
    const lock = path.join(storeDir, '.autoskill', 'locks', '__store__.lock');
    await mkdir(lock, { recursive: true });
    const blocked = await importSkillTree(store, src, { owner: 'library:demo' });
    expect(blocked).toHaveLength(10);
    for (const r of blocked) expect(r).toMatchObject({ status: 'error', reason: expect.stringMatching(/timed out waiting for lock/) });
    expect((await store.list())).toHaveLength(0);

    await rm(lock, { recursive: true });
    const report = await importSkillTree(store, src, { owner: 'library:demo' });
    expect(report.filter((r) => r.status === 'imported')).toHaveLength(10);
  });

  test('more skills than one batch: all imported in order with progress for each, and the parse cache is saved', async () => {
    const src = path.join(root, 'src');
    const n = 150; // > one batch of 64
    for (let i = 0; i < n; i++) await writeSkill(path.join(src, `s-${String(i).padStart(3, '0')}`), `skill ${i}`);
    const storeDir = path.join(root, 'store');
    const sdk = await AutoSkill.open({ storeDir, learning: { start: false } });
    const progress: number[] = [];
    const report = await sdk.importSkills(src, { scope: 'common', library: 'demo' }, { onProgress: (done) => progress.push(done) });
    expect(report.filter((r) => r.status === 'imported')).toHaveLength(n);
    expect(progress).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    // Every imported skill is searchable once importSkills resolves.
    expect((await sdk.search('skill 149', { scope: 'common', limit: 1, minScore: 0 }))[0]?.skill.name).toBe('skill 149');

    const cache = JSON.parse(await readFile(path.join(storeDir, '.autoskill', 'cache', 'load.json'), 'utf8')) as { entries: Record<string, unknown> };
    expect(Object.keys(cache.entries)).toHaveLength(n);
    const inMemory = sdk.list({ scope: 'common' });
    await sdk.close();

    // What a fresh process loads (through the cache) equals what the importing process held.
    const again = await openStore(storeDir);
    const loaded = (await again.list()).sort((x, y) => x.name.localeCompare(y.name));
    expect(loaded).toEqual(inMemory);
  });
});

describe('a bulk import killed mid-way', () => {
  const CRASHER = path.resolve(import.meta.dirname, '../fixtures', 'import-crasher.ts');

  test('SIGKILL leaves only whole skills, another process sees exactly them, and importing again completes the rest', async () => {
    const src = path.join(root, 'src');
    // Large enough that the kill (after ~40 folders) lands long before the end, even on a busy machine.
    const n = 800;
    for (let i = 0; i < n; i++) {
      const dir = path.join(src, `s-${String(i).padStart(3, '0')}`);
      await mkdir(path.join(dir, 'references'), { recursive: true });
      await writeFile(path.join(dir, 'references', 'notes.md'), `notes ${i}\n`.repeat(50));
      await writeFile(path.join(dir, 'SKILL.md'), `---\nname: skill ${i}\ndescription: bulk skill ${i}\n---\n\n## Prompt\n${'Step.\n'.repeat(100)}END-OF-SKILL ${i}\n`);
    }
    const storeDir = path.join(root, 'store');
    const observer = await openStore(storeDir);

    const child = spawn(process.execPath, ['--import', 'tsx', CRASHER, storeDir, src], { stdio: ['ignore', 'pipe', 'pipe'], cwd: path.resolve(import.meta.dirname, '../..') });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    // Kill once some skill folders have landed, well before all of them have (counted on disk:
    // polling through the observer would take the store lock and slow the writer down).
    const bulkDir = path.join(storeDir, 'Common', 'bulk');
    for (;;) {
      if (out.includes('done')) throw new Error('the import finished before it could be killed');
      const landed = (await readdir(bulkDir).catch(() => [] as string[])).filter((d) => !d.startsWith('.')).length;
      if (landed >= 40) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    child.kill('SIGKILL');
    await exited;

    // Every SKILL.md on disk is whole.
    const files = (await listAll(storeDir)).filter((f) => f.endsWith('SKILL.md') && !f.split('/').some((seg) => seg.startsWith('.')));
    for (const f of files) {
      const text = await readFile(path.join(storeDir, f), 'utf8');
      const { skill } = parseSkillMd(text, { owner: 'library:bulk', slug: path.basename(path.dirname(f)), fallbackId: 'x' });
      expect(skill.instructions.trimEnd()).toMatch(/END-OF-SKILL \d+$/);
    }
    expect(files.length).toBeGreaterThan(0);
    expect(files.length).toBeLessThan(n);

    // A process that was running all along catches up through the change log on its next write.
    await observer.withLock('catch-up', async () => undefined);
    const fresh = await openStore(storeDir);
    expect(fresh.loadErrors).toEqual([]);
    expect((await observer.list()).map((s) => s.id).sort()).toEqual((await fresh.list()).map((s) => s.id).sort());
    expect((await fresh.list())).toHaveLength(files.length);

    // Importing again writes the rest and reports the survivors as already imported.
    const report = await importSkillTree(fresh, src, { owner: 'library:bulk' });
    expect(report.filter((r) => r.status === 'skipped')).toHaveLength(files.length);
    expect(report.filter((r) => r.status === 'imported')).toHaveLength(n - files.length);
    expect((await fresh.list())).toHaveLength(n);
    for (const s of (await fresh.list())) expect(s.resources).toEqual(['references/notes.md']);
  }, 60_000);
});
