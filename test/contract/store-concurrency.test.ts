import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { parseSkillMd } from '../../src/engine/skill/skill-md.js';
import { FsSkillStore } from '../../src/engine/store/fs/store.js';
import { listAll, makeSkill, tempDir } from '../fixtures/store-helpers.js';

const WRITER = path.resolve(import.meta.dirname, '../fixtures', 'store-writer.ts');

let root: string;
let cleanup: () => Promise<void>;
const children: ChildProcess[] = [];

beforeEach(async () => {
  ({ dir: root, cleanup } = await tempDir('autoskill-conc-'));
});
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await cleanup();
});

/** Start the writer fixture with the same node binary (node 24) and tsx as a loader. */
function startWriter(args: string[]): { child: ChildProcess; exited: Promise<{ code: number | null; stderr: string }>; stdout: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd: path.resolve(import.meta.dirname, '../..') });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('exit', (code) => resolve({ code, stderr: err })));
  return { child, exited, stdout: () => out };
}

/** Every SKILL.md outside hidden folders must parse and end with the marker of its own version. */
async function assertNoTornFiles(dir: string): Promise<number> {
  const files = (await listAll(dir)).filter((f) => f.endsWith('SKILL.md') && !f.split('/').some((s) => s.startsWith('.')));
  for (const f of files) {
    const text = await readFile(path.join(dir, f), 'utf8');
    const { skill } = parseSkillMd(text, { owner: 'user:crasher', slug: path.basename(path.dirname(f)), fallbackId: 'none' });
    expect(skill.instructions.trimEnd().endsWith(`END-OF-SKILL ${skill.version}`), `${f} is torn`).toBe(true);
  }
  return files.length;
}

describe('in-process concurrency', () => {
  test('50 concurrent puts of one skill: all serialized, every version recorded, the file is whole', async () => {
    const store = new FsSkillStore({ root });
    await store.open();
    const skill = makeSkill();
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => store.put({ ...skill, version: `1.0.${i}`, instructions: `Version ${i}\n`.repeat(200) + `END-OF-SKILL 1.0.${i}` })),
    );
    const hist = await store.history(skill.id);
    expect(hist.map((h) => h.version).sort()).toEqual(Array.from({ length: 50 }, (_, i) => `1.0.${i}`).sort());
    const current = (await store.get(skill.id))!;
    expect(hist.at(-1)!.version).toBe(current.version);
    const text = await readFile(path.join(root, 'Users/alice/my-skill/SKILL.md'), 'utf8');
    expect(parseSkillMd(text, { owner: 'user:alice', slug: 'my-skill', fallbackId: 'x' }).skill.version).toBe(current.version);
    expect(hist.at(-1)!.skillMd).toBe(text);
    const reopened = new FsSkillStore({ root });
    await reopened.open();
    expect((await reopened.get(skill.id))).toEqual(current);
  });

  test('50 concurrent creates with the same slug get 50 distinct folders', async () => {
    const store = new FsSkillStore({ root });
    await store.open();
    const saved = await Promise.all(Array.from({ length: 50 }, () => store.put(makeSkill({ slug: 'same' }))));
    expect(new Set(saved.map((s) => s.slug)).size).toBe(50);
    const reopened = new FsSkillStore({ root });
    await reopened.open();
    expect((await reopened.list())).toHaveLength(50);
    expect(reopened.loadErrors).toEqual([]);
  });

  test('withLock serializes read-modify-write across two store instances in one process', async () => {
    const a = new FsSkillStore({ root });
    const b = new FsSkillStore({ root });
    await a.open();
    await b.open();
    const skill = makeSkill({ metadata: { n: '0' } });
    await a.put(skill);
    const bump = (s: FsSkillStore) =>
      s.withLock('counter', async () => {
        const cur = (await s.get(skill.id))!;
        await new Promise((r) => setTimeout(r, 1));
        const [x, y, z] = cur.version.split('.').map(Number);
        await s.put({ ...cur, metadata: { n: String(Number(cur.metadata.n) + 1) }, version: `${x}.${y}.${z! + 1}` }, { expectedVersion: cur.version });
      });
    await Promise.all(Array.from({ length: 20 }, (_, i) => bump(i % 2 ? a : b)));
    await a.withLock('counter', async () => undefined);
    expect((await a.get(skill.id))?.metadata.n).toBe('20');
    expect((await a.history(skill.id)).length).toBe(21);
  });
});

