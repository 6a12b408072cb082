import { randomUUID } from 'node:crypto';
import { ValidationError } from '../errors.js';
import type { Logger } from '../logger.js';
import { SkillSourceSchema, type Skill } from '../skill/schema.js';
import type { SkillView } from '../store/catalog.js';
import type { SkillStore } from '../store/store.js';
import type { JobJournal, JobRecord } from '../jobs/journal.js';
import { JobRunner, jobInfo, type JobEvent, type JobInfo } from '../jobs/runner.js';
import type { ProposedSkill } from './candidate.js';
import { LlmExtractor } from './extract.js';
import { FallbackExtractor, type AttributedOutcome } from './fallback.js';
import type { Extractor, ReferenceSkill } from './extractor.js';
import type { LlmPort } from '../ports/llm.js';
import { maintain, previewMaintain, type Decision, type MaintainAction, type MaintainDeps } from './maintain.js';
import { ChatMessageSchema, lastUserMessage, selectWindow, toChatMessages, upToLastUser, type ChatMessage } from '../ports/chat.js';
import { OfflineExtractor } from './offline-extractor.js';
import { originOf, type SourceOrigin, type Surface } from './provenance.js';
import { ExtractionPolicy, type ExtractMode, type PolicyVerdict } from './policy.js';
import { redact, redactDeep } from './redact.js';
import type { SearchFn } from './search-port.js';

/**
 * The learning loop in one object: policy → (redacted, durable) job → extraction → maintenance.
 * Dependencies are injected; the SDK facade owns the store, index, journal and model and passes
 * them in. The Learner owns its job runner and policy counters.
 */

export interface LearnerDeps {
  store: SkillStore;
  /** the current skills without I/O (the engine's catalog, kept current by the store's change feed) */
  catalog: SkillView;
  /** retrieval over user + Common skills (the facade passes its search with `consistency: 'settled'`) */
  search: SearchFn;
  /** structured-output model; without one the deterministic offline extractor is used */
  llm?: LlmPort;
  journal: JobJournal;
  /** replace the extractor (default: LLM extractor with `llm`, else the offline extractor) */
  extractor?: Extractor;
  /** messages before the newest user message that extraction sees (default 6) */
  extractWindow?: number;
  /** default policy (per call overridable) */
  mode?: ExtractMode;
  turnLimit?: number;
  /** background jobs running at once across users (default 2) */
  concurrency?: number;
  leaseMs?: number;
  pollMs?: number;
  maxAttempts?: number;
  /** redact secrets/PII before anything is sent or stored (default true) */
  redact?: boolean;
  /** hold every learned skill for its owner's approval (default false; flagged candidates are always held) */
  review?: boolean;
  logger?: Logger;
  /**
   * Resolves once the search index reflects every store change seen so far. The index follows
   * the store's change feed (its one update path); a job that wrote completes only after this,
   * so a finished job's skill is searchable. Without it, writes are taken as searchable at once.
   */
  settled?: () => Promise<void>;
  now?: () => Date;
}

/** Input accepted for messages: `ChatMessage`s or OpenAI / AI SDK / LangChain-like message objects. */
export type MessagesInput = readonly unknown[];

export interface ObserveOptions {
  mode?: ExtractMode;
  turnLimit?: number;
  sessionId?: string;
  /** the surface the turn came through (provenance of learned versions; default `sdk`) */
  surface?: Surface;
  events?: unknown[];
  /** the top retrieved skill (identity hint); looked up at run time when omitted */
  reference?: Skill;
  /**
   * `recorded` (default): resolve once the job is in the journal (durable). `accepted`: resolve as
   * soon as its id is allocated, with the write in flight (`ObserveOutcome.recorded`); for
   * surfaces that answer with the id and must not wait for the disk (see JobRunner.enqueue).
   */
  acknowledge?: 'recorded' | 'accepted';
}

