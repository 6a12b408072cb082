import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../logger.js';
import { Channel } from './channel.js';
import { isFinal, newRunnerId, registerRunner, unregisterRunner } from './claim.js';
import { newJobId, pendingUntil } from './job-id.js';
import type { JobJournal, JobRecord, JobState } from './journal.js';
import { RecordingJobs } from './recording.js';

/**
 * Background job execution on top of a `JobJournal`.
 *
 * - `schedule` records the job and returns; the caller never waits for the work. `enqueue` returns
 *   before the journal write as well (see there for what its id promises when).
 * - Jobs of one user run one at a time in order (the journal's claim rule); different users run
 *   in parallel up to `concurrency`.
 * - A running job's lease is renewed by a heartbeat; a job whose runner died is claimed again by
 *   the next runner (same host: at once, other hosts: when the lease expires).
 * - Every state change is published as a `JobEvent` to listeners and async iterators.
 */

export interface JobInfo {
  id: string;
  userId: string;
  kind: JobRecord['kind'];
  state: JobState;
  createdAt: string;
  updatedAt: string;
  attempts: number;
  result?: unknown;
  error?: string;
}

export interface JobEvent {
  type: JobState;
  job: JobInfo;
  at: string;
}

/** The public view of a job: everything but the payload (the conversation). */
export function jobInfo(job: JobRecord): JobInfo {
  const info: JobInfo = {
    id: job.id,
    userId: job.userId,
    kind: job.kind,
    state: job.state,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    attempts: job.attempts,
  };
  if (job.result !== undefined) info.result = job.result;
  if (job.error !== undefined) info.error = job.error;
  return info;
}

export type JobHandler = (job: JobRecord, signal: AbortSignal) => Promise<unknown>;

export interface JobRunnerOptions {
  journal: JobJournal;
  handler: JobHandler;
  /** jobs running at once across users (default 2) */
  concurrency?: number;
  /** lease per claim, renewed every leaseMs/3 (default 60 s) */
  leaseMs?: number;
  /** look for runnable jobs (other processes, expired leases) this often; 0 = only on events (default 5 s) */
  pollMs?: number;
  /** a job claimed more often than this (its runner keeps dying) fails (default 3) */
  maxAttempts?: number;
  logger?: Logger;
}

interface Active {
  job: JobRecord;
  controller: AbortController;
  done: Promise<void>;
}

export class JobRunner {
  readonly owner = newRunnerId();
  private readonly journal: JobJournal;
  private readonly handler: JobHandler;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly maxAttempts: number;
  private readonly logger?: Logger;
  private readonly active = new Map<string, Active>();
  private readonly recording = new RecordingJobs();
  private readonly listeners = new Set<(e: JobEvent) => void>();
  private readonly channels = new Set<Channel<JobEvent>>();
  private pumpPromise?: Promise<void>;
  private pumpToken?: object;
  private pumpAgain = false;
  private started = false;
  private closed = false;
  private timer?: NodeJS.Timeout;

  constructor(opts: JobRunnerOptions) {
    this.journal = opts.journal;
    this.handler = opts.handler;
    this.concurrency = Math.max(1, opts.concurrency ?? 2);
    this.leaseMs = Math.max(1000, opts.leaseMs ?? 60_000);
    this.pollMs = opts.pollMs ?? 5000;
    this.maxAttempts = Math.max(1, opts.maxAttempts ?? 3);
    this.logger = opts.logger;
    registerRunner(this.owner);
  }

