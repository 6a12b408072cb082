import { AutoSkill, buildReport, DEFAULT_USER_ID, jsonLogger, LEARNING_DISABLED, learningWithin, resolveUser as resolveUserId, type AutoSkillOptions, type CachedRetrieval, type ExtractMode, type Logger, type MessagesInput, type Scope, type Surface, type TurnLearning, type TurnReport, type UserSources } from '../../engine/index.js';
import type { LlmPort } from '../../engine/ports/llm.js';
import { detached } from './detach.js';
import { within } from './time-box.js';

/**
 * What every framework adapter shares: where the SDK comes from, and the SDK's turn pipeline
 * (`sdk.turns`: user resolution, retrieval once per turn, the learning policy, the one report)
 * wrapped the way a framework call needs it: retrieval time-boxed and fail-open, learning never
 * blocking or failing the user's call. Adapters only translate their framework's shapes.
 */

/** An open SDK (the caller owns and closes it), a promise of one, or options to open one lazily. */
export type SdkSource = AutoSkill | PromiseLike<AutoSkill> | AutoSkillOptions;

export type AdapterPhase = 'open' | 'retrieve' | 'learn';

export interface AdapterErrorInfo {
  phase: AdapterPhase;
  userId?: string;
  timedOut?: boolean;
}

export interface AdapterOptions {
  /** the SDK, or `AutoSkill.open` options (opened on first use, closed by `close()`) */
  sdk: SdkSource;
  /** user id when the request names none (default `default`) */
  userId?: string;
  scope?: Scope;
  topK?: number;
  minScore?: number;
  maxContextChars?: number;
  /** time box for retrieval, including a lazy first open (default 1500 ms) */
  timeoutMs?: number;
  /** turn off injection (learning only) */
  inject?: boolean;
  /** extraction policy for the turns this adapter sees (default: the SDK's) */
  extract?: { mode?: ExtractMode; turnLimit?: number };
  /**
   * How long the call waits for the learning job to be *scheduled* (a journal write, not the
   * extraction) so its id can be reported; after that scheduling continues in the background.
   * Default 200 ms.
   */
  learnWaitMs?: number;
  /** failures of retrieval or learning; the user's call is never affected */
  onError?: (error: Error, info: AdapterErrorInfo) => void;
  /** the report of every turn (the same shape on every surface); must not throw */
  onReport?: (report: TurnReport) => void;
  /**
   * Default: the SDK's logger. An SDK the adapter opens from options logs with this, else with
   * the options' `logger`, else warnings as JSON lines on stderr (failed extraction jobs and
   * fallbacks must not go unnoticed).
   */
  logger?: Logger;
}

export interface ObserveRequest {
  userId: string;
  messages: MessagesInput;
  sessionId?: string | undefined;
  /** false: reported as `disabled`, nothing is scheduled */
  learn?: boolean | undefined;
}

/** Duck-typed, so that an SDK from another copy of the package is still recognized. */
function isSdk(v: unknown): v is AutoSkill {
  if (v instanceof AutoSkill) return true;
  const o = v as { retrieveForTurn?: unknown; observeTurn?: unknown } | null;
  return o !== null && typeof o === 'object' && typeof o.retrieveForTurn === 'function' && typeof o.observeTurn === 'function';
}

function isPromiseLike<T>(v: unknown): v is PromiseLike<T> {
  return v !== null && typeof v === 'object' && typeof (v as { then?: unknown }).then === 'function';
}

function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

export class AdapterCore {
  readonly options: AdapterOptions;
  /** builds the extraction model for a lazily opened SDK from the model the first call used */
  private readonly llmFor: ((hint: unknown) => LlmPort | undefined) | undefined;
  private opening: Promise<AutoSkill> | undefined;
  private current: AutoSkill | undefined;
  private owned = false;
  private closed = false;
  private readonly pending = new Set<Promise<unknown>>();

  /** recorded as the provenance of what is learned through this adapter */
  private readonly surface: Surface;

  constructor(options: AdapterOptions, llmFor?: (hint: unknown) => LlmPort | undefined, surface: Surface = 'sdk') {
    this.options = options;
    this.llmFor = llmFor;
    this.surface = surface;
    const src = options.sdk;
    if (isSdk(src) || isPromiseLike<AutoSkill>(src)) {
      // Taken over at once: a promise that rejects before the first call is then not an
      // unhandled rejection, and every call reports it instead.
      this.opening = Promise.resolve(src);
      this.opening.then(
        (sdk) => {
          this.current = sdk;
        },
        () => undefined,
      );
    }
  }

  get defaultUserId(): string {
    return this.options.userId ?? DEFAULT_USER_ID;
  }

  /**
   * The SDK, opened once. `hint` is the framework model of the current call: a lazily opened
   * SDK uses it (through `llmFor`) as the extraction model unless the options name one.
   * A failed open is forgotten, so the next call tries again.
   */
  sdk(hint?: unknown): Promise<AutoSkill> {
    if (this.closed) return Promise.reject(new Error('autoskill adapter is closed'));
    if (this.opening) return this.opening;
    const src = this.options.sdk as AutoSkillOptions;
    let llm: LlmPort | undefined;
    try {
      llm = src.llm ?? this.llmFor?.(hint);
    } catch (err) {
      return Promise.reject(toError(err));
    }
    this.owned = true;
    const logger = src.logger ?? this.options.logger ?? jsonLogger({ level: 'warn' });
    // Opened outside the request's async context: the SDK's job runner outlives the request.
    const opening = detached(() => AutoSkill.open({ ...src, logger, ...(llm ? { llm } : {}) }));
    this.opening = opening;
    opening.then(
      (sdk) => {
        this.current = sdk;
      },
      () => {
        // Forgotten, so that the next call tries again.
        if (this.opening === opening) this.opening = undefined;
      },
    );
    return this.opening;
  }

