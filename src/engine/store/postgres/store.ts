import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { SkillSchema, type Owner, type Skill } from '../../skill/schema.js';
import { holdsLock, withLocalLock } from '../lock.js';
import { safeRelPath } from '../paths.js';
import { checkWrite } from '../write-plan.js';
import { type DeletedSkill, type PutItem, type PutOptions, type SkillStore, type StoreChange, type VersionEntry, type StoredVersion } from '../store.js';
import { ConflictError, StorageError, TooLargeError, ValidationError } from '../../errors.js';
import { isPgError, LOCK_NS_KEYS, type PgDatabase } from './db.js';
import { importHistoryRows, sha256 } from './rows.js';
import { ensureSchema, type MigrationOptions } from './migrations.js';
import { PgSkillMirror } from './mirror.js';
import { deleteTx, importRecordsTx, putTx, type SkillRecord } from './writes.js';
import { historyIdRows, queryDeleted, readHistory, readResourceRow, readVersions } from './reads.js';

/**
 * SkillStore on PostgreSQL, for several replicas sharing one database.
 *
 * Reads of the current skills are served from memory (mirror.ts): `open()` loads every row, and
 * the mirror is kept fresh across replicas with LISTEN/NOTIFY. Every write bumps the row's `rev` (one
 * sequence) and, in the same transaction, NOTIFYs `{id, rev}`; PostgreSQL delivers notifications
 * only after commit and in commit order. Each replica re-reads the notified rows in batches and
 * applies a row only when its rev is newer than what it holds, so duplicates, its own echoes and
 * late deliveries are harmless, and it emits onChange for remote changes too (the SDK's index
 * follows). A lost LISTEN connection is re-opened and followed by a full re-sync, because
 * notifications sent meanwhile are gone.
 *
 * Writes go to the database first and to memory after COMMIT; a put reads the current row with
 * `SELECT ... FOR UPDATE`, so `expectedVersion` is checked against the database, never against a
 * possibly stale cache.
 *
 * withLock: a transaction-scoped advisory lock, `pg_advisory_xact_lock(ns, hashtext(key))`, held
 * on a dedicated connection from a small lock pool for the duration of `fn`; on acquiring it the
 * replica first re-reads that owner's rows. Why this and not optimistic checks alone: the engine's
 * critical sections are read-decide-write over *several* skills (the learning loop compares a
 * candidate with all of a user's skills, then adds or merges). An `expectedVersion` check catches
 * a lost update of one row but not two replicas both deciding "new skill" for the same preference,
 * which would leave duplicates; mutual exclusion per user prevents that, and the catch-up read
 * makes the decision on current data. Transaction-scoped (not session) locks release themselves
 * on COMMIT, ROLLBACK or a dropped connection, so a crashed replica or a bug can never leave a
 * user locked, and nothing leaks into a pooled session. The lock pool is separate from the query
 * pool, so lock holders waiting for a query connection can never starve the queries they wait
 * for. `expectedVersion` stays as a second line of defence inside put.
 */

export interface PostgresSkillStoreOptions {
  db: PgDatabase;
  migrations?: MigrationOptions;
  /** called by close(): lets a shared pool end when its last user closes */
  onClose?: () => Promise<void>;
  /** larger SKILL.md texts are refused (default 1 MiB) */
  maxSkillBytes?: number;
  /** per resource file (default 8 MiB) */
  maxResourceBytes?: number;
  /** resource files per skill (default 500) */
  maxResourceFiles?: number;
  /** versions kept per skill (default 200) */
  maxHistory?: number;
  /** connections that can hold withLock at once (default 10) */
  lockPoolSize?: number;
  /** give up waiting for a withLock key after this long (default 60000 ms) */
  lockTimeoutMs?: number;
  logger?: { warn(message: string, meta?: Record<string, unknown>): void };
}

export type { SkillRecord } from './writes.js';

export class PostgresSkillStore implements SkillStore {
  private readonly db: PgDatabase;
  private readonly opts: Required<Omit<PostgresSkillStoreOptions, 'db' | 'onClose' | 'logger' | 'migrations'>>;
  private readonly instance = randomUUID();
  /** the current rows in memory, fresh across replicas; it announces every change */
  private readonly mirror: PgSkillMirror;
  private lockPool: pg.Pool | undefined;
  private opening: Promise<void> | undefined;
  private isOpen = false;
  private closed = false;