export interface ExtractNowOptions {
  hint?: string;
  /** resolve only when the job is final (default false: resolve once scheduled) */
  wait?: boolean;
  sessionId?: string;
  /** the surface the request came through (provenance; default `sdk`) */
  surface?: Surface;
  events?: unknown[];
  reference?: Skill;
  signal?: AbortSignal;
}

export interface IngestOptions {
  hint?: string;
  events?: unknown[];
  reference?: Skill;
  /** provenance trigger (default `ingest`) */
  trigger?: string;
  /** provenance ref (default a fresh id); re-running the same ref is a no-op */
  ref?: string;
  /** how many messages to keep (default: the extract window; Infinity = all) */
  windowSize?: number;
  signal?: AbortSignal;
  /** the surface the conversation came through (provenance; default `sdk`) */
  surface?: Surface;
  sessionId?: string;
}

export interface SimulateOptions {
  hint?: string;
  events?: unknown[];
  reference?: Skill;
  windowSize?: number;
  signal?: AbortSignal;
}

/** What an extraction job stores as its payload (already redacted). */
export interface ExtractJobPayload {
  v: 1;
  trigger: string;
  messages: ChatMessage[];
  events?: unknown[];
  hint?: string;
  explicit?: boolean;
  reference?: ReferenceSkill;
  sessionId?: string;
  /** where the turn came from (surface, session, turn, message); written into learned versions */
  origin?: SourceOrigin;
}

export interface LearnedSkillRef {
  id: string;
  slug: string;
  name: string;
  version: string;
  owner: string;
  action: Exclude<MaintainAction, 'discarded'>;
}

/** A job's `result`. */
export interface ExtractJobResult {
  status: 'upserted' | 'unchanged' | 'discarded' | 'nothing';
  reason: string;
  extractor: string;
  decision?: Decision;
  skills: LearnedSkillRef[];
}

/** What `observe` decided for one turn: the job it scheduled, or why none was. */
export interface ObserveOutcome {
  job?: JobInfo;
  /** with `acknowledge: 'accepted'`: settles when the journal write does (rejects if it failed) */
  recorded?: Promise<JobInfo>;
  reason: string;
  verdict: PolicyVerdict;
}

export interface SimulationResult {
  extractor: string;
  candidate: ProposedSkill | null;
  reason: string;
  decision?: Decision;
  action?: MaintainAction;
  /** the skill as it would be written (new, or the merged target) */
  preview?: Skill;
  /** the merge target as it is now */
  target?: Skill;
}

const learnerErrorMarker = 'autoskill.error.LearnerError';
const learnerErrorSymbol = Symbol.for(learnerErrorMarker);

/** A learning request that cannot be served as asked (nothing to extract from, an empty job payload). */
export class LearnerError extends ValidationError {
  private readonly [learnerErrorSymbol] = true;
  constructor(message: string) {
    super(message);
    this.name = 'LearnerError';
  }
  static override isInstance(value: unknown): value is LearnerError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[learnerErrorSymbol] === true;
  }
}

function toReference(s: Skill): ReferenceSkill {
  return { id: s.id, slug: s.slug, name: s.name, description: s.description, triggers: s.triggers, tags: s.tags };
}

export class Learner {
  readonly policy: ExtractionPolicy;
  readonly runner: JobRunner;
  readonly extractor: Extractor;
  private readonly deps: LearnerDeps;
  private readonly window: number;
  private readonly maintainDeps: MaintainDeps;

  constructor(deps: LearnerDeps) {
    this.deps = deps;
    this.window = deps.extractWindow ?? 6;
    this.policy = new ExtractionPolicy({ mode: deps.mode, turnLimit: deps.turnLimit });
    this.extractor = deps.extractor ?? defaultExtractor(deps);
    this.maintainDeps = {
      store: deps.store,
      catalog: deps.catalog,
      search: deps.search,
      llm: deps.llm,
      logger: deps.logger,
      now: deps.now,
      ...(deps.review ? { review: true } : {}),
    };
    this.runner = new JobRunner({
      journal: deps.journal,
      handler: (job, signal) => this.runJob(job, signal),
      concurrency: deps.concurrency,
      leaseMs: deps.leaseMs,
      pollMs: deps.pollMs,
      maxAttempts: deps.maxAttempts,
      logger: deps.logger,
    });
  }

