import type { VectorStore } from './index/vector-store.js';
import type { JobJournal } from './jobs/journal.js';
import type { ExtractMode } from './learn/policy.js';
import type { Logger } from './logger.js';
import type { Embedder } from './ports/embedder.js';
import type { LlmPort } from './ports/llm.js';
import type { RetrievalDefaults } from './services/types.js';
import type { Scope } from './skill/schema.js';
import type { Backends } from './store/backends.js';
import type { SkillStore } from './store/store.js';
import type { UsagePersistence } from './usage/persistence.js';

/** What `AutoSkill.open` takes, and the shapes of its status answers (re-exported by autoskill.ts). */

export interface AutoSkillOptions {
  /**
   * Where skills, jobs, vectors and usage persist, as one preset: `fsBackends(dir)`,
   * `await postgresBackends(url)` or `memoryBackends()` (a promise is awaited). Default:
   * `fsBackends(storeDir)`.
   */
  backends?: Backends | Promise<Backends>;
  /** Root of the local store (default `./Skills`): sugar for `backends: fsBackends(storeDir)`. Ignored with `store` or `backends`. */
  storeDir?: string;
  /** A custom store, with jobs, usage and vectors in memory unless given too (prefer `backends`). */
  store?: SkillStore;
  /** Default: the deterministic offline `LocalEmbedder`. */
  embedder?: Embedder;
  /** Default: vectors persisted under `<storeDir>/vectors/`. */
  vectorStore?: VectorStore;
  logger?: Logger;
  /** Defaults for search and rendering. */
  retrieval?: Partial<RetrievalDefaults>;
  /** Extraction model (structured output). Without one, the offline rule-based extractor runs. */
  llm?: LlmPort;
  /** Durable job journal. Default: `<storeDir>/.autoskill/jobs/` (in memory for custom stores). */
  journal?: JobJournal;
  learning?: LearningOptions;
  /**
   * Where retrieval/injection counters are persisted (e.g. `createPostgresBackends(url).usage`, so
   * replicas add up and counts survive restarts). Default: `<storeDir>/.autoskill/usage.json`;
   * in memory only for a custom store without one.
   */
  usage?: UsagePersistence;
  /** Released after the store on `close()` (e.g. a database pool the caller created for us). */
  dispose?: () => Promise<void>;
}

export interface LearningOptions {
  /** auto (every `turnLimit` assistant turns), always, or never. Default auto. */
  mode?: ExtractMode;
  turnLimit?: number;
  /** messages extraction sees before the newest user message (default 6) */
  window?: number;
  /** background jobs at once across users (default 2) */
  concurrency?: number;
  /** start the job runner on open (default true); tools that only read pass false */
  start?: boolean;
  /**
   * Review mode: learned skills are saved as pending (`metadata.review: pending`) and never
   * injected until their owner approves them (`approve`). Off by default; candidates that the
   * poisoning scan flags are held either way.
   */
  review?: boolean;
}

export interface VectorStatus {
  scope: Scope;
  /** skills visible in the scope */
  skills: number;
  /** of those, in the index */
  indexed: number;
  missing: number;
  /** whole index: entries and entries with a vector */
  indexSize: number;
  vectors: number;
  signature: string;
  dims: number;
}