describe('cross-process', () => {
  test('two child processes writing one store are serialized; every write is recorded', async () => {
    const count = 40;
    const startAt = String(Date.now() + 2500);
    const w1 = startWriter([root, 'counter', 'one', String(count), startAt]);
    const w2 = startWriter([root, 'counter', 'two', String(count), startAt]);
    const [r1, r2] = await Promise.all([w1.exited, w2.exited]);
    expect(r1, r1.stderr).toMatchObject({ code: 0 });
    expect(r2, r2.stderr).toMatchObject({ code: 0 });

    const store = new FsSkillStore({ root });
    await store.open();
    expect(store.loadErrors).toEqual([]);
    const counter = (await store.get('counter-skill'))!;
    // no lost update: 2 × count increments under withLock + expectedVersion
    expect(counter.metadata.counter).toBe(String(2 * count));
    const hist = await store.history('counter-skill');
    expect(hist.map((h) => h.version)).toEqual(Array.from({ length: 2 * count }, (_, i) => `0.1.${i}`));
    const refs = hist.map((h) => h.source?.ref);
    for (const name of ['one', 'two']) for (let i = 0; i < count; i++) expect(refs).toContain(`${name}#${i}`);
    // both processes created `count` skills with the same slug: no folder was shared
    const own = (await store.list()).filter((s) => s.id.includes('-own-'));
    expect(own).toHaveLength(2 * count);
    expect(new Set(own.map((s) => s.slug)).size).toBe(2 * count);
  }, 60_000);

  test('SIGKILL at random moments never leaves a torn SKILL.md and leftovers are not loaded', async () => {
    let start = 1;
    for (let round = 0; round < 5; round++) {
      const w = startWriter([root, 'crash', `round${round}`, String(start)]);
      await new Promise<void>((resolve, reject) => {
        const t = setInterval(() => {
          if (w.stdout().includes('ready')) {
            clearInterval(t);
            resolve();
          }
        }, 5);
        void w.exited.then((r) => reject(new Error(`writer exited early: ${r.stderr}`)));
      });
      await new Promise((r) => setTimeout(r, 150 + Math.random() * 600));
      w.child.kill('SIGKILL');
      await w.exited;
      start += 1000;
      await assertNoTornFiles(root);
    }
    const leftovers = (await listAll(root)).filter((f) => /\.tmp$|\.staging-|\.trash-/.test(f));
    const store = new FsSkillStore({ root, lockStaleMs: 2000 });
    await store.open();
    expect(store.loadErrors).toEqual([]);
    const n = await assertNoTornFiles(root);
    expect((await store.list())).toHaveLength(n);
    for (const s of (await store.list())) {
      expect(s.id).toMatch(/^crash-[012]$/);
      expect(s.instructions.trimEnd().endsWith(`END-OF-SKILL ${s.version}`)).toBe(true);
    }
    // open() garbage-collected what the killed writers left in the skill tree
    const after = (await listAll(root)).filter((f) => !f.startsWith('.autoskill/') && /\.tmp$|\.staging-|\.trash-/.test(f));
    expect(after).toEqual([]);
    // the store is writable again (the dead writer's lock went stale)
    await store.put({ ...(await store.list())[0]!, version: '9.9.9', instructions: 'after the crashes\nEND-OF-SKILL 9.9.9' });
    expect((await store.get('crash-0')) ?? (await store.get('crash-1')) ?? (await store.get('crash-2'))).toBeDefined();
    void leftovers;
  }, 60_000);
});
