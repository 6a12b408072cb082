import type { ChatMessage } from '../ports/chat.js';
import type { ProposedSkill } from './candidate.js';

/** What any extractor (LLM or offline rules) receives and returns. */

/** The top retrieved skill, passed as an identity hint only (never as evidence). */
export interface ReferenceSkill {
  id?: string;
  slug: string;
  name: string;
  description: string;
  triggers: string[];
  tags: string[];
}

export interface ExtractionInput {
  userId: string;
  /** the window, oldest first; the newest user message (the feedback) last when there is one. Already redacted. */
  messages: ChatMessage[];
  events?: unknown[];
  /** set when the user explicitly asked to extract now */
  hint?: string;
  /** true for explicit requests (`extractNow`) even without a hint */
  explicit?: boolean;
  reference?: ReferenceSkill;
}

export type ExtractionOutcome =
  | { candidate: ProposedSkill; reason?: string }
  | { candidate: null; reason: string };

export interface Extractor {
  /**
   * What extracts: a model (`llm`) or the deterministic rules (`offline`). Declared so callers
   * can tell without knowing the class: the offline rules take no reference hint, so the
   * learner skips the search that finds one.
   */
  readonly kind: 'llm' | 'offline';
  /** for logs and job records: `llm:<model label>` or `offline` */
  readonly label: string;
  extract(input: ExtractionInput, signal?: AbortSignal): Promise<ExtractionOutcome>;
}
