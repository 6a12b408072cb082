import { PgDatabase } from './db.js';
import { PostgresJobJournal } from './jobs.js';
import type { VectorMode } from './migrations.js';
import { PostgresSkillStore, type PostgresSkillStoreOptions } from './store.js';
import { isPostgresUrl } from './url.js';
import { PostgresUsagePersistence } from './usage.js';
import { PostgresVectorStore } from './vectors.js';

/**
 * PostgreSQL backends for multi-replica deployments. Selecting them is one value: a
 * `postgres://` URL (CLI `--store postgres://…` or `AUTOSKILL_STORE_URL`) instead of a folder.
 *
 *   const pg = createPostgresBackends(url);
 *   const sdk = await AutoSkill.open({ store: pg.store, vectorStore: pg.vectorStore, journal: pg.journal, usage: pg.usage });
 *   // shutdown: sdk.close() then pg.close()
 *
 * They share one connection pool (plus the store's lock pool and LISTEN connection); the
 * schema is migrated on first use by whichever component gets there first.
 */

export interface PostgresBackendOptions {
  /** main pool size per process (default 10) */
  poolSize?: number;
  /** shown in pg_stat_activity (default "autoskill") */
  applicationName?: string;
  /** vector column type when the schema is first created (default `auto`: pgvector if available) */
  vectors?: VectorMode;
  /** store limits and lock settings */
  store?: Omit<PostgresSkillStoreOptions, 'db' | 'onClose' | 'migrations'>;
}

export interface PostgresBackends {
  store: PostgresSkillStore;
  vectorStore: PostgresVectorStore;
  journal: PostgresJobJournal;
  /** usage counters (`AutoSkillOptions.usage`) */
  usage: PostgresUsagePersistence;
  db: PgDatabase;
  /** Close the store, the journal and the usage counters (idempotent); the pool ends when all are closed. */
  close(): Promise<void>;
}

export function createPostgresBackends(url: string, opts: PostgresBackendOptions = {}): PostgresBackends {
  if (!isPostgresUrl(url)) throw new Error('expected a postgres:// or postgresql:// URL');
  const db = new PgDatabase({
    url: url.trim(),
    ...(opts.poolSize !== undefined ? { max: opts.poolSize } : {}),
    ...(opts.applicationName !== undefined ? { applicationName: opts.applicationName } : {}),
  });
  const migrations = opts.vectors ? { vectors: opts.vectors } : {};
  // Store, journal and usage each hold a reference; the vector store lives as long as the pool.
  db.retain();
  db.retain();
  db.retain();
  const store = new PostgresSkillStore({ ...opts.store, db, migrations, onClose: () => db.release() });
  const journal = new PostgresJobJournal({ db, migrations, onClose: () => db.release() });
  const usage = new PostgresUsagePersistence({ db, migrations, onClose: () => db.release() });
  const vectorStore = new PostgresVectorStore({ db, migrations });
  return {
    store,
    vectorStore,
    journal,
    usage,
    db,
    close: async () => {
      await store.close();
      await journal.close();
      await usage.close();
    },
  };
}

export { PgDatabase, type SqlDatabase, type SqlQueryable } from './db.js';
export { PostgresJobJournal } from './jobs.js';
export { migrateStore, type MigrateOptions, type MigrateReport } from './migrate.js';
export { ensureSchema, migrate, MIGRATIONS, type MigrationOptions, type MigrationResult, type VectorMode } from './migrations.js';
export { PostgresSkillStore, type PostgresSkillStoreOptions, type SkillRecord } from './store.js';
export { isPostgresUrl } from './url.js';
export { PostgresUsagePersistence, type PostgresUsagePersistenceOptions } from './usage.js';
export { PostgresVectorStore, type VectorHit } from './vectors.js';
