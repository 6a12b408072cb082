import { mkdir, open, stat } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../store/atomic.js';
import { withFileLock } from '../store/lock.js';
import { claimed, isFinal, pickClaimable } from './claim.js';
import type { ClaimOptions, JobJournal, JobRecord } from './journal.js';

/**
 * Filesystem job journal: `<root>/.autoskill/jobs/journal.jsonl`, append-only JSON lines.
 *
 *   {"op":"add","job":{...}}                  a new job (with its payload)
 *   {"op":"set","id":"…","patch":{...}}       a state change (no payload)
 *
 * Every operation runs under a cross-process lock, first catching up with lines other processes
 * appended (read from the last known offset), so two processes sharing a store root never claim
 * the same job. The file is compacted (rewritten atomically with one `add` line per retained job)
 * when it grows; readers notice the new inode and reload.
 *
 * A torn last line (a process killed mid-append) is skipped on read and fenced off by a newline
 * before the next append.
 */

export interface FsJobJournalOptions {
  /** the store root; the journal lives in `<root>/.autoskill/jobs/` */
  root: string;
  /** rewrite the file after this many appended lines (default 2000) */
  compactEvery?: number;
  /** finished jobs kept by compaction (most recent; default 1000) */
  keepFinished?: number;
  /** cross-process lock staleness (ms) */
  lockStaleMs?: number;
}

type Line = { op: 'add'; job: JobRecord } | { op: 'set'; id: string; patch: Partial<JobRecord> & { unset?: string[] } };

export class FsJobJournal implements JobJournal {
  readonly dir: string;
  readonly file: string;
  private jobs = new Map<string, JobRecord>();
  private offset = 0;
  private ino = -1;
  private endsWithNewline = true;
  private linesSinceCompact = 0;
  private readonly compactEvery: number;
  private readonly keepFinished: number;
  private readonly addQueue: { job: JobRecord; resolve: () => void; reject: (err: unknown) => void }[] = [];
  private flushing = false;

  constructor(private readonly opts: FsJobJournalOptions) {
    this.dir = path.join(opts.root, '.autoskill', 'jobs');
    this.file = path.join(this.dir, 'journal.jsonl');
    this.compactEvery = opts.compactEvery ?? 2000;
    this.keepFinished = opts.keepFinished ?? 1000;
  }

  private locked<T>(fn: () => Promise<T>): Promise<T> {
    return withFileLock(
      this.dir,
      'journal',
      async () => {
        await this.sync();
        return fn();
      },
      { staleMs: this.opts.lockStaleMs },
    );
  }

