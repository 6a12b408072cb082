import { canSeeJob, type Actor } from '../access.js';
import type { JobEvent, JobInfo } from '../jobs/runner.js';
import type { EngineCore } from './core.js';

/**
 * Learning jobs as their user (or an admin) may see them (access.ts `canSeeJob`): another user's
 * job looks exactly like a missing one. `undefined` as the actor is the trusted local process.
 */
export class JobService {
  readonly #core: EngineCore;

  constructor(core: EngineCore) {
    this.#core = core;
  }

  async get(actor: Actor | undefined, id: string): Promise<JobInfo | undefined> {
    const job = await this.#core.learner.getJob(id);
    return job && visible(actor, job) ? job : undefined;
  }

  /** The actor's jobs, newest first (the local process: every user's). */
  list(actor: Actor | undefined, limit = 50): Promise<JobInfo[]> {
    return this.#core.learner.listJobs(actor?.userId, limit);
  }

  /** Resolves with the job once it is final; undefined when the actor cannot see it. */
  async wait(actor: Actor | undefined, id: string, opts: { signal?: AbortSignal } = {}): Promise<JobInfo | undefined> {
    if (!(await this.get(actor, id))) return undefined;
    return this.#core.learner.waitForJob(id, opts);
  }

  /**
   * The job's current state and its events from now on (ending after its final state). The
   * subscription starts before the state is read, so no transition falls in between. Undefined
   * (and nothing left subscribed) when the actor cannot see the job.
   */
  async subscribe(actor: Actor | undefined, id: string): Promise<{ job: JobInfo; events: AsyncIterableIterator<JobEvent> } | undefined> {
    const events = this.#core.learner.subscribe(id);
    let job: JobInfo | undefined;
    try {
      job = await this.get(actor, id);
    } catch (err) {
      await events.return?.();
      throw err;
    }
    if (!job) {
      await events.return?.();
      return undefined;
    }
    return { job, events };
  }

  /** Every event of the jobs the actor can see; returns the unsubscribe function. */
  onEvent(actor: Actor | undefined, listener: (e: JobEvent) => void): () => void {
    return this.#core.learner.onEvent((e) => {
      if (visible(actor, e.job)) listener(e);
    });
  }

  /** Resolves when no job is running or runnable (tests, batch tools, shutdown). */
  idle(): Promise<void> {
    return this.#core.learner.idle();
  }
}

function visible(actor: Actor | undefined, job: JobInfo): boolean {
  return actor === undefined || canSeeJob(actor, job);
}
