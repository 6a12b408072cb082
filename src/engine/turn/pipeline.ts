import type { AutoSkill, TurnRetrieval, TurnRetrievalOptions } from '../autoskill.js';
import type { JobInfo } from '../jobs/runner.js';
import type { MessagesInput } from '../learn/learner.js';
import { toChatMessages, upToLastUser } from '../ports/chat.js';
import type { ExtractMode } from '../learn/policy.js';
import type { Surface } from '../learn/provenance.js';
import { TurnCache, turnKey, userKeyPrefix, type TurnCacheOptions } from './cache.js';
import { buildReport, LEARNING_DISABLED, learningOfJob, type ReportInput, type TurnLearning, type TurnReport } from './report.js';
import { resolveUser, type UserResolution, type UserSources } from './user.js';

/**
 * The turn use-case service: what every surface (proxy, AI SDK middleware, LangChain runnable,
 * callback and agent middleware, MCP, terminal chat, web page) does with one chat turn, so that
 * they behave the same and adapters only translate their framework's shapes:
 *
 * 1. `resolveUser`: explicit id > the request's resolver > the default (see user.ts);
 * 2. `retrieve`: `retrieveForTurn` once per turn, shared by the tool-loop steps of that turn
 *    (see cache.ts); never throws;
 * 3. `learn`: the conversation up to its newest user message goes to the learner's one policy
 *    (first-turn rules included; counters per user and session); never throws;
 * 4. `report`: one report shape (see report.ts).
 *
 * Request-path cost beyond the search itself: normalizing the messages and one SHA-256 over them.
 */

export type TurnRetrieveOptions = TurnRetrievalOptions;

export type CachedRetrieval = TurnRetrieval & { cached: boolean };

export interface TurnLearnOptions {
  userId: string;
  sessionId?: string | undefined;
  /** the surface handing the turn over (recorded with every version learned from it) */
  surface?: Surface | undefined;
  mode?: ExtractMode | undefined;
  turnLimit?: number | undefined;
  /** false: this turn is not learned from (reported as `disabled`) */
  learn?: boolean | undefined;
  /**
   * `recorded` (default): resolve once the job is in the journal. `accepted`: resolve with its id
   * as soon as it is allocated, state `recording` (the write is in flight; the job is durable once
   * it can be read back). For surfaces that answer with the id and must not wait for the disk.
   */
  acknowledge?: 'recorded' | 'accepted' | undefined;
}

export interface TurnExtractOptions {
  userId: string;
  sessionId?: string | undefined;
  /** the surface asking (recorded with every version learned from it) */
  surface?: Surface | undefined;
  hint?: string | undefined;
  /** resolve when the job is final */
  wait?: boolean;
  signal?: AbortSignal;
}

export class TurnPipeline {
  private readonly sdk: AutoSkill;
  private readonly cache: TurnCache<TurnRetrieval>;

  constructor(sdk: AutoSkill, cache: TurnCacheOptions = {}) {
    this.sdk = sdk;
    this.cache = new TurnCache(cache);
    // A skill written (learned, edited, switched to standing) must reach the next request at
    // once, not after the cache's age limit: a change to a user's skill drops that user's turns,
    // a change to a Common skill all of them. The cache only serves the steps of turns in
    // flight, so this costs at most one extra search per such turn.
    sdk.skills.onChange(undefined, (change) => {
      if (change.owner.startsWith('user:')) this.cache.clearPrefix(userKeyPrefix(change.owner.slice('user:'.length)));
      else this.cache.clear();
    });
  }

  resolveUser(sources: UserSources): UserResolution {
    return resolveUser(sources);
  }

  /**
   * Skills for this turn. The first call of a turn searches; later calls of the same turn (same
   * user, settings and conversation up to the newest user message) get the same result with
   * `cached: true`. Failed or timed-out retrievals are not cached.
   */
  async retrieve(messages: MessagesInput, opts: TurnRetrieveOptions): Promise<CachedRetrieval> {
    const chat = toChatMessages(messages);
    const settings = `${opts.scope ?? ''}|${opts.topK ?? ''}|${opts.minScore ?? ''}|${opts.maxContextChars ?? ''}|${opts.rewrite ?? ''}|${opts.standing ?? ''}`;
    const key = turnKey(opts.userId, settings, chat);
    const { value, hit } = await this.cache.get(
      key,
      () => this.sdk.retrieveForTurn(chat, opts),
      (r) => !r.error && !r.timedOut,
    );
    return { ...value, cached: hit };
  }

  /**
   * Hand a turn to the learning loop. The conversation is cut after its newest user message (an
   * answer appended by the surface would make every first turn look like a follow-up), then the
   * learner's policy decides. Resolves once the job is recorded, or with why none was (status
   * `failed` with the error when it could not be recorded); never throws.
   */
  async learn(messages: MessagesInput, opts: TurnLearnOptions): Promise<TurnLearning> {
    if (opts.learn === false) return LEARNING_DISABLED;
    const turn = upToLastUser(toChatMessages(messages));
    if (turn.length === 0) return { status: 'not_scheduled', job_id: null, state: null, reason: 'no user message to learn from' };
    try {
      const outcome = await this.sdk.learning.observe({ userId: opts.userId }, turn, {
        ...(opts.sessionId ? { sessionId: opts.sessionId } : {}),
        ...(opts.mode ? { mode: opts.mode } : {}),
        ...(opts.turnLimit !== undefined ? { turnLimit: opts.turnLimit } : {}),
        ...(opts.acknowledge ? { acknowledge: opts.acknowledge } : {}),
        ...(opts.surface ? { surface: opts.surface } : {}),
      });
      if (outcome.job && outcome.recorded) return { status: 'scheduled', job_id: outcome.job.id, state: 'recording', reason: outcome.reason };
      return outcome.job ? learningOfJob(outcome.job, outcome.reason) : { status: 'not_scheduled', job_id: null, state: null, reason: outcome.reason };
    } catch (err) {
      // Reported, not logged here: each surface has its own error channel (onError, its logger).
      return { status: 'failed', job_id: null, state: null, reason: err instanceof Error ? err.message : String(err) };
    }
  }

  /** Learn from this conversation now, whatever the policy (MCP `extract_now`, chat `/extract_now`, the API). */
  async extractNow(messages: MessagesInput, opts: TurnExtractOptions): Promise<{ job: JobInfo; learning: TurnLearning }> {
    const job = await this.sdk.learning.extractNow({ userId: opts.userId }, messages, {
      ...(opts.hint?.trim() ? { hint: opts.hint } : {}),
      ...(opts.wait ? { wait: true } : {}),
      ...(opts.sessionId ? { sessionId: opts.sessionId } : {}),
      ...(opts.surface ? { surface: opts.surface } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    return { job, learning: learningOfJob(job, 'extract now (explicit request)') };
  }

  report(input: ReportInput): TurnReport {
    return buildReport(input);
  }
}

/**
 * `learning` if it settles within `ms`, else `pending` (the job is still recorded in the
 * background). For surfaces that answer before the journal write lands.
 */
export async function learningWithin(learning: Promise<TurnLearning>, ms: number): Promise<TurnLearning> {
  if (!Number.isFinite(ms)) return learning;
  if (ms <= 0) return pending();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<TurnLearning>((resolve) => {
    timer = setTimeout(() => resolve(pending()), ms);
  });
  try {
    return await Promise.race([learning, late]);
  } finally {
    clearTimeout(timer);
  }
}

function pending(): TurnLearning {
  return { status: 'pending', job_id: null, state: null, reason: 'the job is being recorded; its id was not known in time' };
}
