/**
 * Durable job journal port. Jobs are recorded before they run, so a job scheduled before a crash
 * or restart runs afterwards, once. The filesystem journal is append-only JSON lines; the
 * PostgreSQL one is a table claimed with `FOR UPDATE SKIP LOCKED`.
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
  attempts: number;
  result?: unknown;
  error?: string;
}

export interface JobJournal {
  /** Record a new job (state `scheduled`). */
  add(job: JobRecord): Promise<void>;
  /**
   * Claim the next runnable job: a `scheduled` one, or a `running` one whose lease expired
   * (its owner died). Returns undefined when nothing is runnable.
   */
  claim(opts: { owner: string; leaseMs: number; userIds?: string[] }): Promise<JobRecord | undefined>;
  /** Move a job to a final state, once. Returns false if it was already final. */
  finish(id: string, state: 'completed' | 'failed', outcome: { result?: unknown; error?: string }): Promise<boolean>;
  get(id: string): Promise<JobRecord | undefined>;
  /** Most recent first. */
  list(opts: { userId?: string; limit?: number }): Promise<JobRecord[]>;
  close(): Promise<void>;
}
