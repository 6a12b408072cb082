/**
 * autoskill, the package root: the AutoSkill facade and what a caller needs around it (backend
 * presets, the offline embedder, SKILL.md helpers, loggers, error classes), plus every type its
 * public signatures use. Framework adapters live in subpath exports (`autoskill/ai-sdk`,
 * `autoskill/langchain`, `autoskill/express`, `autoskill/mcp`, `autoskill/openai`,
 * `autoskill/postgres`). Engine internals (the index, the learner, stores, sync, ...) are not
 * exported here; this repository's own code imports them from their modules.
 * test/unit/public-surface.test.ts keeps this list small and complete.
 */

// The facade and its options
export { AutoSkill } from './engine/autoskill.js';
export type {
  AutoSkillOptions,
  ImportTarget,
  LearningOptions,
  RetrievalDefaults,
  SkillInput,
  TurnRetrieval,
  TurnRetrievalOptions,
  VectorStatus,
  VersionInfo,
} from './engine/autoskill.js';
export type { SkillService } from './engine/services/skills.js';
export type { ActorSearch, ActorSearchOptions, RetrievalService } from './engine/services/retrieval.js';
export type { LearningService } from './engine/services/learning.js';
export type { JobService } from './engine/services/jobs.js';
export type { CachedRetrieval, TurnExtractOptions, TurnLearnOptions, TurnPipeline, UserResolution, UserSources } from './engine/turn/index.js';
export type { Actor, Viewer } from './engine/access.js';

// Backends: where skills, jobs, vectors and usage live
export { fsBackends, memoryBackends, postgresBackends } from './engine/store/backends.js';
export type { Backends, FsBackendOptions, PostgresPresetOptions } from './engine/store/backends.js';
export type { FsSkillStoreOptions, StoreLogger } from './engine/store/fs/store.js';
export type { PostgresBackendOptions } from './engine/store/postgres/index.js';
export type { PgDatabase, SqlQueryable } from './engine/store/postgres/db.js';
export type { PostgresSkillStoreOptions } from './engine/store/postgres/store.js';
export type { MigrationOptions } from './engine/store/postgres/migrations.js';
export type { IndexSnapshot, TermCache } from './engine/index/term-cache.js';
export { LocalEmbedder, type LocalEmbedderOptions } from './engine/index/local-embedder.js';

// Skills and SKILL.md
export { SkillSchema } from './engine/skill/schema.js';
export type { Owner, Scope, Skill, SkillExample, SkillSource, SourceMessage } from './engine/skill/schema.js';
export { parseSkillMd, renderSkillMd, SkillMdError } from './engine/skill/skill-md.js';
export type { ParseContext, ParseResult, RenderOptions as SkillMdRenderOptions } from './engine/skill/skill-md.js';
export type { SkillMdErrorCode } from './engine/skill/errors.js';
export { validateSkillMd } from './engine/skill/validate.js';
export type { ValidateMode, ValidateOptions, Violation, ViolationLevel } from './engine/skill/validate.js';

// Errors: branch on the class (`NotFoundError.isInstance(e)`) or on `code`, never on the message
export { AccessDeniedError, AutoskillError, ConflictError, NotFoundError, StorageError, TooLargeError, ValidationError } from './engine/errors.js';
export type { AutoskillErrorCode } from './engine/errors.js';

// Logging
export { jsonLogger, silentLogger } from './engine/logger.js';
export type { Logger } from './engine/logger.js';

// Types of the facade's inputs and results
export type { ChatMessage, ChatRole } from './engine/ports/chat.js';
export type {
  ExtractJobResult,
  ExtractNowOptions,
  IngestOptions,
  LearnedSkillRef,
  MessagesInput,
  ObserveOptions,
  ObserveOutcome,
  SimulateOptions,
  SimulationResult,
} from './engine/learn/learner.js';
export type { ExtractMode, PolicyVerdict } from './engine/learn/policy.js';
export type { Decision, DecisionVia } from './engine/learn/decide.js';
export type { ProposedSkill } from './engine/learn/candidate.js';
export type { BatchOptions, BatchProgress, BatchSummary } from './engine/learn/batch.js';
export type { SyncConflict, SyncOptions, SyncReport } from './engine/sync/sync.js';
export type { SyncWatcher, WatchOptions } from './engine/sync/watch.js';
export type { SkillApplies } from './engine/skill/standing.js';
export type { JobEvent, JobInfo } from './engine/jobs/runner.js';
export type { SearchFilters, SearchOptions, SkillHit } from './engine/index/skill-index.js';
export type { RenderedContext, RenderOptions } from './engine/retrieve/render.js';
export type { ImportOptions, ZipImportOptions } from './engine/store/import.js';
export type { ExportOptions, ExportResult } from './engine/store/export.js';
export type { DeletedSkill, ImportReportEntry, StoreChange, StoredVersion, VersionEntry } from './engine/store/store.js';
export type { TurnReport } from './engine/turn/index.js';
export type { ReportInput } from './engine/turn/report.js';

// Ports: implement these to bring your own store, model, embedder, vectors, journal or usage table
export type { Embedder, EmbedderCapabilities } from './engine/ports/embedder.js';
export type { LlmPort, StructuredRequest } from './engine/ports/llm.js';
export type { PutItem, PutOptions, SkillStore } from './engine/store/store.js';
export type { StoredVectors, VectorStore } from './engine/index/vector-store.js';
export type { ClaimOptions, JobJournal, JobRecord, JobState } from './engine/jobs/journal.js';
export type { UsagePersistence, UsageRow, UsageTable } from './engine/usage/persistence.js';
