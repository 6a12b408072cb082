import { ownerIsDead } from '../../jobs/claim.js';
import type { ClaimOptions, JobJournal, JobRecord, JobState } from '../../jobs/journal.js';
import { isPgError, type SqlDatabase } from './db.js';
import { ensureSchema, type MigrationOptions } from './migrations.js';

/**
 * The durable learning-job queue as one table, `autoskill_jobs`.
 *
 * Why not pg-boss or graphile-worker: both bring their own schema (dozens of tables, functions
 * and triggers), their own polling/maintenance loop and their own job model, while the engine
 * already owns scheduling, retries and per-user ordering behind the small `JobJournal` port. What
 * the port needs from PostgreSQL is three statements: an INSERT, a claim with
 * `FOR UPDATE SKIP LOCKED` (concurrent workers skip each other's rows instead of blocking, so a
 * job is handed to exactly one of them), and a final UPDATE guarded by the current state. No extra
 * daemon, no extra dependency, and the same transaction semantics as the rest of our tables.
 *
 * Leases: a claim sets `locked_by` (the runner) and `locked_until = now() + leaseMs` (server
 * clock, so replica clock skew does not matter). A replica that dies mid-job simply stops; once
 * the lease passes, the job is claimable again by anyone (`attempts` counts the claims); runners
 * renew the lease while they work. `finish` only moves a job that is not yet final, so a job
 * completes exactly once even if a slow original owner and the reclaimer both try to finish it.
 * Per-user FIFO (the port's ordering contract) is part of the claim query: only the oldest
 * unfinished job of a user is ever claimable.
 */

export interface PostgresJobJournalOptions {
  db: SqlDatabase;
  migrations?: MigrationOptions;
  /** called by close(): lets a shared pool end when its last user closes */
  onClose?: () => Promise<void>;
}

/** Timestamps come back as ISO text from SQL, so no driver's Date parsing is involved. */
const iso = (col: string): string => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const columns = (t = ''): string =>
  `${t}id, ${t}user_id, ${t}kind, ${t}state, ${t}payload, ${t}attempts, ${t}result, ${t}error, ${t}locked_by,
   ${iso(t + 'created_at')} AS created_at, ${iso(t + 'updated_at')} AS updated_at, ${iso(t + 'locked_until')} AS locked_until`;

interface JobRow {
  id: string;
  user_id: string;
  kind: string;
  state: JobState;
  payload: unknown;
  attempts: number;
  result: unknown;
  error: string | null;
  locked_by: string | null;
  locked_until: string | null;
  created_at: string;
  updated_at: string;
}

export class PostgresJobJournal implements JobJournal {
  private readonly db: SqlDatabase;
  private readonly migrations: MigrationOptions;
  private readonly onClose: (() => Promise<void>) | undefined;
  private closed = false;

  constructor(opts: PostgresJobJournalOptions) {
    this.db = opts.db;
    this.migrations = opts.migrations ?? {};
    this.onClose = opts.onClose;
  }

  private async ready(): Promise<void> {
    if (this.closed) throw new Error('PostgresJobJournal is closed');
    await ensureSchema(this.db, this.migrations);
  }

  async add(job: JobRecord): Promise<void> {
    await this.ready();
    try {
      await this.db.query(
        `INSERT INTO autoskill_jobs (id, user_id, kind, state, payload, created_at, updated_at, attempts, result, error)
         VALUES ($1, $2, $3, $4, $5::json, $6::timestamptz, $7::timestamptz, $8, $9::json, $10)`,
        [
          job.id,
          job.userId,
          job.kind,
          job.state,
          jsonParam(job.payload),
          job.createdAt,
          job.updatedAt,
          job.attempts,
          jsonParam(job.result),
          job.error ?? null,
        ],
      );
    } catch (err) {
      // Same contract as the other journals: an id is added once (a reset would rerun a job).
      if (isPgError(err, '23505')) throw new Error(`job ${job.id} already exists`, { cause: err });
      throw err;
    }
  }

