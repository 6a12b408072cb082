import path from 'node:path';
import { FsVectorStore } from '../index/fs-vector-store.js';
import { FsTermCache, type TermCache } from '../index/term-cache.js';
import type { VectorStore } from '../index/vector-store.js';
import { FsJobJournal } from '../jobs/fs-journal.js';
import type { JobJournal } from '../jobs/journal.js';
import { MemoryJobJournal } from '../jobs/memory-journal.js';
import type { Logger } from '../logger.js';
import { FileUsagePersistence, type UsagePersistence } from '../usage/persistence.js';
import { FsSkillStore, type FsSkillStoreOptions } from './fs/store.js';
import { MemorySkillStore } from './memory/store.js';
import { MemoryUsagePersistence } from './memory/usage.js';
import { MemoryVectorStore } from './memory/vectors.js';
import type { SkillStore } from './store.js';

/**
 * Backends as presets: everything the SDK persists comes from one value, so choosing where
 * skills live also chooses where jobs, vectors and usage counters live. Before, `AutoSkill.open`
 * guessed the rest from the store: a custom store silently got an in-memory job queue (jobs no
 * longer survived a restart) and no vector persistence.
 *
 *   AutoSkill.open({ backends: fsBackends('./Skills') })
 *   AutoSkill.open({ backends: await postgresBackends(process.env.DATABASE_URL!) })
 *   AutoSkill.open({ backends: memoryBackends() })
 */
export interface Backends {
  /** a short name for diagnostics: 'fs', 'postgres', 'memory' */
  readonly kind: string;
  store: SkillStore;
  /** background learning jobs; durable for fs and postgres */
  journal: JobJournal;
  /** embeddings, per embedder signature (every preset has one; absent only for a bare custom store) */
  vectorStore?: VectorStore;
  /** retrieval/injection counters (every preset has one; absent: counted in memory by the SDK) */
  usage?: UsagePersistence;
  /** tokenization cache beside a filesystem store (others have no local root to keep it in) */
  termCache?: TermCache;
  /** Release what the preset opened (pools, connections) after the SDK closed the store. Idempotent. */
  close(): Promise<void>;
}

export interface FsBackendOptions {
  logger?: Logger;
  /** store limits and lock timing (root comes from `dir`) */
  store?: Omit<FsSkillStoreOptions, 'root' | 'logger'>;
}

/** Skill folders, history, job journal, usage and vectors all under one folder. */
export function fsBackends(dir: string, opts: FsBackendOptions = {}): Backends {
  const root = path.resolve(dir);
  const logger = opts.logger ? { logger: opts.logger } : {};
  return {
    kind: 'fs',
    // The store reports files it cannot load (hostile or broken SKILL.md) through the logger, by path.
    store: new FsSkillStore({ ...opts.store, root, ...logger }),
    journal: new FsJobJournal({ root }),
    vectorStore: new FsVectorStore(root),
    usage: new FileUsagePersistence({ root, ...logger }),
    termCache: new FsTermCache({ root }),
    close: async () => undefined,
  };
}

/** Nothing survives the process: tests, demos, one-off tools. Same semantics as the durable presets. */
export function memoryBackends(): Backends {
  return {
    kind: 'memory',
    store: new MemorySkillStore(),
    journal: new MemoryJobJournal(),
    vectorStore: new MemoryVectorStore(),
    usage: new MemoryUsagePersistence(),
    close: async () => undefined,
  };
}

export type PostgresPresetOptions = import('./postgres/preset.js').PostgresPresetOptions;

/**
 * PostgreSQL for several replicas sharing one database: store, journal, vectors and usage on one
 * pool. `pg` is an optional peer dependency, loaded only here, on first use.
 */
export async function postgresBackends(url: string, opts: PostgresPresetOptions = {}): Promise<Backends> {
  const { openPostgresPreset } = await import('./postgres/preset.js');
  return openPostgresPreset(url, opts);
}

/** The options `AutoSkill.open` took before presets; still accepted, as sugar over them. */
export interface LegacyBackendOptions {
  storeDir?: string;
  store?: SkillStore;
  journal?: JobJournal;
  vectorStore?: VectorStore;
  usage?: UsagePersistence;
  logger?: Logger;
}

/**
 * `storeDir` (default `./Skills`) is `fsBackends(storeDir)`; a bare `store` keeps what it always
 * meant: that store, with jobs in memory, vectors only in the index and usage counted in memory
 * (pass `backends` to get a preset's durable parts). Explicit `journal`, `vectorStore` and `usage`
 * replace the preset's.
 */
export function backendsFromOptions(opts: LegacyBackendOptions): Backends {
  const base: Backends = opts.store
    ? { kind: 'custom', store: opts.store, journal: new MemoryJobJournal(), close: async () => undefined }
    : fsBackends(opts.storeDir ?? 'Skills', opts.logger ? { logger: opts.logger } : {});
  return withParts(base, opts);
}

/** A preset with some parts replaced by explicitly given ones. */
export function withParts(base: Backends, parts: Pick<LegacyBackendOptions, 'journal' | 'vectorStore' | 'usage'>): Backends {
  return {
    ...base,
    ...(parts.journal ? { journal: parts.journal } : {}),
    ...(parts.vectorStore ? { vectorStore: parts.vectorStore } : {}),
    ...(parts.usage ? { usage: parts.usage } : {}),
  };
}