  constructor(private readonly options: PostgresSkillStoreOptions) {
    this.db = options.db;
    this.mirror = new PgSkillMirror(options.db, options.logger);
    this.opts = {
      maxSkillBytes: 1024 * 1024,
      maxResourceBytes: 8 * 1024 * 1024,
      maxResourceFiles: 500,
      maxHistory: 200,
      lockPoolSize: 10,
      lockTimeoutMs: 60_000,
      ...definedOnly({
        maxSkillBytes: options.maxSkillBytes,
        maxResourceBytes: options.maxResourceBytes,
        maxResourceFiles: options.maxResourceFiles,
        maxHistory: options.maxHistory,
        lockPoolSize: options.lockPoolSize,
        lockTimeoutMs: options.lockTimeoutMs,
      }),
    };
  }

  // ---------------------------------------------------------------- lifecycle

  open(): Promise<void> {
    if (this.closed) return Promise.reject(new StorageError('store is closed'));
    this.opening ??= this.doOpen().catch(async (err: unknown) => {
      this.opening = undefined;
      await this.mirror.stop();
      throw err;
    });
    return this.opening;
  }

  private async doOpen(): Promise<void> {
    await ensureSchema(this.db, this.options.migrations ?? {});
    if (!this.lockPool) {
      this.lockPool = new pg.Pool({ ...this.db.config, max: this.opts.lockPoolSize });
      this.lockPool.on('error', () => undefined);
    }
    await this.mirror.start();
    this.isOpen = true;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.isOpen = false;
    this.opening = undefined;
    this.mirror.clearListeners();
    await this.mirror.stop();
    await this.lockPool?.end().catch(() => undefined);
    this.lockPool = undefined;
    await this.options.onClose?.();
  }

  private ensureOpen(): void {
    if (!this.isOpen) throw new StorageError('store is not open (call open() first)');
  }

  // ---------------------------------------------------------------- reads (memory)

  async list(): Promise<Skill[]> {
    this.ensureOpen();
    return this.mirror.list();
  }

  async get(id: string): Promise<Skill | undefined> {
    this.ensureOpen();
    return this.mirror.get(id);
  }

  onChange(listener: (change: StoreChange) => void): () => void {
    return this.mirror.onChange(listener);
  }

  async refresh(): Promise<void> {
    this.ensureOpen();
    await this.mirror.refresh();
  }

  // ---------------------------------------------------------------- locking

  /** The owner's lock; on taking it, that owner's rows are re-read (not the whole table). */
  withOwnerLock<T>(owner: Owner, fn: () => Promise<T>): Promise<T> {
    return this.lockAndCatchUp(owner, () => this.mirror.resyncOwner(owner), fn);
  }

