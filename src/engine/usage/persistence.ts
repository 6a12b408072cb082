import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../logger.js';
import { writeFileAtomic } from '../store/atomic.js';
import { withFileLock } from '../store/lock.js';

/**
 * Where usage counters live between processes. `UsageTracker` keeps increments in memory as
 * deltas and hands them to a persistence to add; the file implementation is below, the
 * PostgreSQL one is `src/engine/store/postgres/usage.ts`.
 */

export interface UsageRow {
  retrieved: number;
  injected: number;
  lastRetrievedAt?: string;
  lastInjectedAt?: string;
}

/** userId → skillId → counters */
export type UsageTable = Map<string, Map<string, UsageRow>>;

export interface UsagePersistence {
  /** The file the counters live in, for persistences that keep them in one (shown in diagnostics). */
  readonly file?: string;
  /** Every persisted counter (nothing persisted yet: an empty table). */
  read(): Promise<UsageTable>;
  /**
   * Add `deltas` to the persisted counters (counts summed, last-at times the later of the two).
   * Must be atomic against adders in other processes: either every delta is added or none is, and
   * nobody's counts are overwritten. May return the whole merged table it saw; `undefined` when
   * that would cost an extra read (the tracker then folds the deltas into its own copy).
   */
  add(deltas: UsageTable): Promise<UsageTable | undefined>;
}

export function emptyRow(): UsageRow {
  return { retrieved: 0, injected: 0 };
}

function laterOf(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}

export function addRow(into: UsageRow, delta: UsageRow): UsageRow {
  const lastRetrievedAt = laterOf(into.lastRetrievedAt, delta.lastRetrievedAt);
  const lastInjectedAt = laterOf(into.lastInjectedAt, delta.lastInjectedAt);
  return {
    retrieved: into.retrieved + delta.retrieved,
    injected: into.injected + delta.injected,
    ...(lastRetrievedAt ? { lastRetrievedAt } : {}),
    ...(lastInjectedAt ? { lastInjectedAt } : {}),
  };
}

/** Add every row of `deltas` into `table` (mutated and returned). */
export function addTable(table: UsageTable, deltas: UsageTable): UsageTable {
  for (const [uid, rows] of deltas) {
    let target = table.get(uid);
    if (!target) table.set(uid, (target = new Map()));
    for (const [id, row] of rows) target.set(id, addRow(target.get(id) ?? emptyRow(), row));
  }
  return table;
}

interface UsageFile {
  version: 1;
  savedAt: string;
  users: Record<string, Record<string, UsageRow>>;
}

export interface FileUsagePersistenceOptions {
  /** the store root; counters go to `<root>/.autoskill/usage.json` */
  root: string;
  now?: () => Date;
  logger?: Logger;
}

/**
 * `<root>/.autoskill/usage.json`, rewritten atomically. Several processes may share a root: each
 * adds under a file lock after re-reading the file, so no process overwrites another's counts.
 */
export class FileUsagePersistence implements UsagePersistence {
  readonly file: string;

  constructor(private readonly opts: FileUsagePersistenceOptions) {
    this.file = path.join(opts.root, '.autoskill', 'usage.json');
  }

  async read(): Promise<UsageTable> {
    const table: UsageTable = new Map();
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

  async add(deltas: UsageTable): Promise<UsageTable> {
    const dir = path.dirname(this.file);
    await mkdir(dir, { recursive: true });
    return withFileLock(dir, 'usage', async () => {
      const merged = addTable(await this.read(), deltas);
      const doc: UsageFile = { version: 1, savedAt: (this.opts.now?.() ?? new Date()).toISOString(), users: {} };
      for (const [uid, rows] of merged) doc.users[uid] = Object.fromEntries(rows);
      await writeFileAtomic(this.file, JSON.stringify(doc));
      return merged;
    });
  }
}