  /**
   * The user of a call by the one rule (explicit > the request's resolver > the default); a
   * malformed id is reported and undefined is returned (the call then proceeds without autoskill).
   */
  resolveUser(sources: Omit<UserSources, 'fallback'>, phase: AdapterPhase = 'retrieve'): string | undefined {
    const resolved = resolveUserId({ ...sources, fallback: this.defaultUserId });
    if (resolved.ok) return resolved.userId;
    this.report(new Error(resolved.error), { phase });
    return undefined;
  }

  /**
   * Retrieval for one turn, shared by the steps of a tool loop (`cached: true` after the first).
   * Never throws; undefined when the SDK could not be reached in time.
   */
  async retrieve(messages: MessagesInput, userId: string, hint?: unknown): Promise<CachedRetrieval | undefined> {
    if (this.options.inject === false) return undefined;
    const budget = this.options.timeoutMs ?? 1500;
    const started = performance.now();
    let sdk: AutoSkill;
    try {
      const opened = await within(this.sdk(hint), budget);
      if (!opened.ok) {
        this.report(new Error(`autoskill was not ready within ${budget} ms`), { phase: 'open', userId, timedOut: true });
        return undefined;
      }
      sdk = opened.value;
    } catch (err) {
      this.report(err, { phase: 'open', userId });
      return undefined;
    }
    try {
      const left = Math.max(1, budget - (performance.now() - started));
      const o = this.options;
      const retrieval = await sdk.turns.retrieve(messages, {
        userId,
        timeoutMs: left,
        ...(o.scope ? { scope: o.scope } : {}),
        ...(o.topK !== undefined ? { topK: o.topK } : {}),
        ...(o.minScore !== undefined ? { minScore: o.minScore } : {}),
        ...(o.maxContextChars !== undefined ? { maxContextChars: o.maxContextChars } : {}),
      });
      if (retrieval.error) {
        this.report(new Error(retrieval.error), { phase: 'retrieve', userId, ...(retrieval.timedOut ? { timedOut: true } : {}) });
      }
      return retrieval;
    } catch (err) {
      this.report(err, { phase: 'retrieve', userId });
      return undefined;
    }
  }

  /**
   * Hand a turn to the learning loop (the pipeline cuts it after the newest user message and
   * applies the policy). Waits at most `learnWaitMs` for the job to be recorded (else `pending`);
   * never throws. `flush()` waits for everything handed over so far.
   */
  async observe(req: ObserveRequest, hint?: unknown): Promise<TurnLearning> {
    if (req.learn === false) return LEARNING_DISABLED;
    if (this.closed) return { status: 'failed', job_id: null, state: null, reason: 'autoskill adapter is closed' };
    const policy = this.options.extract ?? {};
    const work = this.sdk(hint)
      .then((sdk) =>
        // Scheduled outside the request's async context, so the background extraction does not
        // run under the caller's callbacks, stream handlers or trace spans.
        detached(() =>
          sdk.turns.learn(req.messages, {
            userId: req.userId,
            sessionId: req.sessionId,
            mode: policy.mode,
            turnLimit: policy.turnLimit,
            surface: this.surface,
            // the job id is known at once; waiting for the journal write cost the report its id under load
            acknowledge: 'accepted',
          }),
        ),
      )
      .then((learning) => {
        if (learning.status === 'failed') this.report(new Error(learning.reason), { phase: 'learn', userId: req.userId });
        return learning;
      })
      .catch((err: unknown): TurnLearning => {
        this.report(err, { phase: 'learn', userId: req.userId });
        return { status: 'failed', job_id: null, state: null, reason: toError(err).message };
      });
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
    return learningWithin(work, this.options.learnWaitMs ?? 200);
  }

  /** The turn's report, handed to `onReport` as well. */
  turnReport(userId: string, sessionId: string | undefined, retrieval: CachedRetrieval | undefined, learning: TurnLearning | undefined): TurnReport {
    const report = this.current
      ? this.current.turns.report({ userId, sessionId, retrieval, learning })
      : buildReport({ userId, sessionId, retrieval, learning });
    if (this.options.onReport) {
      try {
        this.options.onReport(report);
      } catch {
        // A report callback that throws must not break the user's call.
      }
    }
    return report;
  }

  /** Resolves once every turn handed to `observe` so far has been scheduled (or dropped). */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** Flush, then close the SDK if this adapter opened it (an SDK passed in stays open). */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    const opening = this.opening;
    this.opening = undefined;
    this.current = undefined;
    if (!this.owned || !opening) return;
    const sdk = await opening.catch(() => undefined);
    await sdk?.close();
  }

  report(err: unknown, info: AdapterErrorInfo): void {
    const error = toError(err);
    const logger = this.options.logger ?? this.loggerOfOpenSdk();
    logger?.warn(`autoskill ${info.phase} failed; the call proceeds without it`, {
      ...info,
      error: error.message,
    });
    if (!this.options.onError) return;
    try {
      this.options.onError(error, info);
    } catch {
      // An error callback that throws must not break the user's call either.
    }
  }

  private loggerOfOpenSdk(): Logger | undefined {
    return this.current?.logger;
  }
}
