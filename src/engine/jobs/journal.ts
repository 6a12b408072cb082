/**
 * Durable job journal port. Jobs are recorded before they run, so a job scheduled before a crash
 * or restart runs afterwards, once. The filesystem journal is append-only JSON lines; the
 * PostgreSQL one is a table claimed with `FOR UPDATE SKIP LOCKED`.
 *
 * Ordering contract: jobs of one user run one at a time, in the order they were added (per-user
 * FIFO), across processes: only the oldest unfinished job of a user is ever claimable.
 */
export type JobState = 'scheduled' | 'running' | 'completed' | 'failed';

export interface JobRecord {
  id: string;
  userId: string;
  kind: 'extract';
  state: JobState;
  /** the input the job needs to run again after a restart (already redacted) */
  payload: unknown;
  createdAt: string;
  updatedAt: string;
  /** how many times the job was claimed (a job that ran before a crash is claimed again) */
  attempts: number;
  result?: unknown;
  error?: string;
  /** the runner holding a `running` job (`<host>:<pid>:<random>`) */
  owner?: string;
  /** ISO time after which a `running` job counts as abandoned */
  leaseUntil?: string;
}

export interface ClaimOptions {
  owner: string;
  leaseMs: number;
  /** only consider jobs of these users */
  userIds?: string[];
}

export interface JobJournal {
  /** Record a new job (state `scheduled`). */
  add(job: JobRecord): Promise<void>;
  /**
   * Claim the next runnable job and mark it `running` for `owner` until now + leaseMs (attempts + 1).
   * Runnable: the oldest unfinished job of its user, which is `scheduled`, or `running` with an
   * expired lease or a dead owner. Returns undefined when nothing is runnable.
   */
  claim(opts: ClaimOptions): Promise<JobRecord | undefined>;
  /** Extend the lease of a running job still held by `owner`; false if the job was lost. */
  renew(id: string, owner: string, leaseMs: number): Promise<boolean>;
  /** Give a running job held by `owner` back (state `scheduled`), e.g. on shutdown. Optional: without it, the job waits for its lease to expire. */
  release?(id: string, owner: string): Promise<boolean>;
  /** Move a job to a final state, once. Returns false if it was already final. */
  finish(id: string, state: 'completed' | 'failed', outcome: { result?: unknown; error?: string }): Promise<boolean>;
  get(id: string): Promise<JobRecord | undefined>;
  /** Most recent first. */
  list(opts: { userId?: string; limit?: number }): Promise<JobRecord[]>;
  close(): Promise<void>;
}
