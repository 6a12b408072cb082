import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createPostgresBackends, type PostgresBackends } from '../../src/engine/store/postgres/index.js';
import { migrateStore } from '../../src/engine/store/postgres/migrate.js';
import type { Skill } from '../../src/engine/skill/schema.js';
import { FsSkillStore } from '../../src/engine/store/fs/store.js';
import { mapLimit } from '../../src/engine/store/scan.js';
import type { SkillStore, VersionEntry } from '../../src/engine/store/store.js';
import { BANK } from '../fixtures/store-helpers.js';
import { createTestDatabase, layoutBankStoreRoot, type TestDatabase } from '../helpers/pg.js';

/**
 * Round trip of the REAL skill bank: filesystem → PostgreSQL → a fresh filesystem store, and
 * every skill, SKILL.md text, resource file and version history must come out identical.
 *
 * The bank is never written: a copy is laid out as a store root (see layoutBankStoreRoot), on
 * tmpfs when there is one. Some skills
 * get extra versions and some are deleted first, so multi-version and deleted-skill histories
 * are covered too, not only the bank's single versions.
 */

interface Snapshot {
  skills: Map<string, { skill: Skill; skillMd: string; files: Record<string, string>; history: VersionEntry[] }>;
  deleted: Map<string, VersionEntry[]>;
}

async function snapshot(store: SkillStore): Promise<Snapshot> {
  const read = await mapLimit((await store.list()), 8, async (skill) => {
    const files: Record<string, string> = {};
    for (const rel of skill.resources) files[rel] = Buffer.from(await store.readResource(skill.id, rel)).toString('base64');
    return {
      skill,
      skillMd: Buffer.from(await store.readResource(skill.id, 'SKILL.md')).toString('utf8'),
      files,
      history: await store.history(skill.id),
    };
  });
  const skills: Snapshot['skills'] = new Map(read.map((r) => [r.skill.id, r]));
  const gone = (await store.historyIds!()).filter((i) => !skills.has(i));
  const deleted: Snapshot['deleted'] = new Map(await mapLimit(gone, 8, async (id) => [id, await store.history(id)] as const));
  return { skills, deleted };
}

/** The filesystem store records no owner per version; PostgreSQL does. Compare what both keep. */
const withoutOwner = (h: VersionEntry[]) => h.map(({ owner: _o, ...rest }) => rest);

function expectSame(a: Snapshot, b: Snapshot, opts: { unstableAt?: Set<string> } = {}): void {
  expect([...b.skills.keys()].sort()).toEqual([...a.skills.keys()].sort());
  expect([...b.deleted.keys()].sort()).toEqual([...a.deleted.keys()].sort());
  const mismatches: string[] = [];
  for (const [id, x] of a.skills) {
    const y = b.skills.get(id)!;
    // `at` of a version the source only synthesizes (a bank file with no recorded history is
    // stamped "now" on every read) cannot be compared across reads; everything else must match.
    const norm = (h: VersionEntry[]) => withoutOwner(h).map((e) => (opts.unstableAt?.has(id) ? { ...e, at: '' } : e));
    try {
      expect(y.skill).toEqual(x.skill);
      expect(y.skillMd).toBe(x.skillMd);
      expect(y.files).toEqual(x.files);
      expect(norm(y.history)).toEqual(norm(x.history));
    } catch (err) {
      mismatches.push(`${id}: ${(err as Error).message.slice(0, 400)}`);
    }
  }
  for (const [id, h] of a.deleted) {
    try {
      expect(withoutOwner(b.deleted.get(id)!)).toEqual(withoutOwner(h));
    } catch (err) {
      mismatches.push(`deleted ${id}: ${(err as Error).message.slice(0, 400)}`);
    }
  }
  expect(mismatches.slice(0, 5)).toEqual([]);
}

let work: string;
let tdb: TestDatabase;
let backends: PostgresBackends | undefined;

beforeAll(async () => {
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  work = await mkdtemp(path.join(base, 'autoskill-pgmig-'));
  tdb = await createTestDatabase('pgmigrate');
});
afterAll(async () => {
  await backends?.close();
  await tdb.drop();
  await rm(work, { recursive: true, force: true });
});

describe('migrateStore over the real skill bank', () => {
  test('fs → pg → fresh fs keeps every skill, SKILL.md, resource file and version history', { timeout: 300_000 }, async () => {
    const root1 = path.join(work, 'fs1');
    await layoutBankStoreRoot(BANK, root1);

    const fs1 = new FsSkillStore({ root: root1 });
    await fs1.open();
    const bankSkills = (await fs1.list());
    expect(bankSkills.length).toBeGreaterThan(5000);

    // Give some skills real history (edits, resource changes) and delete a few.
    const users = bankSkills.filter((s) => s.owner.startsWith('user:')).slice(0, 12);
    for (const [i, s] of users.entries()) {
      const v2 = await fs1.put(
        { ...s, version: `${s.version.split('.')[0]}.${s.version.split('.')[1]}.${Number(s.version.split('.')[2]) + 1}`, instructions: s.instructions + `\n\nEdited ${i}.` },
        { files: { 'references/edit.md': `edit ${i}\n`, 'assets/bytes.bin': new Uint8Array([i, 0, 255, 10]) } },
      );
      if (i % 3 === 0) await fs1.put({ ...v2, version: v2.version + '-b', description: v2.description + ' (b)' }, { removeFiles: ['assets'] });
    }
    for (const s of users.slice(8)) await fs1.delete(s.id);
    const persisted = new Set(await fs1.historyIds());

    const before = await snapshot(fs1);
    expect(before.deleted.size).toBe(4);
    expect([...before.skills.values()].some((x) => x.history.length >= 3)).toBe(true);
    expect([...before.skills.values()].some((x) => Object.keys(x.files).length > 0)).toBe(true);

    backends = createPostgresBackends(tdb.url, { applicationName: 'pg-migrate' });
    const pgStore = backends.store;
    await pgStore.open();
    const toPg = await migrateStore(fs1, pgStore);
    expect(toPg.skills).toBe(before.skills.size);
    expect(toPg.deleted).toBe(4);

    const inPg = await snapshot(pgStore);
    const synthesized = new Set([...before.skills.keys()].filter((id) => !persisted.has(id)));
    expectSame(before, inPg, { unstableAt: synthesized });

    // What a second replica loads from the database is the same.
    const replica = createPostgresBackends(tdb.url, { applicationName: 'pg-migrate-2' });
    try {
      await replica.store.open();
      expect(new Map((await replica.store.list()).map((s) => [s.id, s]))).toEqual(new Map((await pgStore.list()).map((s) => [s.id, s])));
    } finally {
      await replica.close();
    }

    const fs2 = new FsSkillStore({ root: path.join(work, 'fs2') });
    await fs2.open();
    const toFs = await migrateStore(pgStore, fs2);
    expect(toFs.skills).toBe(before.skills.size);
    expect(toFs.idsWritten).toEqual([]);
    const after = await snapshot(fs2);
    // PostgreSQL's copy is persisted, so from here on even the timestamps must match exactly.
    expectSame(inPg, after);
    expectSame(before, after, { unstableAt: synthesized });
  }, 300_000);
});