  /** Review mode: every learned skill is held (`metadata.review: pending`) until its owner approves it. */
  get reviewMode(): boolean {
    return this.maintainDeps.review === true;
  }

  /** Start the background runner; jobs left over by a previous (crashed) process run now. */
  start(): void {
    this.runner.start();
  }

  /**
   * Observe one conversation turn (the messages so far, ending with the newest user message).
   * Schedules a background extraction when the policy says so and returns it; never waits for it.
   */
  async observeTurn(userId: string, messages: MessagesInput, opts: ObserveOptions = {}): Promise<JobInfo | undefined> {
    return (await this.observe(userId, messages, opts)).job;
  }

  /** `observeTurn` with the policy's verdict: the job, or the reason none was scheduled. */
  async observe(userId: string, messages: MessagesInput, opts: ObserveOptions = {}): Promise<ObserveOutcome> {
    // Whether or not the caller appended the answer, the turn is the conversation up to its
    // newest user message (the same on every surface).
    const msgs = upToLastUser(toChatMessages(messages));
    const verdict = this.policy.observe(ExtractionPolicy.key(userId, opts.sessionId), msgs, opts);
    if (!verdict.extract) return { reason: verdict.reason, verdict };
    const window = selectWindow(msgs, this.window);
    if (!window.some((m) => m.role === 'user')) return { reason: 'no user message to learn from', verdict };
    const trigger = (opts.mode ?? this.deps.mode) === 'always' ? 'always' : 'auto';
    const payload = this.payload(trigger, window, opts, msgs);
    if (opts.acknowledge === 'accepted') {
      const { job, recorded } = this.runner.enqueue(userId, payload);
      const info = recorded.then(jobInfo);
      info.catch(() => undefined); // the runner logs a failed write; a caller may ignore this promise
      return { job: jobInfo(job), recorded: info, reason: verdict.reason, verdict };
    }
    const job = await this.runner.schedule(userId, payload);
    return { job: jobInfo(job), reason: verdict.reason, verdict };
  }

  /** Extract now, whatever the policy. Resolves when scheduled, or when final with `wait: true`. */
  async extractNow(userId: string, messages: MessagesInput, opts: ExtractNowOptions = {}): Promise<JobInfo> {
    const conversation = toChatMessages(messages);
    const window = selectWindow(conversation, this.window);
    if (window.length === 0 && !opts.hint?.trim()) throw new LearnerError('nothing to extract from: no messages and no hint');
    const job = await this.runner.schedule(userId, this.payload('extract_now', window, { ...opts, explicit: true }, conversation));
    if (!opts.wait) return jobInfo(job);
    return jobInfo(await this.runner.wait(job.id, { signal: opts.signal }));
  }

  /**
   * Run the pipeline in the caller's task (no job record): batch imports and tools that want
   * the result directly. Same redaction, extraction and maintenance as a job.
   */
  async ingest(userId: string, messages: MessagesInput, opts: IngestOptions = {}): Promise<ExtractJobResult> {
    const conversation = toChatMessages(messages);
    const window = selectWindow(conversation, opts.windowSize ?? this.window);
    const payload = this.payload(opts.trigger ?? 'ingest', window, { ...opts, explicit: opts.hint !== undefined }, conversation);
    return this.process(userId, payload, opts.ref ?? `ingest_${randomUUID()}`, opts.signal);
  }

