import type { Actor } from '../access.js';
import { runBatch, type BatchOptions, type BatchSummary } from '../learn/batch.js';
import type {
  ExtractJobResult,
  ExtractNowOptions,
  IngestOptions,
  MessagesInput,
  ObserveOptions,
  ObserveOutcome,
  SimulateOptions,
  SimulationResult,
} from '../learn/learner.js';
import type { JobInfo } from '../jobs/runner.js';
import type { EngineCore } from './core.js';

/**
 * Learning from conversations, on behalf of the user they belong to: the learned skills are
 * always the actor's own (the learner writes only under `user:<actor>`).
 */
export class LearningService {
  readonly #core: EngineCore;

  constructor(core: EngineCore) {
    this.#core = core;
  }

  /** Learned skills wait for their owner's approval (`learning.review`). */
  get reviewMode(): boolean {
    return this.#core.learner.reviewMode;
  }

  /** Hand a finished turn to the policy; the job it scheduled, or why none was. */
  observe(actor: Actor, messages: MessagesInput, opts: ObserveOptions = {}): Promise<ObserveOutcome> {
    return this.#core.learner.observe(actor.userId, messages, opts);
  }

  /** Extract now, whatever the policy; with `wait`, resolves when the job is final. */
  extractNow(actor: Actor, messages: MessagesInput, opts: ExtractNowOptions = {}): Promise<JobInfo> {
    return this.#core.learner.extractNow(actor.userId, messages, opts);
  }

  /** Dry run: what extraction and maintenance would do, writing nothing. */
  simulate(actor: Actor, messages: MessagesInput, opts: SimulateOptions = {}): Promise<SimulationResult> {
    return this.#core.learner.simulate(actor.userId, messages, opts);
  }

  /** Learn from a conversation in the caller's task (no job record). */
  ingest(actor: Actor, messages: MessagesInput, opts: IngestOptions = {}): Promise<ExtractJobResult> {
    return this.#core.learner.ingest(actor.userId, messages, opts);
  }

  /** Learn from a file (or value) of conversations, one after another, in the caller's task. */
  batch(actor: Actor, opts: Omit<BatchOptions, 'userId'>): Promise<BatchSummary> {
    return runBatch(this.#core.learner, { ...opts, userId: actor.userId });
  }

  /** Stop taking jobs and give running ones up to `timeoutMs` to finish (shutdown of a server). */
  stop(opts: { timeoutMs?: number } = {}): Promise<void> {
    return this.#core.learner.close(opts);
  }
}
