import type { RenderedContext } from '../retrieve/render.js';
import type { SkillHit } from '../index/skill-index.js';
import type { Scope, Skill, SkillExample, SkillSource } from '../skill/schema.js';

/**
 * The values the facade's services take and return (re-exported by autoskill.ts, where callers
 * have always found them).
 */

/** What the request path gets back from `retrieveForTurn`: never throws, may be empty. */
export interface TurnRetrieval {
  query: string;
  /** skills retrieved for this request (task-bound; standing skills are listed in `standing`) */
  hits: SkillHit[];
  /** the user's standing skills injected whatever the request, newest first */
  standing: Skill[];
  /** rendered context, present when at least one skill is injected */
  context?: RenderedContext;
  /** retrieval failed or timed out; the caller proceeds without skills */
  error?: string;
  timedOut?: boolean;
  ms: number;
}

export interface TurnRetrievalOptions {
  userId: string;
  scope?: Scope;
  topK?: number;
  minScore?: number;
  maxContextChars?: number;
  /** time box for retrieval (default 1500 ms) */
  timeoutMs?: number;
  /** use recent history to complete a bare follow-up query (default true) */
  rewrite?: boolean;
  /** inject the user's standing skills (default true) */
  standing?: boolean;
}

export interface RetrievalDefaults {
  scope: Scope;
  topK: number;
  minScore: number;
  maxContextChars: number;
}

// minScore 0.5: scores are calibrated probabilities that the skill applies (retrieve/calibration.ts),
// independent of the store's size and of other users' skills, and 0.5 is the fitted operating
// point: ~92% of held-out bank triggers pass with their skill alone in the store (bench/injection.ts).
// The threshold is for injection only; search() ranks without it unless the caller passes minScore.
export const DEFAULT_RETRIEVAL: RetrievalDefaults = { scope: 'all', topK: 3, minScore: 0.5, maxContextChars: 6000 };

/** Input for creating or editing a skill through the SDK. */
export interface SkillInput {
  id?: string;
  name: string;
  description: string;
  instructions: string;
  triggers?: string[];
  tags?: string[];
  examples?: SkillExample[];
  metadata?: Record<string, string>;
  files?: Record<string, string | Uint8Array>;
  removeFiles?: string[];
  license?: string;
  compatibility?: string;
  allowedTools?: string;
  source?: SkillSource;
}

export type ImportTarget = { scope: 'common'; library?: string } | { scope: 'user'; userId: string };

export interface VersionInfo {
  version: string;
  at: string;
  source?: SkillSource;
  current: boolean;
}
