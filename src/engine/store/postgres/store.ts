import { randomUUID } from 'node:crypto';
import { ChangeListeners } from '../listeners.js';
import pg from 'pg';
import { OwnerSchema, SkillSchema, type Owner, type Skill, type SkillSource } from '../../skill/schema.js';
import { holdsLock, withLocalLock } from '../lock.js';
import { safeRelPath } from '../paths.js';
import { checkWrite, planWrite, slugBase, type WriteRequest } from '../write-plan.js';
import { type DeletedSkill, type PutItem, type PutOptions, type SkillStore, type StoreChange, type VersionEntry, type StoredVersion } from '../store.js';
import { ConflictError, NotFoundError, StorageError, TooLargeError, ValidationError } from '../../errors.js';
import { describeText } from '../tombstones.js';
import { isPgError, LOCK_NS_KEYS, LOCK_NS_SLUGS, toNumber, type PgDatabase, type SqlQueryable } from './db.js';
import { PgListener } from './listener.js';
import { CHANNEL, importHistoryRows, insertBlobs, notify, PAGE, recordVersion, sha256, toEntry, type HistoryRow } from './rows.js';
import { ensureSchema, type MigrationOptions } from './migrations.js';

/**
 * SkillStore on PostgreSQL, for several replicas sharing one database.
 *
 * Reads are served from memory, as in the filesystem store: `open()` loads every skill, and the
 * cache is kept fresh across replicas with LISTEN/NOTIFY. Every write bumps the row's `rev` (one
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

/** One skill with everything needed to recreate it elsewhere (migrations). */
export interface SkillRecord {
  skill: Skill;
  /** the current SKILL.md text, verbatim */
  skillMd: string;
  /** current resource files */
  files: Record<string, Uint8Array>;
}

interface Cached {
  skill: Skill;
  rev: number;
}

interface SkillRow {
  id: string;
  skill: Skill;
  rev: string | number;
}

const nowIso = (): string => new Date().toISOString();


export class PostgresSkillStore implements SkillStore {
  private readonly db: PgDatabase;
  private readonly opts: Required<Omit<PostgresSkillStoreOptions, 'db' | 'onClose' | 'logger' | 'migrations'>>;
  private readonly instance = randomUUID();
  private cache = new Map<string, Cached>();
  /** owner → ids, so taking an owner's lock re-checks that owner's skills without a full scan */
  private byOwner = new Map<string, Set<string>>();
  /** rev at which an id was seen deleted, so a late, older row can never resurrect it */
  private readonly tombstones = new Map<string, number>();
  private readonly listeners = new ChangeListeners();
  private listener: PgListener | undefined;
  private lockPool: pg.Pool | undefined;
  /** notifications not yet applied: id → notified rev (and whether it was a delete) */
  private pending = new Map<string, { rev: number; deleted: boolean }>();
  private pendingResync = false;
  private buffering = true;
  /** every cache update from the database runs on this chain, in order */
  private serial: Promise<void> = Promise.resolve();
  private opening: Promise<void> | undefined;
  private isOpen = false;
  private closed = false;

