/**
 * Issue 16 on the PostgreSQL store: the same tombstone and id rules as the filesystem store
 * (test/hardening-store.test.ts), so both backends behave alike.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createPostgresBackends } from '../../src/engine/store/postgres/index.js';
import { migrateStore } from '../../src/engine/store/postgres/migrate.js';
import type { PostgresSkillStore } from '../../src/engine/store/postgres/store.js';
import { AutoSkill } from '../../src/engine/autoskill.js';
import { FsSkillStore } from '../../src/engine/store/fs/store.js';
import { makeSkill, tempDir } from '../fixtures/store-helpers.js';
import { createTestDatabase, type TestDatabase } from '../helpers/pg.js';

let tdb: TestDatabase;
const opened: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  tdb = await createTestDatabase('pghard');
}, 180_000);
afterAll(async () => {
  for (const o of opened.reverse()) await o.close().catch(() => undefined);
  await tdb?.drop();
});

async function pgStore(name: string): Promise<PostgresSkillStore> {
  const backends = createPostgresBackends(tdb.url, { applicationName: name, poolSize: 2, store: { lockPoolSize: 2 } });
  opened.push(backends);
  await backends.store.open();
  return backends.store;
}

describe('PostgreSQL store: tombstones and ids', () => {
  test("a deleted id is never handed to another owner; history shows only the owner's versions; the owner lists and restores", async () => {
    const store = await pgStore('tomb');
    const s = makeSkill({ owner: 'user:alice', instructions: 'SECRET alice v1' });
    await store.put(s);
    await store.put({ ...s, version: '0.1.1', instructions: 'SECRET alice v2' });
    await store.delete(s.id);
    await expect(store.put(makeSkill({ id: s.id, owner: 'user:bob' }))).rejects.toMatchObject({ code: 'conflict' });
    expect((await store.get(s.id))).toBeUndefined();

    const deleted = await store.deletedSkills();
    expect(deleted.find((d) => d.id === s.id)).toMatchObject({ owner: 'user:alice', version: '0.1.1' });

    // Through the facade: bob sees nothing, alice restores.
    const sdk = await AutoSkill.open({ store, learning: { mode: 'never' } });
    expect(await sdk.listDeleted({ userId: 'bob' })).toEqual([]);
    expect((await sdk.listDeleted({ userId: 'alice' })).map((d) => d.id)).toContain(s.id);
    await expect(sdk.rollback(s.id, undefined, { userId: 'bob' })).rejects.toMatchObject({ code: 'not_found' });
    const restored = await sdk.rollback(s.id, '0.1.1', { userId: 'alice' });
    expect(restored.owner).toBe('user:alice');
    expect(restored.instructions).toContain('SECRET alice v2');
    expect((await sdk.versions(s.id, { userId: 'alice' })).map((v) => v.version)).toEqual(['0.1.0', '0.1.1', '0.1.2']);
    await expect(sdk.versions(s.id, { userId: 'bob' })).rejects.toMatchObject({ code: 'not_found' });
    expect((await store.deletedSkills()).some((d) => d.id === s.id)).toBe(false);
  });

  test('history never mixes owners, even for rows that changed hands before this rule', async () => {
    const store = await pgStore('mixed');
    const s = makeSkill({ owner: 'user:carol', instructions: 'SECRET carol' });
    // A legacy history (as an earlier version could leave it): carol's versions, then dave's.
    await store.importHistory(s.id, [
      { version: '0.1.0', at: '2024-01-01T00:00:00.000Z', owner: 'user:carol', skillMd: '---\nname: x\ndescription: SECRET carol\n---\n' },
    ]);
    await store.importRecords([{ skill: { ...makeSkill({ id: s.id, owner: 'user:dave' }), version: '0.2.0' }, skillMd: '---\nname: my-skill\ndescription: dave\nmetadata:\n  id: "' + s.id + '"\n  version: "0.2.0"\n---\n\nDave.\n', files: {} }]);
    const hist = await store.history(s.id);
    expect(hist.length).toBeGreaterThan(0);
    expect(hist.every((h) => h.owner === 'user:dave')).toBe(true);
    expect(JSON.stringify(hist)).not.toContain('SECRET');
  });

  test('unaddressable ids are refused by put and by migrate', async () => {
    const store = await pgStore('ids');
    await expect(store.put(makeSkill({ id: '../../x/y' }))).rejects.toMatchObject({ code: 'invalid' });
    await expect(store.put(makeSkill({ id: 'a/b' }))).rejects.toMatchObject({ code: 'invalid' });
    const { dir, cleanup } = await tempDir('autoskill-pg-bad-ids-');
    try {
      const { mkdir, writeFile } = await import('node:fs/promises');
      const path = await import('node:path');
      await mkdir(path.join(dir, 'Users', 'u', 'bad'), { recursive: true });
      await writeFile(path.join(dir, 'Users', 'u', 'bad', 'SKILL.md'), '---\nname: bad\ndescription: bad id\nmetadata:\n  id: "x/../y"\n---\n\nBody.\n');
      const from = new FsSkillStore({ root: dir });
      await from.open();
      await expect(migrateStore(from, store)).rejects.toThrow(/normalize-ids/);
      await from.close();
    } finally {
      await cleanup();
    }
  });
});
