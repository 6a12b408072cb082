import { afterAll } from 'vitest';
import { PgDatabase } from '../../src/engine/store/postgres/db.js';
import { PostgresUsagePersistence } from '../../src/engine/store/postgres/usage.js';
import { PostgresVectorStore } from '../../src/engine/store/postgres/vectors.js';
import { FsVectorStore } from '../../src/engine/index/fs-vector-store.js';
import { MemoryUsagePersistence } from '../../src/engine/store/memory/usage.js';
import { MemoryVectorStore } from '../../src/engine/store/memory/vectors.js';
import { FileUsagePersistence } from '../../src/engine/usage/persistence.js';
import { tempDir } from '../fixtures/store-helpers.js';
import { createTestDatabase } from '../helpers/pg.js';
import { usageContract } from './suites/usage.js';
import { vectorStoreContract } from './suites/vector-store.js';

/** The same VectorStore and UsagePersistence cases against filesystem, PostgreSQL and memory. */

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

async function folder(): Promise<string> {
  const { dir, cleanup } = await tempDir('ports-contract-');
  cleanups.push(cleanup);
  return dir;
}

async function database(): Promise<() => PgDatabase> {
  const tdb = await createTestDatabase('portcase');
  cleanups.push(() => tdb.drop());
  return () => {
    const db = new PgDatabase({ url: tdb.url, max: 3 });
    cleanups.push(() => db.end());
    return db;
  };
}

vectorStoreContract('filesystem', async () => {
  const dir = await folder();
  return { vectors: new FsVectorStore(dir), reopen: async () => new FsVectorStore(dir) };
});
vectorStoreContract('postgres', async () => {
  const pool = await database();
  return { vectors: new PostgresVectorStore({ db: pool() }), reopen: async () => new PostgresVectorStore({ db: pool() }) };
});
vectorStoreContract('memory', async () => ({ vectors: new MemoryVectorStore() }));

usageContract('filesystem', async () => {
  const dir = await folder();
  return { usage: new FileUsagePersistence({ root: dir }), peer: async () => new FileUsagePersistence({ root: dir }) };
});
usageContract('postgres', async () => {
  const pool = await database();
  return { usage: new PostgresUsagePersistence({ db: pool() }), peer: async () => new PostgresUsagePersistence({ db: pool() }) };
});
usageContract('memory', async () => ({ usage: new MemoryUsagePersistence() }));