  constructor(private readonly options: PostgresSkillStoreOptions) {
    this.db = options.db;
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
      await this.listener?.stop();
      this.listener = undefined;
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
    // LISTEN before the initial load, buffering what arrives, so nothing committed between the
    // load's snapshot and the first notification is missed; the rev check drops the overlap.
    this.buffering = true;
    this.listener = new PgListener({
      channel: CHANNEL,
      connect: () => this.db.newClient(),
      onMessage: (payload) => this.onNotify(payload),
      onReconnect: () => this.requestResync(),
      onError: (err) => this.options.logger?.warn('postgres store: LISTEN connection lost; reconnecting', { error: String(err) }),
    });
    await this.listener.start();
    const next = new Map<string, Cached>();
    let after = '';
    for (;;) {
      const { rows } = await this.db.query<SkillRow>(
        'SELECT id, skill, rev FROM autoskill_skills WHERE id > $1 ORDER BY id LIMIT $2',
        [after, PAGE],
      );
      for (const r of rows) next.set(r.id, { skill: r.skill, rev: toNumber(r.rev) });
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1]!.id;
    }
    this.cache = next;
    this.byOwner = new Map();
    for (const [id, c] of next) this.indexOwner(id, c.skill.owner);
    this.isOpen = true;
    this.buffering = false;
    this.scheduleDrain();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.isOpen = false;
    this.opening = undefined;
    this.listeners.clear();
    await this.listener?.stop();
    this.listener = undefined;
    await this.serial.catch(() => undefined);
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
    return [...this.cache.values()].map((c) => c.skill);
  }

  async get(id: string): Promise<Skill | undefined> {
    this.ensureOpen();
    return this.cache.get(id)?.skill;
  }

  onChange(listener: (change: StoreChange) => void): () => void {
    return this.listeners.add(listener);
  }

  private emit(change: StoreChange): void {
    this.listeners.emit(change, this.options.logger);
  }

  // ---------------------------------------------------------------- cache maintenance

  /** Apply a database row (or its absence) if it is newer than what memory holds. */
  private applyRow(id: string, rev: number, skill: Skill | undefined): void {
    const cur = this.cache.get(id);
    const known = Math.max(cur?.rev ?? -1, this.tombstones.get(id) ?? -1);
    if (rev <= known) return;
    if (skill) {
      if (cur && cur.skill.owner !== skill.owner) this.unindexOwner(id, cur.skill.owner);
      this.cache.set(id, { skill, rev });
      this.indexOwner(id, skill.owner);
      this.tombstones.delete(id);
      this.emit({ type: 'put', id, owner: skill.owner, version: skill.version, skill });
    } else {
      this.tombstones.set(id, rev);
      if (cur) {
        this.cache.delete(id);
        this.unindexOwner(id, cur.skill.owner);
        this.emit({ type: 'delete', id, owner: cur.skill.owner });
      }
    }
  }

  private indexOwner(id: string, owner: string): void {
    let ids = this.byOwner.get(owner);
    if (!ids) this.byOwner.set(owner, (ids = new Set()));
    ids.add(id);
  }

  private unindexOwner(id: string, owner: string): void {
    const ids = this.byOwner.get(owner);
    ids?.delete(id);
    if (ids?.size === 0) this.byOwner.delete(owner);
  }

  private onNotify(payload: string): void {
    let msg: { i?: unknown; r?: unknown; d?: unknown; x?: unknown };
    try {
      msg = JSON.parse(payload) as typeof msg;
    } catch {
      return;
    }
    if (msg.x) {
      this.pendingResync = true;
    } else if (typeof msg.i === 'string' && typeof msg.r === 'number') {
      const prev = this.pending.get(msg.i);
      if (!prev || prev.rev < msg.r) this.pending.set(msg.i, { rev: msg.r, deleted: msg.d === 1 });
    }
    this.scheduleDrain();
  }

  private requestResync(): void {
    this.pendingResync = true;
    this.scheduleDrain();
  }

  private drainScheduled = false;

  private scheduleDrain(): void {
    if (this.buffering || this.drainScheduled) return;
    this.drainScheduled = true;
    // Coalesce a burst of notifications (a bulk import) into a few batched reads.
    setImmediate(() => {
      this.drainScheduled = false;
      this.serial = this.serial.then(() => this.drain()).catch((err: unknown) => {
        this.options.logger?.warn('postgres store: applying remote changes failed; will re-sync', { error: String(err) });
        this.pendingResync = true;
        setTimeout(() => this.scheduleDrain(), 500).unref();
      });
    });
  }

  private async drain(): Promise<void> {
    if (!this.isOpen) return;
    if (this.pendingResync) {
      this.pendingResync = false;
      this.pending.clear();
      await this.resyncAll();
      return;
    }
    const batch = this.pending;
    this.pending = new Map();
    const fetch: string[] = [];
    for (const [id, n] of batch) {
      const known = Math.max(this.cache.get(id)?.rev ?? -1, this.tombstones.get(id) ?? -1);
      if (n.rev <= known) continue; // our own write, or already applied
      if (n.deleted) this.applyRow(id, n.rev, undefined);
      else fetch.push(id);
    }
    for (let i = 0; i < fetch.length; i += PAGE) {
      const ids = fetch.slice(i, i + PAGE);
      const { rows } = await this.db.query<SkillRow>('SELECT id, skill, rev FROM autoskill_skills WHERE id = ANY($1::text[])', [ids]);
      const found = new Set<string>();
      for (const r of rows) {
        found.add(r.id);
        this.applyRow(r.id, toNumber(r.rev), r.skill);
      }
      // Notified but gone: deleted since; its own delete notification may still be on its way.
      for (const id of ids) if (!found.has(id)) this.applyRow(id, batch.get(id)!.rev, undefined);
    }
  }

  /** Compare every (id, rev) with memory and fetch what differs. */
  private async resyncAll(): Promise<void> {
    const { rows } = await this.db.query<{ id: string; rev: string | number }>('SELECT id, rev FROM autoskill_skills');
    await this.reconcile(
      rows.map((r) => [r.id, toNumber(r.rev)] as const),
      [...this.cache.keys()],
    );
  }

  /** Make memory match the database for one owner's skills (used when taking that owner's lock). */
  private async resyncOwner(owner: string): Promise<void> {
    const { rows } = await this.db.query<{ id: string; rev: string | number }>('SELECT id, rev FROM autoskill_skills WHERE owner = $1', [owner]);
    await this.reconcile(
      rows.map((r) => [r.id, toNumber(r.rev)] as const),
      [...(this.byOwner.get(owner) ?? [])],
    );
  }

  /**
   * `current`: the database's (id, rev) pairs for a slice of skills; `cachedSlice`: the ids memory
   * holds for that slice. Cached ids of the slice that the database lacks are gone.
   */
  private async reconcile(current: ReadonlyArray<readonly [string, number]>, cachedSlice: string[]): Promise<void> {
    const db = new Map(current);
    const stale = current.filter(([id, rev]) => rev > Math.max(this.cache.get(id)?.rev ?? -1, this.tombstones.get(id) ?? -1)).map(([id]) => id);
    for (let i = 0; i < stale.length; i += PAGE) {
      const { rows } = await this.db.query<SkillRow>('SELECT id, skill, rev FROM autoskill_skills WHERE id = ANY($1::text[])', [stale.slice(i, i + PAGE)]);
      for (const r of rows) this.applyRow(r.id, toNumber(r.rev), r.skill);
    }
    for (const id of cachedSlice) {
      const c = this.cache.get(id);
      if (c && !db.has(id)) {
        // Verify before dropping: the row may have been written after the listing above.
        const { rows } = await this.db.query<SkillRow>('SELECT id, skill, rev FROM autoskill_skills WHERE id = $1', [id]);
        if (rows[0]) this.applyRow(id, toNumber(rows[0].rev), rows[0].skill);
        else this.applyRow(id, c.rev + 0.5, undefined);
      }
    }
  }

  async refresh(): Promise<void> {
    this.ensureOpen();
    const run = this.serial.then(() => this.resyncAll());
    this.serial = run.catch(() => undefined);
    await run;
  }

  // ---------------------------------------------------------------- locking

  /** The owner's lock; on taking it, that owner's rows are re-read (not the whole table). */
  withOwnerLock<T>(owner: Owner, fn: () => Promise<T>): Promise<T> {
    return this.lockAndCatchUp(owner, () => this.resyncOwner(owner), fn);
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
        const { stored, rev } = await this.db.transaction((tx) => this.putTx(tx, req, adds));
        this.applyRow(stored.id, rev, stored);
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

  /** Read what the write plan needs (rows locked), plan, and commit the plan in this transaction. */
  private async putTx(tx: SqlQueryable, req: WriteRequest, adds: Map<string, { hash: string; bytes: Uint8Array }>): Promise<{ stored: Skill; rev: number }> {
    const { input, opts } = req;
    const existing = (
      await tx.query<{ owner: string; slug: string; version: string; skill: Skill; skill_md: string }>(
        'SELECT owner, slug, version, skill, skill_md FROM autoskill_skills WHERE id = $1 FOR UPDATE',
        [input.id],
      )
    ).rows[0];
    const prevFiles = new Map<string, string>();
    if (existing) {
      const { rows } = await tx.query<{ path: string; hash: string }>('SELECT path, hash FROM autoskill_resources WHERE skill_id = $1', [input.id]);
      for (const r of rows) prevFiles.set(r.path, r.hash);
    }
    const heldBy = existing
      ? undefined
      : (
          await tx.query<{ owner: Owner }>('SELECT owner FROM autoskill_history WHERE skill_id = $1 AND owner IS NOT NULL ORDER BY seq DESC LIMIT 1', [
            input.id,
          ])
        ).rows[0]?.owner;
    const needsSlug = !existing || existing.owner !== input.owner;
    const taken = needsSlug ? await this.takenSlugs(tx, input, opts.rawSkillMd !== undefined, opts.preferredSlug) : new Set<string>();
    const byHash = new Map([...adds.values()].map((a) => [a.hash, a] as const));
    const plan = planWrite<string>(
      req,
      {
        ...(existing
          ? { existing: { skill: { ...existing.skill, owner: OwnerSchema.parse(existing.owner), version: existing.version }, slug: existing.slug, skillMd: existing.skill_md, files: prevFiles } }
          : { heldBy }),
        slugTaken: (name) => taken.has(name),
      },
      (bytes) => sha256(bytes),
      this.opts,
      nowIso(),
    );
    const { stored, text, slug } = plan;

    // Normally already the newest history entry; recorded here if it is not (imported rows).
    if (plan.previous) await recordVersion(tx, input.id, plan.previous, this.opts.maxHistory);
    if (adds.size) await insertBlobs(tx, [...byHash.values()]);
    // A plain INSERT for a new id (no ON CONFLICT): if another writer created the same id since
    // our read, the unique violation sends us round again to treat it as the update it is.
    const values = [stored.id, stored.owner, slug, stored.version, JSON.stringify(stored), text];
    const { rows } = existing
      ? await tx.query<{ rev: string }>(
          `UPDATE autoskill_skills SET owner = $2, slug = $3, version = $4, skill = $5::json, skill_md = $6,
             rev = nextval('autoskill_rev_seq'), updated_at = now()
           WHERE id = $1 RETURNING rev`,
          values,
        )
      : await tx.query<{ rev: string }>(
          `INSERT INTO autoskill_skills (id, owner, slug, version, skill, skill_md, rev)
           VALUES ($1, $2, $3, $4, $5::json, $6, nextval('autoskill_rev_seq')) RETURNING rev`,
          values,
        );
    const rev = toNumber(rows[0]!.rev);
    if (plan.gone.length) await tx.query('DELETE FROM autoskill_resources WHERE skill_id = $1 AND path = ANY($2::text[])', [stored.id, plan.gone]);
    if (adds.size) {
      await tx.query(
        `INSERT INTO autoskill_resources (skill_id, path, hash)
         SELECT $1, u.path, u.hash FROM unnest($2::text[], $3::text[]) AS u(path, hash)
         ON CONFLICT (skill_id, path) DO UPDATE SET hash = excluded.hash`,
        [stored.id, [...adds.keys()], [...adds.values()].map((a) => a.hash)],
      );
    }
    await recordVersion(tx, stored.id, plan.next, this.opts.maxHistory);
    await tx.query('DELETE FROM autoskill_deleted WHERE skill_id = $1', [stored.id]);
    await notify(tx, { i: stored.id, r: rev });
    return { stored, rev };
  }

  /**
   * The slugs the write plan could pick that are taken under the owner: those sharing the base's
   * first 32 characters (every `<base>-N` candidate does) and the preferred one.
   */
  private async takenSlugs(tx: SqlQueryable, skill: Skill, raw: boolean, preferred?: string): Promise<Set<string>> {
    const base = slugBase(skill, raw);
    // New skills of one owner pick slugs one transaction at a time (released at COMMIT), so
    // concurrent creators see each other's choice instead of colliding on the unique index.
    await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_NS_SLUGS, skill.owner]);
    const prefix = base.slice(0, 32).replace(/[\\%_]/g, (c) => '\\' + c);
    const { rows } = await tx.query<{ slug: string }>('SELECT slug FROM autoskill_skills WHERE owner = $1 AND (slug LIKE $2 OR slug = $3)', [
      skill.owner,
      prefix + '%',
      preferred ?? '',
    ]);
    return new Set(rows.map((r) => r.slug));
  }

  async delete(id: string): Promise<boolean> {
    this.ensureOpen();
    const result = await this.db.transaction(async (tx) => {
      const row = (
        await tx.query<{ owner: string; slug: string; version: string; skill: Skill; skill_md: string }>(
          'SELECT owner, slug, version, skill, skill_md FROM autoskill_skills WHERE id = $1 FOR UPDATE',
          [id],
        )
      ).rows[0];
      if (!row) return undefined;
      const { rows: res } = await tx.query<{ path: string; hash: string }>('SELECT path, hash FROM autoskill_resources WHERE skill_id = $1', [id]);
      await recordVersion(tx, id, {
        version: row.version,
        owner: row.owner,
        at: row.skill.updatedAt ?? nowIso(),
        source: row.skill.source,
        skillMd: row.skill_md,
        files: new Map(res.map((r) => [r.path, r.hash])),
      }, this.opts.maxHistory);
      await tx.query('DELETE FROM autoskill_skills WHERE id = $1', [id]);
      await tx.query(
        `INSERT INTO autoskill_deleted (skill_id, at, slug) VALUES ($1, $2, $3) ON CONFLICT (skill_id) DO UPDATE SET at = excluded.at, slug = excluded.slug`,
        [id, nowIso(), row.slug],
      );
      const rev = toNumber((await tx.query<{ r: string }>(`SELECT nextval('autoskill_rev_seq') AS r`)).rows[0]!.r);
      await notify(tx, { i: id, r: rev, d: 1 });
      return { rev };
    });
    if (!result) {
      // Not in the database: make sure memory agrees (it may have missed a remote delete).
      const cur = this.cache.get(id);
      if (cur) this.applyRow(id, cur.rev + 0.5, undefined);
      return false;
    }
    this.applyRow(id, result.rev, undefined);
    return true;
  }

  // ---------------------------------------------------------------- history and resources

  async history(id: string): Promise<VersionEntry[]> {
    this.ensureOpen();
    const { rows } = await this.db.query<HistoryRow>(
      'SELECT seq, version, owner, at, source, skill_md, files FROM autoskill_history WHERE skill_id = $1 ORDER BY seq',
      [id],
    );
    const cur = (await this.db.query<{ skill: Skill; skill_md: string }>('SELECT skill, skill_md FROM autoskill_skills WHERE id = $1', [id])).rows[0];
    // Only the current (or last) owner's versions, as in the filesystem store (tombstones.ts).
    const ownerOf = cur?.skill.owner ?? rows.findLast((r) => r.owner)?.owner;
    const ownedRows = ownerOf ? rows.filter((r) => !r.owner || r.owner === ownerOf) : rows;
    const blobs = await this.readBlobs(ownedRows.flatMap((r) => Object.values(r.files ?? {})));
    const entries = ownedRows.map((r) => toEntry(r, blobs));
    // Like the filesystem store: the current version is always the last entry, even for rows
    // written without history (so a caller can always diff against and restore from it).
    if (cur && entries[entries.length - 1]?.skillMd !== cur.skill_md) {
      const { rows: res } = await this.db.query<{ path: string; content: Buffer }>(
        'SELECT r.path, b.content FROM autoskill_resources r JOIN autoskill_blobs b ON b.hash = r.hash WHERE r.skill_id = $1',
        [id],
      );
      const entry: VersionEntry = {
        version: cur.skill.version,
        owner: cur.skill.owner,
        at: cur.skill.updatedAt ?? nowIso(),
        skillMd: cur.skill_md,
        files: Object.fromEntries(res.map((r) => [r.path, Buffer.from(r.content).toString('base64')])),
      };
      if (cur.skill.source) entry.source = cur.skill.source;
      entries.push(entry);
    }
    return entries;
  }

  async versions(id: string): Promise<StoredVersion[]> {
    this.ensureOpen();
    // Texts are compared by digest inside the database: only versions, owners and times travel.
    const { rows } = await this.db.query<{ version: string; owner: Owner | null; at: string; source: SkillSource | null; h: string }>(
      'SELECT version, owner, at, source, md5(skill_md) AS h FROM autoskill_history WHERE skill_id = $1 ORDER BY seq',
      [id],
    );
    const cur = (
      await this.db.query<{ version: string; owner: Owner; at: string | null; source: SkillSource | null; h: string }>(
        "SELECT version, owner, skill->>'updatedAt' AS at, skill->'source' AS source, md5(skill_md) AS h FROM autoskill_skills WHERE id = $1",
        [id],
      )
    ).rows[0];
    // The same owner filter and current-version rule as history().
    const ownerOf = cur?.owner ?? rows.findLast((r) => r.owner)?.owner;
    const owned = ownerOf ? rows.filter((r) => !r.owner || r.owner === ownerOf) : rows;
    const out: StoredVersion[] = owned.map((r) => ({ version: r.version, at: r.at, ...(r.owner ? { owner: r.owner } : {}), ...(r.source ? { source: r.source } : {}) }));
    if (cur && owned[owned.length - 1]?.h !== cur.h) {
      out.push({ version: cur.version, at: cur.at ?? nowIso(), owner: cur.owner, ...(cur.source ? { source: cur.source } : {}) });
    }
    return out;
  }

  private async readBlobs(hashes: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const unique = [...new Set(hashes)];
    for (let i = 0; i < unique.length; i += PAGE) {
      const { rows } = await this.db.query<{ hash: string; content: Buffer }>('SELECT hash, content FROM autoskill_blobs WHERE hash = ANY($1::text[])', [
        unique.slice(i, i + PAGE),
      ]);
      for (const r of rows) out.set(r.hash, Buffer.from(r.content).toString('base64'));
    }
    return out;
  }

  async readResource(id: string, rel: string): Promise<Uint8Array> {
    this.ensureOpen();
    if (rel === 'SKILL.md') {
      const row = (await this.db.query<{ skill_md: string }>('SELECT skill_md FROM autoskill_skills WHERE id = $1', [id])).rows[0];
      if (!row) throw new NotFoundError(`no skill ${id}`);
      return new Uint8Array(Buffer.from(row.skill_md, 'utf8'));
    }
    safeRelPath(rel);
    const { rows } = await this.db.query<{ content: Buffer | null }>(
      `SELECT b.content FROM autoskill_skills s
         LEFT JOIN autoskill_resources r ON r.skill_id = s.id AND r.path = $2
         LEFT JOIN autoskill_blobs b ON b.hash = r.hash
        WHERE s.id = $1`,
      [id, rel],
    );
    if (!rows[0]) throw new NotFoundError(`no skill ${id}`);
    if (!rows[0].content) throw new NotFoundError(`not found: ${id}/${rel}`);
    const buf = rows[0].content;
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  // ---------------------------------------------------------------- migration support

  /** Deleted skills with their owner (tombstones), for listing and restore. */
  async deletedSkills(): Promise<DeletedSkill[]> {
    return this.queryDeleted();
  }

  async deletedSkill(id: string): Promise<DeletedSkill | undefined> {
    return (await this.queryDeleted(id))[0];
  }

  private async queryDeleted(id?: string): Promise<DeletedSkill[]> {
    this.ensureOpen();
    const { rows } = await this.db.query<{ skill_id: string; at: string; slug: string | null; owner: string; version: string; skill_md: string }>(
      `SELECT d.skill_id, d.at, d.slug, h.owner, h.version, h.skill_md
         FROM autoskill_deleted d
         JOIN LATERAL (SELECT owner, version, skill_md FROM autoskill_history
                        WHERE skill_id = d.skill_id AND owner IS NOT NULL ORDER BY seq DESC LIMIT 1) h ON true
        WHERE NOT EXISTS (SELECT 1 FROM autoskill_skills s WHERE s.id = d.skill_id)
          AND ($1::text IS NULL OR d.skill_id = $1)
        ORDER BY d.at DESC`,
      [id ?? null],
    );
    return rows.map((r) => {
      // A text column: the owner is checked on the way in, as every other boundary does.
      const owner = OwnerSchema.parse(r.owner);
      return { id: r.skill_id, owner, version: r.version, deletedAt: r.at, ...(r.slug ? { slug: r.slug } : {}), ...describeText(r.skill_md, owner) };
    });
  }

  /** Every id with recorded history, including deleted skills. */
  async historyIds(): Promise<string[]> {
    this.ensureOpen();
    const { rows } = await this.db.query<{ skill_id: string }>('SELECT DISTINCT skill_id FROM autoskill_history ORDER BY skill_id');
    return rows.map((r) => r.skill_id);
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
    const applied = await this.db.transaction(async (tx) => {
      const revs = new Map<string, number>();
      if (records.length) {
        const ids = skills.map((s) => s.id);
        const { rows } = await tx.query<{ id: string; rev: string }>(
          `INSERT INTO autoskill_skills (id, owner, slug, version, skill, skill_md, rev)
           SELECT u.id, u.owner, u.slug, u.version, u.skill::json, u.md, nextval('autoskill_rev_seq')
             FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS u(id, owner, slug, version, skill, md)
           ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, slug = excluded.slug, version = excluded.version,
             skill = excluded.skill, skill_md = excluded.skill_md, rev = excluded.rev, updated_at = now()
           RETURNING id, rev`,
          [ids, skills.map((s) => s.owner), skills.map((s) => s.slug), skills.map((s) => s.version), skills.map((s) => JSON.stringify(s)), records.map((r) => r.skillMd)],
        );
        for (const r of rows) revs.set(r.id, toNumber(r.rev));
        await tx.query('DELETE FROM autoskill_resources WHERE skill_id = ANY($1::text[])', [ids]);
        await tx.query('DELETE FROM autoskill_deleted WHERE skill_id = ANY($1::text[])', [ids]);
        const res = records.flatMap((r) => Object.entries(r.files).map(([path, bytes]) => ({ id: r.skill.id, path, hash: sha256(bytes), bytes })));
        await insertBlobs(tx, res);
        for (let i = 0; i < res.length; i += PAGE) {
          const part = res.slice(i, i + PAGE);
          await tx.query(
            `INSERT INTO autoskill_resources (skill_id, path, hash)
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[])`,
            [part.map((x) => x.id), part.map((x) => x.path), part.map((x) => x.hash)],
          );
        }
      }
      if (histories.length) await importHistoryRows(tx, histories);
      await notify(tx, { x: 1 });
      return revs;
    });
    for (const s of skills) this.applyRow(s.id, applied.get(s.id)!, s);
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

