/**
 * autoskill: the headless engine and its SDK facade. Framework adapters live in subpath exports
 * (`autoskill/ai-sdk`, `autoskill/langchain`, `autoskill/express`, `autoskill/mcp`).
 */
export { AutoSkill } from './engine/autoskill.js';
export type { AutoSkillOptions, SkillInput, ImportTarget, VersionInfo, RetrievalDefaults, LearningOptions, TurnRetrieval, TurnRetrievalOptions } from './engine/autoskill.js';
export { Learner } from './engine/learn/learner.js';
export type { ChatMessage } from './engine/ports/chat.js';
export type { JobInfo, JobEvent } from './engine/jobs/runner.js';
export type { ExtractMode } from './engine/learn/policy.js';
export * from './engine/turn/index.js';
export type { Actor } from './engine/access.js';
export { canRead, canWrite } from './engine/access.js';
export * from './engine/skill/schema.js';
export { parseSkillMd, renderSkillMd, setSkillMdId, SkillMdError } from './engine/skill/skill-md.js';
export { validateSkillMd, type ValidateMode, type ValidateOptions, type Violation } from './engine/skill/validate.js';
export { specSkillMd, type SpecSkillMd } from './engine/skill/spec-export.js';
export { exportNameFor, isSpecName, nameProblems } from './engine/skill/spec-name.js';
export { syncSkills, type SyncOptions, type SyncReport, type SyncConflict } from './engine/sync/sync.js';
export { watchSync, type SyncWatcher, type WatchOptions } from './engine/sync/watch.js';
export { AGENTS, resolveSyncDir } from './engine/sync/agents.js';
export { slugify } from './engine/skill/slug.js';
export { deterministicId, newSkillId } from './engine/skill/ids.js';
export { bumpPatch, nextVersion } from './engine/skill/version.js';
export type { SkillStore, VersionEntry, PutItem, PutOptions, StoreChange, ImportReportEntry } from './engine/store/store.js';
export { AutoskillError, NotFoundError, AccessDeniedError, ConflictError, ValidationError, TooLargeError, StorageError, SkillIdMismatchError, type AutoskillErrorCode } from './engine/errors.js';
export { FsSkillStore } from './engine/store/fs/store.js';
export { fsBackends, memoryBackends, postgresBackends, type Backends, type FsBackendOptions, type PostgresPresetOptions } from './engine/store/backends.js';
export { MemorySkillStore } from './engine/store/memory/store.js';
export { VersionConflictError, type StoredVersion } from './engine/store/store.js';
export type { Embedder } from './engine/ports/embedder.js';
export type { VectorStore, StoredVectors } from './engine/index/vector-store.js';
export { LocalEmbedder } from './engine/index/local-embedder.js';
export { FsVectorStore } from './engine/index/fs-vector-store.js';
export { SkillIndex, type SearchOptions, type SkillHit, type SearchFilters } from './engine/index/skill-index.js';
export { renderContext, type RenderOptions, type RenderedContext } from './engine/retrieve/render.js';
export { injectionIndex, insertAfterSystem } from './engine/retrieve/inject.js';
export type { LlmPort, StructuredRequest } from './engine/ports/llm.js';
export type { JobJournal, JobRecord, JobState } from './engine/jobs/journal.js';
export { FileUsagePersistence, type UsagePersistence, type UsageRow, type UsageTable } from './engine/usage/persistence.js';
export { diffLines, unifiedDiff } from './engine/diff.js';
export { jsonLogger, silentLogger, type Logger } from './engine/logger.js';
