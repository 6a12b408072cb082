import { afterAll } from 'vitest';
import { createPostgresBackends } from '../../src/engine/store/postgres/index.js';
import { FsSkillStore } from '../../src/engine/store/fs/store.js';
import { MemorySkillStore } from '../../src/engine/store/memory/store.js';
import type { StoreLimits } from '../../src/engine/store/write-plan.js';
import { tempDir } from '../fixtures/store-helpers.js';
import { createTestDatabase } from '../helpers/pg.js';
import { skillStoreContract } from './suites/skill-store.js';

/** The same SkillStore cases against each implementation: filesystem, PostgreSQL, memory. */

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

skillStoreContract('filesystem', async (limits?: Partial<StoreLimits>) => {
  const { dir, cleanup } = await tempDir('store-contract-');
  cleanups.push(cleanup);
  const make = async () => {
    const store = new FsSkillStore({ root: dir, ...limits });
    await store.open();
    cleanups.push(() => store.close());
    return store;
  };
  return { store: await make(), reopen: make };
});

// Each case gets its own database (created in ~50 ms), so cases that list everything see only their own rows.
skillStoreContract('postgres', async (limits?: Partial<StoreLimits>) => {
  const db = await createTestDatabase('storecase');
  cleanups.push(() => db.drop());
  const make = async () => {
    const pg = createPostgresBackends(db.url, { poolSize: 3, store: { lockPoolSize: 3, ...limits } });
    cleanups.push(() => pg.close());
    await pg.store.open();
    return pg.store;
  };
  return { store: await make(), reopen: make };
});

skillStoreContract('memory', async (limits?: Partial<StoreLimits>) => {
  const store = new MemorySkillStore(limits);
  await store.open();
  return { store };
});
