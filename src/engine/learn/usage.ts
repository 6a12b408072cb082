import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../logger.js';
import { writeFileAtomic } from '../store/atomic.js';
import { withFileLock } from '../store/lock.js';

/**
 * Usage counters: how often each skill was retrieved for, and injected into, a user's request,
 * and when last. Persisted to `<root>/.autoskill/usage.json` (atomic rewrite, debounced).
 *
 * Only counts are kept here; nothing ever deletes or archives a skill because of them (the
 * upstream auto-prune deleted every skill after 40 retrievals when no usage judge existed).
 *
 * Several processes may share a root: each keeps un-flushed increments as deltas and, under a
 * file lock, re-reads the file and adds its deltas on flush, so no process overwrites another's
 * counts.
 */

export interface UsageRow {
  retrieved: number;
  injected: number;
  lastRetrievedAt?: string;
  lastInjectedAt?: string;
}

interface UsageFile {
  version: 1;
  savedAt: string;
  users: Record<string, Record<string, UsageRow>>;
}

export interface UsageTrackerOptions {
  /** the store root; omit for an in-memory tracker */
  root?: string;
  /** wait this long after a record before writing (default 2000 ms) */
  debounceMs?: number;
  now?: () => Date;
  logger?: Logger;
}

type Table = Map<string, Map<string, UsageRow>>;

function emptyRow(): UsageRow {
  return { retrieved: 0, injected: 0 };
}

function laterOf(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}

function addRow(into: UsageRow, delta: UsageRow): UsageRow {
  return {
    retrieved: into.retrieved + delta.retrieved,
    injected: into.injected + delta.injected,
    ...(laterOf(into.lastRetrievedAt, delta.lastRetrievedAt) ? { lastRetrievedAt: laterOf(into.lastRetrievedAt, delta.lastRetrievedAt) } : {}),
    ...(laterOf(into.lastInjectedAt, delta.lastInjectedAt) ? { lastInjectedAt: laterOf(into.lastInjectedAt, delta.lastInjectedAt) } : {}),
  };
}

export class UsageTracker {
  readonly file?: string;
  private base: Table = new Map();
  private pending: Table = new Map();
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private readonly debounceMs: number;

  constructor(private readonly opts: UsageTrackerOptions = {}) {
    this.file = opts.root ? path.join(opts.root, '.autoskill', 'usage.json') : undefined;
    this.debounceMs = opts.debounceMs ?? 2000;
  }

  /** Read the persisted counters (missing or unreadable file: start empty). */
  async load(): Promise<void> {
    if (!this.file) return;
    this.base = await this.readFileTable();
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
    if (!this.file || this.pending.size === 0) return;
    const file = this.file;
    const deltas = this.pending;
    this.pending = new Map();
    this.flushing = (async () => {
      try {
        await mkdir(path.dirname(file), { recursive: true });
        await withFileLock(path.dirname(file), 'usage', async () => {
          const merged = await this.readFileTable();
          for (const [uid, rows] of deltas) {
            const target = merged.get(uid) ?? new Map<string, UsageRow>();
            for (const [id, row] of rows) target.set(id, addRow(target.get(id) ?? emptyRow(), row));
            merged.set(uid, target);
          }
          const doc: UsageFile = { version: 1, savedAt: this.nowIso(), users: {} };
          for (const [uid, rows] of merged) doc.users[uid] = Object.fromEntries(rows);
          await writeFileAtomic(file, JSON.stringify(doc));
          this.base = merged;
        });
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
    if (this.file && !this.timer) {
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

  private async readFileTable(): Promise<Table> {
    const table: Table = new Map();
    if (!this.file) return table;
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return table;
      throw err;
    }
    try {
      const doc = JSON.parse(text) as Partial<UsageFile>;
      for (const [uid, rows] of Object.entries(doc.users ?? {})) {
        const m = new Map<string, UsageRow>();
        for (const [id, row] of Object.entries(rows ?? {})) {
          if (!row || typeof row !== 'object') continue;
          m.set(id, {
            retrieved: Number(row.retrieved) || 0,
            injected: Number(row.injected) || 0,
            ...(typeof row.lastRetrievedAt === 'string' ? { lastRetrievedAt: row.lastRetrievedAt } : {}),
            ...(typeof row.lastInjectedAt === 'string' ? { lastInjectedAt: row.lastInjectedAt } : {}),
          });
        }
        table.set(uid, m);
      }
    } catch {
      this.opts.logger?.warn('usage.json is not valid JSON; starting from empty counters', { file: this.file });
    }
    return table;
  }

  private nowIso(): string {
    return (this.opts.now?.() ?? new Date()).toISOString();
  }
}