  /** A lock under any key (the same lock as `withOwnerLock` for an owner); catches up in full. */
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.lockAndCatchUp(key, () => this.refresh(), fn);
  }

  /** Notifications normally keep memory current; this compares every row's rev to be sure. */
  async catchUp(): Promise<void> {
    await this.refresh();
  }

  private async lockAndCatchUp<T>(key: string, catchUp: () => Promise<void>, fn: () => Promise<T>): Promise<T> {
    this.ensureOpen();
    // In-process queue first (per store instance: two instances in one process behave like two
    // replicas), re-entrant per async chain like the filesystem store's lock.
    const localId = `pg:${this.instance}:${key}`;
    if (holdsLock(localId)) return fn();
    return withLocalLock(localId, async () => {
      const client = await this.lockPool!.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        await client.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.floor(this.opts.lockTimeoutMs))}`);
        try {
          await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_NS_KEYS, key]);
        } catch (err) {
          if (isPgError(err, '55P03')) throw new StorageError(`timed out waiting for lock ${key}`, { cause: err });
          throw err;
        }
        // Catch up before fn reads: the previous holder's writes are committed, but their
        // notifications may not have reached us yet. An owner's catch-up runs beside the
        // notification queue (every apply is rev-guarded, so order does not matter); a full
        // re-sync queues behind it.
        await catchUp();
        return await fn();
      } finally {
        await client.query('COMMIT').catch((err: unknown) => (broken = err instanceof Error ? err : new Error(String(err))));
        client.release(broken);
      }
    });
  }

  // ---------------------------------------------------------------- writes

  async put(skill: Skill, opts: PutOptions = {}): Promise<Skill> {
    this.ensureOpen();
    const req = checkWrite(skill, opts, this.opts);
    const adds = new Map([...req.adds].map(([rel, bytes]) => [rel, { hash: sha256(bytes), bytes }] as const));

    // A concurrent insert of the same id or the same (owner, slug) surfaces as a unique
    // violation; the retry then sees the other writer's row and proceeds as an update / picks
    // the next free slug.
    for (let attempt = 1; ; attempt++) {
      try {
        const { stored, rev } = await this.db.transaction((tx) => putTx(tx, req, adds, this.opts));
        this.mirror.applyRow(stored.id, rev, stored);
        return structuredClone(stored);
      } catch (err) {
        if (attempt < 5 && isPgError(err, '23505')) continue;
        throw err;
      }
    }
  }

  /**
   * Several puts, each its own transaction (a failed item never rolls back the others), with the
   * batch rules of the other stores: per-item results in input order, an id twice is a conflict.
   * Bulk migrations use importRecords instead.
   */
  async putMany(items: PutItem[]): Promise<Array<Skill | Error>> {
    const seen = new Set<string>();
    const out: Array<Skill | Error> = [];
    for (const { skill, opts } of items) {
      try {
        if (seen.has(skill.id)) throw new ConflictError(`skill ${skill.id} appears twice in one batch`);
        out.push(await this.put(skill, opts));
        seen.add(skill.id);
      } catch (err) {
        out.push(err as Error);
      }
    }
    return out;
  }

  async delete(id: string): Promise<boolean> {
    this.ensureOpen();
    const result = await this.db.transaction((tx) => deleteTx(tx, id, this.opts.maxHistory));
    if (!result) {
      // Not in the database: make sure memory agrees (it may have missed a remote delete).
      const rev = this.mirror.revOf(id);
      if (rev !== undefined) this.mirror.applyRow(id, rev + 0.5, undefined);
      return false;
    }
    this.mirror.applyRow(id, result.rev, undefined);
    return true;
  }

  // ---------------------------------------------------------------- history and resources

  async history(id: string): Promise<VersionEntry[]> {
    this.ensureOpen();
    return readHistory(this.db, id);
  }

  async versions(id: string): Promise<StoredVersion[]> {
    this.ensureOpen();
    return readVersions(this.db, id);
  }

  async readResource(id: string, rel: string): Promise<Uint8Array> {
    this.ensureOpen();
    return readResourceRow(this.db, id, rel);
  }

  // ---------------------------------------------------------------- migration support

  /** Deleted skills with their owner (tombstones), for listing and restore. */
  async deletedSkills(): Promise<DeletedSkill[]> {
    this.ensureOpen();
    return queryDeleted(this.db);
  }

  async deletedSkill(id: string): Promise<DeletedSkill | undefined> {
    this.ensureOpen();
    return (await queryDeleted(this.db, id))[0];
  }

  /** Every id with recorded history, including deleted skills. */
  async historyIds(): Promise<string[]> {
    this.ensureOpen();
    return historyIdRows(this.db);
  }

  /** Replace the recorded history of `id` with `entries` (oldest first), verbatim. */
  async importHistory(id: string, entries: VersionEntry[]): Promise<void> {
    this.ensureOpen();
    await this.db.transaction((tx) => importHistoryRows(tx, [{ id, entries }]));
  }

  /**
   * Bulk write for migrations: skills (verbatim SKILL.md, the given Skill objects, resources)
   * and, per id, the full history, in one transaction per call with multi-row statements. Other
   * replicas get one "re-sync" notification instead of one per skill.
   */
  async importRecords(records: SkillRecord[], histories: Array<{ id: string; entries: VersionEntry[] }> = []): Promise<void> {
    this.ensureOpen();
    const skills = records.map((r) => {
      const parsed = SkillSchema.safeParse(r.skill);
      if (!parsed.success) throw new ValidationError(`invalid skill ${r.skill.id}: ${parsed.error.message}`);
      if (Buffer.byteLength(r.skillMd) > this.opts.maxSkillBytes) throw new TooLargeError(`SKILL.md of ${r.skill.id} is too large`);
      for (const p of Object.keys(r.files)) safeRelPath(p);
      return parsed.data;
    });
    const applied = await this.db.transaction((tx) => importRecordsTx(tx, records, skills, histories));
    for (const s of skills) this.mirror.applyRow(s.id, applied.get(s.id)!, s);
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