  /** Dry run: what extraction and maintenance would do, without writing anything. */
  async simulate(userId: string, messages: MessagesInput, opts: SimulateOptions = {}): Promise<SimulationResult> {
    const window = selectWindow(toChatMessages(messages), opts.windowSize ?? this.window);
    const payload = this.payload('simulate', window, { ...opts, explicit: opts.hint !== undefined });
    const reference = await this.referenceFor(userId, payload);
    const outcome = await this.extractor.extract({ userId, ...this.extractionFields(payload), reference }, opts.signal);
    if (!outcome.candidate) return { extractor: this.extractor.label, candidate: null, reason: outcome.reason };
    const result = await previewMaintain(this.maintainDeps, userId, outcome.candidate, opts.signal);
    const target = result.decision.action === 'merge' && result.decision.targetId ? this.deps.catalog.get(result.decision.targetId) : undefined;
    return {
      extractor: this.extractor.label,
      candidate: outcome.candidate,
      reason: result.decision.reason,
      decision: result.decision,
      action: result.action,
      preview: result.preview ?? result.skill,
      ...(target ? { target } : {}),
    };
  }

  async getJob(id: string): Promise<JobInfo | undefined> {
    const job = await this.runner.get(id);
    return job ? jobInfo(job) : undefined;
  }

  async listJobs(userId?: string, limit = 50): Promise<JobInfo[]> {
    return (await this.runner.list(userId, limit)).map(jobInfo);
  }

  /** Resolve with a job once it is final. */
  async waitForJob(id: string, opts: { signal?: AbortSignal } = {}): Promise<JobInfo> {
    return jobInfo(await this.runner.wait(id, opts));
  }

  /** Live job events (all users, or one), e.g. for an SSE endpoint. */
  events(userId?: string): AsyncIterableIterator<JobEvent> {
    return this.runner.events(userId);
  }

  /** Listen to every job event (scheduled / running / completed / failed); returns an unsubscribe function. */
  onEvent(listener: (e: JobEvent) => void): () => void {
    return this.runner.onEvent(listener);
  }

  /** Events of one job; ends after its final state. */
  subscribe(jobId: string): AsyncIterableIterator<JobEvent> {
    return this.runner.subscribe(jobId);
  }

  /** Resolve when no job is running or runnable (tests and batch tools). */
  idle(): Promise<void> {
    return this.runner.idle();
  }

  /**
   * Stop: running jobs get `timeoutMs` to finish, then they are aborted and handed back to the
   * journal; scheduled jobs stay in the journal and run on the next start. The store, journal
   * and model belong to the caller and stay open.
   */
  async close(opts: { timeoutMs?: number } = {}): Promise<void> {
    await this.runner.close(opts);
  }

  // ------------------------------------------------------------------ internals

  private payload(
    trigger: string,
    window: ChatMessage[],
    opts: { events?: unknown[]; hint?: string; reference?: Skill; sessionId?: string; explicit?: boolean; surface?: Surface },
    conversation?: readonly ChatMessage[],
  ): ExtractJobPayload {
    const doRedact = this.deps.redact ?? true;
    const messages = window.map((m) => ({ role: m.role, content: doRedact ? redact(m.content) : m.content }));
    const payload: ExtractJobPayload = { v: 1, trigger, messages };
    if (conversation) {
      payload.origin = originOf(conversation, { surface: opts.surface, sessionId: opts.sessionId, hint: opts.hint, ...(doRedact ? { clean: redact } : {}) });
    }
    if (opts.events && opts.events.length > 0) payload.events = doRedact ? redactDeep(opts.events) : opts.events;
    if (opts.hint?.trim()) payload.hint = doRedact ? redact(opts.hint.trim()) : opts.hint.trim();
    if (opts.explicit) payload.explicit = true;
    if (opts.reference) payload.reference = toReference(opts.reference);
    if (opts.sessionId) payload.sessionId = opts.sessionId;
    return payload;
  }

  private extractionFields(p: ExtractJobPayload) {
    return {
      messages: p.messages,
      ...(p.events ? { events: p.events } : {}),
      ...(p.hint ? { hint: p.hint } : {}),
      ...(p.explicit ? { explicit: true } : {}),
    };
  }

  /** The identity hint for extraction; the offline extractor does not use one, so no lookup is made for it. */
  private async referenceFor(userId: string, payload: ExtractJobPayload): Promise<ReferenceSkill | undefined> {
    if (payload.reference) return payload.reference;
    if (this.extractor.kind === 'offline') return undefined;
    return this.topReference(userId, payload.messages);
  }

