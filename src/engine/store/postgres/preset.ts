import { createPostgresBackends, type PostgresBackendOptions } from './index.js';
import type { Backends } from '../backends.js';

/** Loaded by `postgresBackends()` only, so that importing the engine never loads `pg`. */
export type PostgresPresetOptions = PostgresBackendOptions;

export function openPostgresPreset(url: string, opts: PostgresPresetOptions): Backends {
  const pg = createPostgresBackends(url, opts);
  return { kind: 'postgres', store: pg.store, journal: pg.journal, vectorStore: pg.vectorStore, usage: pg.usage, close: () => pg.close() };
}
