/** The learning loop's public surface (the SDK facade and adapters import from here). */
export { Learner, LearnerError } from './learner.js';
export type {
  LearnerDeps,
  MessagesInput,
  ObserveOptions,
  ExtractNowOptions,
  IngestOptions,
  SimulateOptions,
  SimulationResult,
  ExtractJobPayload,
  ExtractJobResult,
  LearnedSkillRef,
} from './learner.js';
export type { LlmPort, StructuredRequest } from '../ports/llm.js';
export { generateStructured, parseStructured, LlmOutputError, type LlmFailureReason } from './structured.js';
export { ExtractionPolicy, type ExtractMode, type PolicyOptions, type PolicyVerdict } from './policy.js';
export { UsageTracker, type UsageRow, type UsageTrackerOptions } from '../usage/tracker.js';
export { FileUsagePersistence, type FileUsagePersistenceOptions, type UsagePersistence, type UsageTable } from '../usage/persistence.js';
export { runBatch, loadConversations, type BatchOptions, type BatchSummary, type BatchProgress } from './batch.js';
export { redact, redactText, redactDeep, type RedactionKind } from './redact.js';
export { OfflineExtractor, extractOffline } from './offline-extractor.js';
export { LlmExtractor } from './extract.js';
export type { Extractor, ExtractionInput, ExtractionOutcome, ReferenceSkill } from './extractor.js';
export type { ProposedSkill } from './candidate.js';
export type { Decision, MaintainAction } from './maintain.js';
export type { SearchFn, LearnSearchOptions, LearnSkillHit } from './search-port.js';
export { toChatMessages, type ChatMessage } from '../ports/chat.js';