  /** The user's own skill closest to the newest user message: the identity hint for extraction. */
  private async topReference(userId: string, messages: ChatMessage[]): Promise<ReferenceSkill | undefined> {
    const query = lastUserMessage(messages)?.content;
    if (!query) return undefined;
    try {
      const [top] = await this.deps.search(query.slice(0, 2000), { userId, scope: 'user', limit: 1 });
      return top ? toReference(top.skill) : undefined;
    } catch (err) {
      this.deps.logger?.warn('reference lookup failed', { error: err instanceof Error ? err.message : String(err) });
      return undefined;
    }
  }

  private async runJob(job: JobRecord, signal: AbortSignal): Promise<ExtractJobResult> {
    const payload = parsePayload(job.payload);
    return this.process(job.userId, payload, job.id, signal);
  }

  private async process(userId: string, payload: ExtractJobPayload, ref: string, signal?: AbortSignal): Promise<ExtractJobResult> {
    const reference = await this.referenceFor(userId, payload);
    const outcome: AttributedOutcome = await this.extractor.extract({ userId, ...this.extractionFields(payload), reference }, signal);
    const extractor = outcome.extractor ?? this.extractor.label;
    if (!outcome.candidate) return { status: 'nothing', reason: outcome.reason, extractor, skills: [] };
    signal?.throwIfAborted();
    // A model that could not extract will not decide or merge either: the deterministic gate and merge run.
    const deps = outcome.fellBack ? { ...this.maintainDeps, llm: undefined } : this.maintainDeps;
    const result = await maintain(deps, userId, outcome.candidate, { ref, trigger: payload.trigger, ...payload.origin }, signal);
    if (result.action === 'created' || result.action === 'merged') await this.deps.settled?.();
    if (result.action === 'discarded' || !result.skill) {
      return { status: 'discarded', reason: result.decision.reason, extractor, decision: result.decision, skills: [] };
    }
    const s = result.skill;
    return {
      status: result.action === 'unchanged' ? 'unchanged' : 'upserted',
      reason: result.decision.reason,
      extractor,
      decision: result.decision,
      skills: [{ id: s.id, slug: s.slug, name: s.name, version: s.version, owner: s.owner, action: result.action }],
    };
  }
}

/** The LLM extractor when there is a model (falling back to offline rules for a `'self'` model), else offline rules. */
function defaultExtractor(deps: LearnerDeps): Extractor {
  if (!deps.llm) return new OfflineExtractor();
  const llm = new LlmExtractor(deps.llm);
  return deps.llm.fallback === 'offline' ? new FallbackExtractor(llm, deps.logger) : llm;
}

/** Validate a stored payload (it may come from an older version or another process). */
function parsePayload(raw: unknown): ExtractJobPayload {
  const r = (raw ?? {}) as Partial<ExtractJobPayload>;
  const messages = Array.isArray(r.messages) ? r.messages.filter((m) => ChatMessageSchema.safeParse(m).success) : [];
  if (messages.length === 0 && !r.hint) throw new LearnerError('job payload has no messages');
  return {
    v: 1,
    trigger: typeof r.trigger === 'string' ? r.trigger : 'auto',
    messages: messages as ChatMessage[],
    ...(Array.isArray(r.events) ? { events: r.events } : {}),
    ...(typeof r.hint === 'string' ? { hint: r.hint } : {}),
    ...(r.explicit ? { explicit: true } : {}),
    ...(r.reference && typeof r.reference === 'object' ? { reference: r.reference } : {}),
    ...(typeof r.sessionId === 'string' ? { sessionId: r.sessionId } : {}),
    ...(parsedOrigin(r.origin) ?? {}),
  };
}

/** A stored origin, checked field by field (jobs recorded by an older version have none). */
function parsedOrigin(raw: unknown): { origin: SourceOrigin } | undefined {
  const o = SkillSourceSchema.pick({ surface: true, session: true, turn: true, message: true }).safeParse(raw);
  return o.success ? { origin: o.data } : undefined;
}