  /** Catch up with the file: read appended lines, or reload after a compaction. */
  private async sync(): Promise<void> {
    let st;
    try {
      st = await stat(this.file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      await mkdir(this.dir, { recursive: true });
      this.reset(-1);
      return;
    }
    if (st.ino !== this.ino || st.size < this.offset) this.reset(st.ino);
    if (st.size === this.offset) return;
    const fh = await open(this.file, 'r');
    try {
      const buf = Buffer.alloc(st.size - this.offset);
      const { bytesRead } = await fh.read(buf, 0, buf.length, this.offset);
      const chunk = buf.subarray(0, bytesRead);
      const lastNl = chunk.lastIndexOf(0x0a);
      if (lastNl < 0) {
        // Only a torn line so far: leave it for later (or fence it off on the next append).
        this.endsWithNewline = false;
        return;
      }
      const complete = chunk.subarray(0, lastNl + 1).toString('utf8');
      for (const text of complete.split('\n')) if (text.trim()) this.applyText(text);
      this.offset += lastNl + 1;
      this.endsWithNewline = lastNl + 1 === chunk.length;
    } finally {
      await fh.close();
    }
  }

  private reset(ino: number): void {
    this.jobs = new Map();
    this.offset = 0;
    this.ino = ino;
    this.endsWithNewline = true;
    this.linesSinceCompact = 0;
  }

  private applyText(text: string): void {
    let line: Line;
    try {
      line = JSON.parse(text) as Line;
    } catch {
      return; // a torn line from a killed writer
    }
    this.apply(line);
    this.linesSinceCompact++;
  }

  private apply(line: Line): void {
    if (line.op === 'add') {
      if (line.job && typeof line.job.id === 'string') this.jobs.set(line.job.id, line.job);
      return;
    }
    const job = this.jobs.get(line.id);
    if (!job) return;
    const { unset, ...patch } = line.patch;
    const next: Record<string, unknown> = { ...job, ...patch };
    for (const key of unset ?? []) delete next[key];
    this.jobs.set(line.id, next as unknown as JobRecord);
  }

  private async append(lines: Line[], durable: boolean): Promise<void> {
    const text = (this.endsWithNewline ? '' : '\n') + lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
    const fh = await open(this.file, 'a');
    try {
      await fh.write(text);
      if (durable) await fh.sync();
      const st = await fh.stat();
      this.ino = st.ino;
      this.offset = st.size;
    } finally {
      await fh.close();
    }
    this.endsWithNewline = true;
    for (const l of lines) this.apply(l);
    this.linesSinceCompact += lines.length;
    if (this.linesSinceCompact >= this.compactEvery) await this.compact();
  }

  /** Rewrite the file with one line per retained job (all unfinished + the newest finished). */
  private async compact(): Promise<void> {
    const all = [...this.jobs.values()];
    const finished = all.filter(isFinal).sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
    const drop = new Set(finished.slice(0, Math.max(0, finished.length - this.keepFinished)).map((j) => j.id));
    const kept = all.filter((j) => !drop.has(j.id));
    const text = kept.map((job) => JSON.stringify({ op: 'add', job } satisfies Line)).join('\n') + (kept.length ? '\n' : '');
    await writeFileAtomic(this.file, text);
    const st = await stat(this.file);
    this.jobs = new Map(kept.map((j) => [j.id, j]));
    this.ino = st.ino;
    this.offset = st.size;
    this.endsWithNewline = true;
    this.linesSinceCompact = 0;
  }

  /** Force a compaction now (tests, maintenance commands). */
  async compactNow(): Promise<void> {
    await this.locked(() => this.compact());
  }

  /**
   * Adds are group-committed: adds that arrive while one batch is waiting for the lock or the
   * disk go out together in the next batch (one lock, one append, one fsync), in arrival order.
   * Under load each add otherwise queued for the lock and paid its own fsync.
   */
  add(job: JobRecord): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.addQueue.push({ job, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        void this.flushAdds();
      }
    });
  }

  private async flushAdds(): Promise<void> {
    try {
      while (this.addQueue.length > 0) {
        const batch = this.addQueue.splice(0);
        const accepted: typeof batch = [];
        try {
          await this.locked(async () => {
            const seen = new Set<string>();
            for (const b of batch) {
              if (this.jobs.has(b.job.id) || seen.has(b.job.id)) b.reject(new Error(`job ${b.job.id} already exists`));
              else {
                seen.add(b.job.id);
                accepted.push(b);
              }
            }
            if (accepted.length > 0) await this.append(accepted.map((b) => ({ op: 'add' as const, job: b.job })), true);
          });
          for (const b of accepted) b.resolve();
        } catch (err) {
          for (const b of accepted.length > 0 ? accepted : batch) b.reject(err);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  async claim(opts: ClaimOptions): Promise<JobRecord | undefined> {
    return this.locked(async () => {
      const now = Date.now();
      const job = pickClaimable(this.jobs.values(), opts, now);
      if (!job) return undefined;
      const next = claimed(job, opts, now);
      const patch = { state: next.state, owner: next.owner, leaseUntil: next.leaseUntil, attempts: next.attempts, updatedAt: next.updatedAt };
      await this.append([{ op: 'set', id: job.id, patch }], true);
      return structuredClone(this.jobs.get(job.id)!);
    });
  }

  async renew(id: string, owner: string, leaseMs: number): Promise<boolean> {
    return this.locked(async () => {
      const job = this.jobs.get(id);
      if (!job || job.state !== 'running' || job.owner !== owner) return false;
      await this.append([{ op: 'set', id, patch: { leaseUntil: new Date(Date.now() + leaseMs).toISOString() } }], false);
      return true;
    });
  }

  async release(id: string, owner: string): Promise<boolean> {
    return this.locked(async () => {
      const job = this.jobs.get(id);
      if (!job || job.state !== 'running' || job.owner !== owner) return false;
      const patch = { state: 'scheduled' as const, updatedAt: new Date().toISOString(), unset: ['owner', 'leaseUntil'] };
      await this.append([{ op: 'set', id, patch }], true);
      return true;
    });
  }

  async finish(id: string, state: 'completed' | 'failed', outcome: { result?: unknown; error?: string }): Promise<boolean> {
    return this.locked(async () => {
      const job = this.jobs.get(id);
      if (!job || isFinal(job)) return false;
      const patch = { state, ...outcome, updatedAt: new Date().toISOString(), unset: ['leaseUntil'] };
      await this.append([{ op: 'set', id, patch }], true);
      return true;
    });
  }

  async get(id: string): Promise<JobRecord | undefined> {
    return this.locked(async () => {
      const job = this.jobs.get(id);
      return job ? structuredClone(job) : undefined;
    });
  }

  async list(opts: { userId?: string; limit?: number }): Promise<JobRecord[]> {
    return this.locked(async () => {
      const all = [...this.jobs.values()].filter((j) => !opts.userId || j.userId === opts.userId);
      // Map order is journal order (creation order); most recent first.
      return all
        .reverse()
        .slice(0, opts.limit ?? 50)
        .map((j) => structuredClone(j));
    });
  }

  async close(): Promise<void> {}
}
