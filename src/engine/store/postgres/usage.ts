import type { UsagePersistence, UsageRow, UsageTable } from '../../usage/persistence.js';
import { toNumber, type SqlDatabase } from './db.js';
import { ensureSchema, type MigrationOptions } from './migrations.js';

/**
 * Usage counters in `autoskill_usage` (schema version 1): one row per (skill, user, event), the
 * event being `retrieved` or `injected`, with a count and the time it last happened.
 *
 * Replicas add only their own increments: `count = count + EXCLUDED.count` in an upsert is atomic
 * per row under PostgreSQL's row locks, so concurrent flushes from any number of processes sum up
 * exactly, with no read-modify-write. A flush with many rows is one transaction, so a failure adds
 * none of them and the tracker can safely retry the whole batch.
 */

export interface PostgresUsagePersistenceOptions {
  db: SqlDatabase;
  migrations?: MigrationOptions;
  /** called by close(): lets a shared pool end when its last user closes */
  onClose?: () => Promise<void>;
  /** rows per INSERT statement (default 2000) */
  batchRows?: number;
}

type UsageEvent = 'retrieved' | 'injected';

interface EventRow {
  skillId: string;
  userId: string;
  event: UsageEvent;
  count: number;
  lastAt: string | null;
}

interface DbRow {
  skill_id: string;
  user_id: string;
  event: string;
  count: string | number;
  last_at: string;
}

/** Timestamps come back as ISO text from SQL, so no driver's Date parsing is involved. */
const ISO_LAST_AT = `to_char(last_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export class PostgresUsagePersistence implements UsagePersistence {
  private readonly db: SqlDatabase;
  private readonly migrations: MigrationOptions;
  private readonly onClose: (() => Promise<void>) | undefined;
  private readonly batchRows: number;
  private closed = false;

  constructor(opts: PostgresUsagePersistenceOptions) {
    this.db = opts.db;
    this.migrations = opts.migrations ?? {};
    this.onClose = opts.onClose;
    this.batchRows = Math.max(1, Math.floor(opts.batchRows ?? 2000));
  }

  private async ready(): Promise<void> {
    if (this.closed) throw new Error('PostgresUsagePersistence is closed');
    await ensureSchema(this.db, this.migrations);
  }

  async read(): Promise<UsageTable> {
    await this.ready();
    const { rows } = await this.db.query<DbRow>(
      `SELECT skill_id, user_id, event, count::text AS count, ${ISO_LAST_AT} AS last_at FROM autoskill_usage`,
    );
    return toTable(rows);
  }

  /** Returns undefined: the merged table would cost a full read per flush (see UsagePersistence). */
  async add(deltas: UsageTable): Promise<undefined> {
    const rows = toEventRows(deltas);
    if (rows.length === 0) return undefined;
    await this.ready();
    const batches: EventRow[][] = [];
    for (let i = 0; i < rows.length; i += this.batchRows) batches.push(rows.slice(i, i + this.batchRows));
    if (batches.length === 1) await upsert(this.db, batches[0]!);
    else await this.db.transaction(async (tx) => {
      for (const batch of batches) await upsert(tx, batch);
    });
    return undefined;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.onClose?.();
  }
}

/**
 * One multi-row upsert. Rows go in key order so two replicas flushing overlapping rows lock them
 * in the same order and wait for each other instead of deadlocking.
 */
async function upsert(db: Pick<SqlDatabase, 'query'>, rows: EventRow[]): Promise<void> {
  await db.query(
    `INSERT INTO autoskill_usage AS t (skill_id, user_id, event, count, last_at)
     SELECT u.skill_id, u.user_id, u.event, u.count, COALESCE(u.last_at, now())
       FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::timestamptz[]) AS u(skill_id, user_id, event, count, last_at)
      ORDER BY u.skill_id, u.user_id, u.event
     ON CONFLICT (skill_id, user_id, event) DO UPDATE
        SET count = t.count + EXCLUDED.count,
            last_at = GREATEST(t.last_at, EXCLUDED.last_at)`,
    [
      rows.map((r) => r.skillId),
      rows.map((r) => r.userId),
      rows.map((r) => r.event),
      rows.map((r) => r.count),
      rows.map((r) => r.lastAt),
    ],
  );
}

/** One row per event that happened at least once in the deltas. */
function toEventRows(deltas: UsageTable): EventRow[] {
  const out: EventRow[] = [];
  for (const [userId, rows] of deltas) {
    for (const [skillId, row] of rows) {
      if (row.retrieved > 0) out.push({ skillId, userId, event: 'retrieved', count: row.retrieved, lastAt: row.lastRetrievedAt ?? null });
      if (row.injected > 0) out.push({ skillId, userId, event: 'injected', count: row.injected, lastAt: row.lastInjectedAt ?? null });
    }
  }
  return out;
}

function toTable(rows: DbRow[]): UsageTable {
  const table: UsageTable = new Map();
  for (const r of rows) {
    // Events this version does not know (a newer replica's) are left alone, not misread.
    if (r.event !== 'retrieved' && r.event !== 'injected') continue;
    let users = table.get(r.user_id);
    if (!users) table.set(r.user_id, (users = new Map()));
    const row: UsageRow = users.get(r.skill_id) ?? { retrieved: 0, injected: 0 };
    if (r.event === 'retrieved') {
      row.retrieved = toNumber(r.count);
      row.lastRetrievedAt = r.last_at;
    } else {
      row.injected = toNumber(r.count);
      row.lastInjectedAt = r.last_at;
    }
    users.set(r.skill_id, row);
  }
  return table;
}
