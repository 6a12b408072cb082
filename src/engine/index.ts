/**
 * The engine's public entry point for this repository's adapters, MCP server and CLI: the facade
 * (AutoSkill) and its use-case services, the access policy, errors, and the skill values and
 * helpers the surfaces render. Port contracts live in ./ports/. Nothing else under src/engine is
 * imported from outside it; `npm run lint:deps` (.dependency-cruiser.cjs) fails CI otherwise.
 * Add an export here when a surface needs one, never an import of an internal module.
 */
export { AutoSkill, DEFAULT_RETRIEVAL, skillInputFrom } from './autoskill.js';
export type { AutoSkillOptions, ImportTarget, LearningOptions, RetrievalDefaults, SkillInput, TurnRetrieval, TurnRetrievalOptions, VectorStatus, VersionInfo } from './autoskill.js';
export { SkillService, importOwner } from './services/skills.js';
export { RetrievalService } from './services/retrieval.js';
export type { ActorSearch, ActorSearchOptions } from './services/retrieval.js';
export { LearningService } from './services/learning.js';
export { JobService } from './services/jobs.js';
export { assertCanImport, canImportInto, canRead, canRebuildIndex, canSeeJob, canSeeOtherOwners, canWrite, visibleInScope } from './access.js';
export type { Actor, Viewer } from './access.js';
export { AccessDeniedError, AutoskillError, ConflictError, NotFoundError, StorageError, TooLargeError, ValidationError } from './errors.js';
export type { AutoskillErrorCode } from './errors.js';
export { jsonLogger, silentLogger } from './logger.js';
export type { Logger } from './logger.js';
export type { JobEvent, JobInfo } from './jobs/runner.js';
export { loadConversations } from './learn/batch.js';
export { LearnerError } from './learn/learner.js';
export type { ExtractJobResult, MessagesInput } from './learn/learner.js';
export type { ExtractMode } from './learn/policy.js';
export { SURFACES } from './learn/provenance.js';
export type { Surface } from './learn/provenance.js';
export { insertAfterSystem } from './retrieve/inject.js';
export type { SkillHit } from './index/skill-index.js';
export { skillIdProblem } from './skill/ids.js';
export { REVIEW_REASON_KEY, isPending } from './skill/review.js';
export { OwnerSchema, ScopeSchema, isLibraryOwner, userOwner } from './skill/schema.js';
export type { Owner, Scope, Skill } from './skill/schema.js';
export { parseSkillMd, renderSkillMd } from './skill/skill-md.js';
export { asciiSlugFor } from './skill/slug.js';
export { specSkillMd } from './skill/spec-export.js';
export { exportNameFor, isAsciiName, isSpecName } from './skill/spec-name.js';
export { appliesOf } from './skill/standing.js';
export type { SkillApplies } from './skill/standing.js';
export { errorsOf, validateSkillMd, violationText } from './skill/validate.js';
export type { Violation } from './skill/validate.js';
export { writeFileAtomic } from './store/atomic.js';
export { FsSkillStore } from './store/fs/store.js';
export { isStoreTree } from './store/import-layout.js';
export { safeLibraryName, safeUserId } from './store/paths.js';
export type { ImportReportEntry, SkillStore, VersionEntry } from './store/store.js';
export { resolveSyncDir, syncAsciiNames } from './sync/agents.js';
export { digestOf } from './sync/manifest.js';
export type { SyncReport } from './sync/sync.js';
export type { SyncWatcher } from './sync/watch.js';
export { DEFAULT_USER_ID } from './turn/default-user.js';
export { learningWithin } from './turn/pipeline.js';
export type { CachedRetrieval } from './turn/pipeline.js';
export { LEARNING_DISABLED, TurnReportSchema, buildReport, learningOfJob } from './turn/report.js';
export type { InjectedSkill, ReportHit, TurnLearning, TurnReport } from './turn/report.js';
export { resolveUser } from './turn/user.js';
export type { UserSources } from './turn/user.js';
// process hooks between the steps of opening an engine (the CLI's heap settings)
export { onStoreLoaded } from './open-hooks.js';
