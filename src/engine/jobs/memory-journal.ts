import { claimed, isFinal, pickClaimable } from './claim.js';
import type { ClaimOptions, JobJournal, JobRecord } from './journal.js';

/**
 * In-memory journal: for embedded use without a store root and for tests. Not durable; the same
 * claiming rules as the filesystem journal.
 */
export class MemoryJobJournal implements JobJournal {
  private readonly jobs = new Map<string, JobRecord>();
  /** keep at most this many finished jobs (oldest dropped) */
  constructor(private readonly keepFinished = 1000) {}

  async add(job: JobRecord): Promise<void> {
    if (this.jobs.has(job.id)) throw new Error(`job ${job.id} already exists`);
    this.jobs.set(job.id, { ...job });
  }

  async claim(opts: ClaimOptions): Promise<JobRecord | undefined> {
    const now = Date.now();
    const job = pickClaimable(this.jobs.values(), opts, now);
    if (!job) return undefined;
    const next = claimed(job, opts, now);
    this.jobs.set(job.id, next);
    return { ...next };
  }

  async renew(id: string, owner: string, leaseMs: number): Promise<boolean> {
    const job = this.jobs.get(id);
    if (!job || job.state !== 'running' || job.owner !== owner) return false;
    this.jobs.set(id, { ...job, leaseUntil: new Date(Date.now() + leaseMs).toISOString() });
    return true;
  }

  async release(id: string, owner: string): Promise<boolean> {
    const job = this.jobs.get(id);
    if (!job || job.state !== 'running' || job.owner !== owner) return false;
    const { owner: _o, leaseUntil: _l, ...rest } = job;
    this.jobs.set(id, { ...rest, state: 'scheduled', updatedAt: new Date().toISOString() });
    return true;
  }

  async finish(id: string, state: 'completed' | 'failed', outcome: { result?: unknown; error?: string }): Promise<boolean> {
    const job = this.jobs.get(id);
    if (!job || isFinal(job)) return false;
    const { leaseUntil: _l, ...rest } = job;
    this.jobs.set(id, { ...rest, state, ...outcome, updatedAt: new Date().toISOString() });
    this.trim();
    return true;
  }

  async get(id: string): Promise<JobRecord | undefined> {
    const job = this.jobs.get(id);
    return job ? { ...job } : undefined;
  }

  async list(opts: { userId?: string; limit?: number }): Promise<JobRecord[]> {
    const all = [...this.jobs.values()].filter((j) => !opts.userId || j.userId === opts.userId).reverse();
    return all.slice(0, opts.limit ?? 50).map((j) => ({ ...j }));
  }

  async close(): Promise<void> {}

  private trim(): void {
    const finished = [...this.jobs.values()].filter(isFinal);
    for (const job of finished.slice(0, Math.max(0, finished.length - this.keepFinished))) this.jobs.delete(job.id);
  }
}
