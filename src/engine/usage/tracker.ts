import type { Logger } from '../logger.js';
import {
  addRow,
  addTable,
  emptyRow,
  FileUsagePersistence,
  type UsagePersistence,
  type UsageRow,
  type UsageTable,
} from './persistence.js';

/**
 * Usage counters: how often each skill was retrieved for, and injected into, a user's request,
 * and when last. Increments are kept in memory as deltas and handed to a `UsagePersistence`
 * (debounced): `<root>/.autoskill/usage.json` for a folder store, a table for PostgreSQL.
 *
 * Only counts are kept here; nothing ever deletes or archives a skill because of them
 * (docs/decisions/usage-never-deletes.md).
 *
 * Several processes may share one persistence: each adds only its own deltas (the persistence
 * adds them atomically), so no process overwrites another's counts. A failed write keeps the
 * deltas for the next attempt.
 */

export type { UsageRow } from './persistence.js';

export interface UsageTrackerOptions {
  /** where counters are persisted; omit (and `root`) for an in-memory tracker */
  persistence?: UsagePersistence;
  /** shorthand for `persistence: new FileUsagePersistence({ root })`; ignored when `persistence` is given */
  root?: string;
  /** wait this long after a record before writing (default 2000 ms) */
  debounceMs?: number;
  now?: () => Date;
  logger?: Logger;
}

export class UsageTracker {
  /** the usage.json path when persisted to a file */
  readonly file?: string;
  private readonly persistence?: UsagePersistence;
  private base: UsageTable = new Map();
  private pending: UsageTable = new Map();
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private readonly debounceMs: number;

  constructor(private readonly opts: UsageTrackerOptions = {}) {
    this.persistence =
      opts.persistence ??
      (opts.root
        ? new FileUsagePersistence({ root: opts.root, ...(opts.now ? { now: opts.now } : {}), ...(opts.logger ? { logger: opts.logger } : {}) })
        : undefined);
    if (this.persistence?.file !== undefined) this.file = this.persistence.file;
    this.debounceMs = opts.debounceMs ?? 2000;
  }

  /** Read the persisted counters (nothing persisted yet: start empty). */
  async load(): Promise<void> {
    if (!this.persistence) return;
    this.base = await this.persistence.read();
  }

  recordRetrieved(userId: string, skillIds: readonly string[]): void {
    const at = this.nowIso();
    for (const id of new Set(skillIds)) this.bump(userId, id, { retrieved: 1, injected: 0, lastRetrievedAt: at });
  }

  recordInjected(userId: string, skillIds: readonly string[]): void {
    const at = this.nowIso();
    for (const id of new Set(skillIds)) this.bump(userId, id, { retrieved: 0, injected: 1, lastInjectedAt: at });
  }

  get(userId: string, skillId: string): UsageRow | undefined {
    const b = this.base.get(userId)?.get(skillId);
    const p = this.pending.get(userId)?.get(skillId);
    if (!b && !p) return undefined;
    return addRow(b ?? emptyRow(), p ?? emptyRow());
  }

  /** Counters per skill id: for one user, or summed over all users (e.g. for Common skills). */
  stats(userId?: string): Record<string, UsageRow> {
    const out: Record<string, UsageRow> = {};
    for (const table of [this.base, this.pending]) {
      for (const [uid, rows] of table) {
        if (userId !== undefined && uid !== userId) continue;
        for (const [id, row] of rows) out[id] = addRow(out[id] ?? emptyRow(), row);
      }
    }
    return out;
  }

  /** Write pending increments now. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    while (this.flushing) await this.flushing.catch(() => undefined);
    const persistence = this.persistence;
    if (!persistence || this.pending.size === 0) return;
    const deltas = this.pending;
    this.pending = new Map();
    this.flushing = (async () => {
      try {
        const merged = await persistence.add(deltas);
        // Without the merged table, other processes' counts show up on the next load().
        this.base = merged ?? addTable(this.base, deltas);
      } catch (err) {
        // Keep the counts for the next attempt rather than losing them.
        for (const [uid, rows] of deltas) for (const [id, row] of rows) this.bumpRow(uid, id, row);
        this.opts.logger?.warn('usage flush failed', { error: err instanceof Error ? err.message : String(err) });
        throw err;
      } finally {
        this.flushing = undefined;
      }
    })();
    await this.flushing;
  }

  async close(): Promise<void> {
    await this.flush().catch(() => undefined);
  }

  private bump(userId: string, skillId: string, delta: UsageRow): void {
    this.bumpRow(userId, skillId, delta);
    if (this.persistence && !this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.flush().catch(() => undefined);
      }, this.debounceMs);
      this.timer.unref();
    }
  }

  private bumpRow(userId: string, skillId: string, delta: UsageRow): void {
    let rows = this.pending.get(userId);
    if (!rows) this.pending.set(userId, (rows = new Map()));
    rows.set(skillId, addRow(rows.get(skillId) ?? emptyRow(), delta));
  }

  /** the last timestamp formatted, by epoch ms: a proxy records twice per request, often in the same millisecond */
  private lastIso: { ms: number; iso: string } = { ms: NaN, iso: '' };

  private nowIso(): string {
    const now = this.opts.now?.() ?? new Date();
    const ms = now.getTime();
    if (ms !== this.lastIso.ms) this.lastIso = { ms, iso: now.toISOString() };
    return this.lastIso.iso;
  }
}