  async claim(opts: ClaimOptions): Promise<JobRecord | undefined> {
    await this.ready();
    const leaseMs = Math.max(1, Math.round(opts.leaseMs));
    const dead = await this.deadOwners();
    // `heads`: the oldest unfinished job of every user (per-user FIFO: nothing behind it is
    // claimable). `next` locks one runnable head and skips heads another claimer is locking
    // right now. The state/lease test is on `j`, the locked row itself, so that when a row was
    // claimed and committed by someone else after our snapshot, PostgreSQL re-checks it on the
    // newest row version and drops it, instead of handing the job out twice.
    const { rows } = await this.db.query<JobRow>(
      `WITH heads AS (
         SELECT DISTINCT ON (user_id) id FROM autoskill_jobs
          WHERE state IN ('scheduled', 'running')
          ORDER BY user_id, created_at, seq),
       next AS (
         SELECT j.id FROM autoskill_jobs j JOIN heads h ON h.id = j.id
          WHERE (j.state = 'scheduled'
                 OR (j.state = 'running' AND (j.locked_until < now() OR j.locked_by = ANY($4::text[]))))
            AND ($3::text[] IS NULL OR j.user_id = ANY($3::text[]))
          ORDER BY j.created_at, j.seq
          LIMIT 1
          FOR UPDATE OF j SKIP LOCKED)
       UPDATE autoskill_jobs j
          SET state = 'running', locked_by = $1, locked_until = now() + make_interval(secs => $2::float8 / 1000),
              attempts = j.attempts + 1, updated_at = now()
         FROM next
        WHERE j.id = next.id
       RETURNING ${columns('j.')}`,
      [opts.owner, leaseMs, opts.userIds ?? null, dead],
    );
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  /**
   * Owners of live leases that provably died (same host, process gone; see engine/jobs/claim.ts),
   * so their jobs are reclaimed at once instead of after the lease. Other hosts' owners are never
   * judged here: their leases decide.
   */
  private async deadOwners(): Promise<string[]> {
    const { rows } = await this.db.query<{ owner: string }>(
      `SELECT DISTINCT locked_by AS owner FROM autoskill_jobs
        WHERE state = 'running' AND locked_until >= now() AND locked_by IS NOT NULL`,
    );
    return rows.map((r) => r.owner).filter((o) => ownerIsDead(o));
  }

  async renew(id: string, owner: string, leaseMs: number): Promise<boolean> {
    await this.ready();
    const res = await this.db.query(
      `UPDATE autoskill_jobs SET locked_until = now() + make_interval(secs => $3::float8 / 1000)
        WHERE id = $1 AND locked_by = $2 AND state = 'running'`,
      [id, owner, Math.max(1, Math.round(leaseMs))],
    );
    return (res.rowCount ?? 0) > 0;
  }

  async release(id: string, owner: string): Promise<boolean> {
    await this.ready();
    const res = await this.db.query(
      `UPDATE autoskill_jobs SET state = 'scheduled', locked_by = NULL, locked_until = NULL, updated_at = now()
        WHERE id = $1 AND locked_by = $2 AND state = 'running'`,
      [id, owner],
    );
    return (res.rowCount ?? 0) > 0;
  }

  async finish(id: string, state: 'completed' | 'failed', outcome: { result?: unknown; error?: string }): Promise<boolean> {
    await this.ready();
    // The state guard makes this a compare-and-set: of any number of concurrent finishers only
    // the first UPDATE matches; the rest see a final row and return false.
    const res = await this.db.query(
      `UPDATE autoskill_jobs
          SET state = $2, result = $3::json, error = $4, updated_at = now(), locked_until = NULL
        WHERE id = $1 AND state IN ('scheduled', 'running')`,
      [id, state, jsonParam(outcome.result), outcome.error ?? null],
    );
    return (res.rowCount ?? 0) > 0;
  }

  async get(id: string): Promise<JobRecord | undefined> {
    await this.ready();
    const { rows } = await this.db.query<JobRow>(`SELECT ${columns()} FROM autoskill_jobs WHERE id = $1`, [id]);
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  async list(opts: { userId?: string; limit?: number }): Promise<JobRecord[]> {
    await this.ready();
    const limit = Math.max(1, Math.min(10_000, Math.floor(opts.limit ?? 50)));
    const { rows } = opts.userId
      ? await this.db.query<JobRow>(
          `SELECT ${columns()} FROM autoskill_jobs WHERE user_id = $1 ORDER BY created_at DESC, seq DESC LIMIT $2`,
          [opts.userId, limit],
        )
      : await this.db.query<JobRow>(`SELECT ${columns()} FROM autoskill_jobs ORDER BY created_at DESC, seq DESC LIMIT $1`, [limit]);
    return rows.map(toRecord);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.onClose?.();
  }
}

/** JSON for a `$n::json` parameter; undefined stays SQL NULL (JSON has no undefined). */
function jsonParam(v: unknown): string | null {
  return v === undefined ? null : JSON.stringify(v);
}

function toRecord(r: JobRow): JobRecord {
  const rec: JobRecord = {
    id: r.id,
    userId: r.user_id,
    kind: r.kind as JobRecord['kind'],
    state: r.state,
    payload: r.payload ?? undefined,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    attempts: Number(r.attempts),
  };
  if (r.result !== null && r.result !== undefined) rec.result = r.result;
  if (r.error !== null) rec.error = r.error;
  if (r.locked_by !== null) rec.owner = r.locked_by;
  if (r.locked_until !== null) rec.leaseUntil = r.locked_until;
  return rec;
}
