import type { JobRecord } from './journal.js';

/**
 * Jobs accepted by the runner whose journal write has not landed yet, and the few whose write
 * failed. `JobRunner.enqueue` gives a job its id at once, so a surface can answer with that id
 * without waiting for the disk (under load, with the journal's cross-process lock and fsync, the
 * write took longer than a proxy answer may wait). Readers of a job (`get`, `wait`, `subscribe`,
 * `list`) wait for its write first, so "the runner knows this job" always means "the journal has
 * it": a job is durable, and runs exactly once after a crash, from the moment it can be read back.
 *
 * A write that fails leaves a `failed` record here (bounded), so an id that was handed out still
 * answers, with the reason, instead of vanishing.
 */
export class RecordingJobs {
  private readonly inFlight = new Map<string, { userId: string; done: Promise<void> }>();
  private readonly lost = new Map<string, JobRecord>();

  constructor(private readonly keepLost = 1000) {}

  /** Track `write` for `job`; the returned promise settles like `write`. */
  track(job: JobRecord, write: Promise<void>): Promise<void> {
    const done = write.then(
      () => undefined,
      () => undefined,
    );
    this.inFlight.set(job.id, { userId: job.userId, done });
    void done.then(() => this.inFlight.delete(job.id));
    return write;
  }

  isRecording(id: string): boolean {
    return this.inFlight.has(id);
  }

  /** Remember a job whose write failed, as `failed` with the error. */
  markLost(job: JobRecord, error: string): JobRecord {
    const failed: JobRecord = { ...job, payload: undefined, state: 'failed', error, updatedAt: new Date().toISOString() };
    this.lost.set(job.id, failed);
    if (this.lost.size > this.keepLost) this.lost.delete(this.lost.keys().next().value!);
    return failed;
  }

  lostJob(id: string): JobRecord | undefined {
    const job = this.lost.get(id);
    return job ? { ...job } : undefined;
  }

  lostJobs(userId?: string): JobRecord[] {
    return [...this.lost.values()].filter((j) => !userId || j.userId === userId).map((j) => ({ ...j }));
  }

  /** Resolve once the write of `id` (if any is in flight) has settled. */
  async settled(id: string): Promise<void> {
    await this.inFlight.get(id)?.done;
  }

  /** Resolve once every write in flight (of one user, or all) has settled. */
  async allSettled(userId?: string): Promise<void> {
    const pending = [...this.inFlight.values()].filter((e) => !userId || e.userId === userId).map((e) => e.done);
    await Promise.all(pending);
  }
}