  /** Begin running jobs, including any left scheduled or running by a process that died. */
  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    if (this.pollMs > 0) {
      this.timer = setInterval(() => this.kick(), this.pollMs);
      this.timer.unref();
    }
    this.kick();
  }

  get running(): number {
    return this.active.size;
  }

  /** Record a job and resolve once the journal holds it (state `scheduled`); the work runs later. */
  async schedule(userId: string, payload: unknown, opts: { id?: string } = {}): Promise<JobRecord> {
    const { job, recorded } = this.enqueue(userId, payload, opts);
    await recorded;
    return job;
  }

  /**
   * Accept a job without waiting for the journal: the id is allocated now and the write runs in
   * the background (`recorded` settles with it). What the caller may promise with the id:
   *
   * - at once: the job is accepted and its id is final; readers of it (`get`, `wait`, `list`,
   *   `subscribe`) wait for the write, so they never see a job that is not in the journal;
   * - once `recorded` resolves (or `get` finds it): it is durable and runs exactly once, even
   *   after a crash;
   * - a crash between the two loses it (that turn is not learned); a graceful `close()` waits for
   *   every write in flight first. A write that fails turns the job `failed` with the reason.
   */
  enqueue(userId: string, payload: unknown, opts: { id?: string } = {}): { job: JobRecord; recorded: Promise<JobRecord> } {
    if (this.closed) throw new Error('job runner is closed');
    const at = new Date().toISOString();
    const job: JobRecord = {
      id: opts.id ?? newJobId(),
      userId,
      kind: 'extract',
      state: 'scheduled',
      payload,
      createdAt: at,
      updatedAt: at,
      attempts: 0,
    };
    const recorded = this.recording.track(job, this.journal.add(job)).then(
      () => {
        this.publish('scheduled', job);
        this.start();
        this.kick();
        return job;
      },
      (err: unknown) => {
        const error = `the job could not be recorded: ${err instanceof Error ? err.message : String(err)}`;
        this.logger?.error('job not recorded', { id: job.id, userId, error });
        this.publish('failed', this.recording.markLost(job, error));
        throw err;
      },
    );
    // The caller may drop `recorded` (it answered already); a failure is logged and kept above.
    recorded.catch(() => undefined);
    return { job, recorded };
  }

  /** True while the journal write of an accepted job is in flight. */
  isRecording(id: string): boolean {
    return this.recording.isRecording(id);
  }

  /**
   * A job as the journal has it (after its write, if one is in flight); a job whose write failed,
   * as `failed`. An id another process accepted moments ago may not be in the shared journal yet:
   * it is looked for again until its accept window closes (job-id.ts), so every worker behind one
   * port can answer for an id any of them handed out.
   */
  async get(id: string): Promise<JobRecord | undefined> {
    await this.recording.settled(id);
    const job = (await this.journal.get(id)) ?? this.recording.lostJob(id);
    return job ?? (await this.acceptedElsewhere(id));
  }

  private async acceptedElsewhere(id: string): Promise<JobRecord | undefined> {
    const until = pendingUntil(id);
    if (until === undefined) return undefined;
    for (let delay = 20; !this.closed; delay = Math.min(delay * 2, 250)) {
      const left = until - Date.now();
      if (left <= 0) return undefined;
      await sleep(Math.min(delay, left));
      const job = await this.journal.get(id);
      if (job) return job;
    }
    return undefined;
  }

  async list(userId?: string, limit = 50): Promise<JobRecord[]> {
    await this.recording.allSettled(userId);
    const jobs = await this.journal.list({ userId, limit });
    const lost = this.recording.lostJobs(userId);
    if (lost.length === 0) return jobs;
    return [...jobs, ...lost].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, limit);
  }

  onEvent(listener: (e: JobEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Events of all jobs, or of one user's jobs, until the runner closes or the consumer stops. */
  events(userId?: string): AsyncIterableIterator<JobEvent> {
    let off: () => void = () => {};
    const ch = new Channel<JobEvent>(() => {
      off();
      this.channels.delete(ch);
    });
    off = this.onEvent((e) => {
      if (!userId || e.job.userId === userId) ch.push(e);
    });
    this.channels.add(ch);
    if (this.closed) ch.end();
    return ch;
  }

  /** Events of one job; ends after its final state (at once if it is already final). */
  subscribe(jobId: string): AsyncIterableIterator<JobEvent> {
    let off: () => void = () => {};
    const ch = new Channel<JobEvent>(() => {
      off();
      this.channels.delete(ch);
    });
    off = this.onEvent((e) => {
      if (e.job.id !== jobId) return;
      ch.push(e);
      if (e.type === 'completed' || e.type === 'failed') ch.end();
    });
    this.channels.add(ch);
    void this.get(jobId).then((job) => {
      if (!job) ch.end();
      else if (isFinal(job)) {
        ch.push({ type: job.state, job: jobInfo(job), at: job.updatedAt });
        ch.end();
      }
    });
    return ch;
  }

  /** Resolve with the job once it is final. */
  async wait(jobId: string, opts: { signal?: AbortSignal; pollMs?: number } = {}): Promise<JobRecord> {
    let poll: NodeJS.Timeout | undefined;
    const final = new Promise<void>((resolve, reject) => {
      const off0 = this.onEvent((e) => {
        if (e.job.id === jobId && (e.type === 'completed' || e.type === 'failed')) {
          off();
          resolve();
        }
      });
      // Events only cover jobs this process ran; with a shared journal (several replicas) another
      // runner may finish the job, so the journal is polled as well.
      poll = setInterval(() => {
        void this.journal.get(jobId).then((job) => {
          if (job && isFinal(job)) {
            off();
            resolve();
          }
        }, () => undefined);
      }, opts.pollMs ?? 1000);
      poll.unref();
      const off = () => {
        off0();
        clearInterval(poll);
      };
      opts.signal?.addEventListener(
        'abort',
        () => {
          off();
          reject(opts.signal!.reason);
        },
        { once: true },
      );
      void this.get(jobId).then((job) => {
        if (!job) {
          off();
          reject(new Error(`unknown job ${jobId}`));
        } else if (isFinal(job)) {
          off();
          resolve();
        }
      }, reject);
    });
    try {
      await final;
    } finally {
      clearInterval(poll);
    }
    const job = await this.get(jobId);
    if (!job) throw new Error(`unknown job ${jobId}`);
    return job;
  }

  /** Resolve when no job is running in this runner and none is claimable (tests, batch tools). */
  async idle(): Promise<void> {
    for (;;) {
      while (this.active.size > 0) await Promise.race([...this.active.values()].map((a) => a.done));
      if (this.closed) return;
      await this.pumpOnce();
      if (this.active.size === 0) return;
    }
  }

  /**
   * Stop taking jobs; wait up to `timeoutMs` for running ones, then abort them and give them back
   * to the journal (they run again on the next start). Queued jobs stay in the journal.
   */
  async close(opts: { timeoutMs?: number } = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    // Every job handed out with an id reaches the journal before we stop (it runs on the next start).
    await this.recording.allSettled();
    // Let a claim in progress land, so no job is claimed after close() returns.
    await this.pumpPromise?.catch(() => undefined);
    const pending = [...this.active.values()];
    if (pending.length > 0) {
      let timeout: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((r) => (timeout = setTimeout(() => r('timeout'), opts.timeoutMs ?? 30_000)));
      const result = await Promise.race([Promise.all(pending.map((a) => a.done)).then(() => 'done' as const), timedOut]);
      clearTimeout(timeout);
      if (result === 'timeout') {
        for (const a of this.active.values()) a.controller.abort(new Error('job runner closing'));
        await Promise.all([...this.active.values()].map((a) => a.done));
      }
    }
    unregisterRunner(this.owner);
    for (const ch of [...this.channels]) ch.end();
    this.listeners.clear();
  }

  // ------------------------------------------------------------------ internals

  private publish(type: JobState, job: JobRecord): void {
    const event: JobEvent = { type, job: jobInfo(job), at: new Date().toISOString() };
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch (err) {
        this.logger?.warn('job event listener failed', { error: String(err) });
      }
    }
  }

  private kick(): void {
    if (!this.started || this.closed) return;
    void this.pumpOnce().catch((err) => this.logger?.error('job pump failed', { error: err instanceof Error ? err.message : String(err) }));
  }

  /**
   * Claim jobs until the concurrency limit is reached or nothing is runnable. Concurrent calls
   * join the pass in progress (which then loops once more), so awaiting this means "a full pass
   * happened after I asked".
   */
  private pumpOnce(): Promise<void> {
    if (this.pumpToken) {
      this.pumpAgain = true;
      return this.pumpPromise ?? Promise.resolve();
    }
    // The token is set before and cleared inside the pass (synchronously when it ends), so a
    // request arriving at any moment either joins a pass that will loop again or starts a new one.
    const token = {};
    this.pumpToken = token;
    const pass = (async () => {
      try {
        do {
          this.pumpAgain = false;
          while (!this.closed && this.active.size < this.concurrency) {
            const job = await this.journal.claim({ owner: this.owner, leaseMs: this.leaseMs });
            if (!job) break;
            this.run(job);
          }
        } while (this.pumpAgain && !this.closed);
      } finally {
        if (this.pumpToken === token) {
          this.pumpToken = undefined;
          this.pumpPromise = undefined;
        }
      }
    })();
    if (this.pumpToken === token) this.pumpPromise = pass;
    return pass;
  }

  private run(job: JobRecord): void {
    const controller = new AbortController();
    const entry: Active = { job, controller, done: Promise.resolve() };
    this.active.set(job.id, entry);
    entry.done = this.execute(job, controller).finally(() => {
      this.active.delete(job.id);
      this.kick();
    });
  }

  private async execute(job: JobRecord, controller: AbortController): Promise<void> {
    if (job.attempts > this.maxAttempts) {
      await this.complete(job, 'failed', { error: `gave up after ${job.attempts - 1} attempts (the process running it stopped each time)` });
      return;
    }
    this.publish('running', job);
    const heartbeat = setInterval(() => {
      void this.journal.renew(job.id, this.owner, this.leaseMs).then(
        (held) => {
          if (!held) controller.abort(new Error('job lease lost to another runner'));
        },
        (err) => this.logger?.warn('job heartbeat failed', { id: job.id, error: String(err) }),
      );
    }, Math.floor(this.leaseMs / 3));
    heartbeat.unref();
    try {
      const result = await this.handler(job, controller.signal);
      if (controller.signal.aborted) throw controller.signal.reason;
      await this.complete(job, 'completed', { result });
    } catch (err) {
      if (controller.signal.aborted) {
        // Shutdown or a lost lease: not the job's fault; let it run again.
        await this.journal.release?.(job.id, this.owner).catch(() => false);
        return;
      }
      const message = err instanceof Error ? err.message : String(err);
      this.logger?.warn('job failed', { id: job.id, userId: job.userId, error: message });
      await this.complete(job, 'failed', { error: message });
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async complete(job: JobRecord, state: 'completed' | 'failed', outcome: { result?: unknown; error?: string }): Promise<void> {
    const first = await this.journal.finish(job.id, state, outcome);
    if (!first) return;
    const final = (await this.journal.get(job.id)) ?? { ...job, state, ...outcome };
    this.publish(state, final);
  }
}
