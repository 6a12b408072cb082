import type { Skill } from '../../skill/schema.js';
import { ChangeListeners } from '../listeners.js';
import type { StoreChange } from '../store.js';
import { toNumber, type PgDatabase } from './db.js';
import { PgListener } from './listener.js';
import { CHANNEL, PAGE } from './rows.js';

/**
 * The PostgreSQL store's memory of the current rows, kept fresh across replicas with
 * LISTEN/NOTIFY (see the store's header for the protocol). Every write bumps the row's `rev` and
 * NOTIFYs `{id, rev}` in its transaction; this mirror re-reads notified rows in batches and
 * applies a row only when its rev is newer than what it holds, so duplicates, its own echoes and
 * late deliveries are harmless. Every applied change is announced to `onChange` listeners, local
 * and remote alike. A lost LISTEN connection is re-opened and followed by a full re-sync, because
 * notifications sent meanwhile are gone.
 */

export interface SkillRow {
  id: string;
  skill: Skill;
  rev: string | number;
}

interface Cached {
  skill: Skill;
  rev: number;
}

export class PgSkillMirror {
  private cache = new Map<string, Cached>();
  /** owner → ids, so taking an owner's lock re-checks that owner's skills without a full scan */
  private byOwner = new Map<string, Set<string>>();
  /** rev at which an id was seen deleted, so a late, older row can never resurrect it */
  private readonly tombstones = new Map<string, number>();
  private readonly listeners = new ChangeListeners();
  private listener: PgListener | undefined;
  /** notifications not yet applied: id → notified rev (and whether it was a delete) */
  private pending = new Map<string, { rev: number; deleted: boolean }>();
  private pendingResync = false;
  private buffering = true;
  private drainScheduled = false;
  private live = false;
  /** every cache update from the database runs on this chain, in order */
  private serial: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: PgDatabase,
    private readonly logger?: { warn(message: string, meta?: Record<string, unknown>): void },
  ) {}

  /** LISTEN, then load every row; notifications that arrive meanwhile are applied after the load. */
  async start(): Promise<void> {
    // LISTEN before the initial load, buffering what arrives, so nothing committed between the
    // load's snapshot and the first notification is missed; the rev check drops the overlap.
    this.buffering = true;
    this.listener = new PgListener({
      channel: CHANNEL,
      connect: () => this.db.newClient(),
      onMessage: (payload) => this.onNotify(payload),
      onReconnect: () => this.requestResync(),
      onError: (err) => this.logger?.warn('postgres store: LISTEN connection lost; reconnecting', { error: String(err) }),
    });
    await this.listener.start();
    const next = new Map<string, Cached>();
    let after = '';
    for (;;) {
      const { rows } = await this.db.query<SkillRow>('SELECT id, skill, rev FROM autoskill_skills WHERE id > $1 ORDER BY id LIMIT $2', [after, PAGE]);
      for (const r of rows) next.set(r.id, { skill: r.skill, rev: toNumber(r.rev) });
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1]!.id;
    }
    this.cache = next;
    this.byOwner = new Map();
    for (const [id, c] of next) this.indexOwner(id, c.skill.owner);
    this.live = true;
    this.buffering = false;
    this.scheduleDrain();
  }

  /** Stop listening and wait for updates in flight. */
  async stop(): Promise<void> {
    this.live = false;
    await this.listener?.stop();
    this.listener = undefined;
    await this.serial.catch(() => undefined);
  }

  list(): Skill[] {
    return [...this.cache.values()].map((c) => c.skill);
  }

  get(id: string): Skill | undefined {
    return this.cache.get(id)?.skill;
  }

  /** The rev memory holds for a live id (undefined when absent). */
  revOf(id: string): number | undefined {
    return this.cache.get(id)?.rev;
  }

  onChange(listener: (change: StoreChange) => void): () => void {
    return this.listeners.add(listener);
  }

  clearListeners(): void {
    this.listeners.clear();
  }

  /** Apply a database row (or its absence) if it is newer than what memory holds. */
  applyRow(id: string, rev: number, skill: Skill | undefined): void {
    const cur = this.cache.get(id);
    const known = Math.max(cur?.rev ?? -1, this.tombstones.get(id) ?? -1);
    if (rev <= known) return;
    if (skill) {
      if (cur && cur.skill.owner !== skill.owner) this.unindexOwner(id, cur.skill.owner);
      this.cache.set(id, { skill, rev });
      this.indexOwner(id, skill.owner);
      this.tombstones.delete(id);
      this.listeners.emit({ type: 'put', id, owner: skill.owner, version: skill.version, skill }, this.logger);
    } else {
      this.tombstones.set(id, rev);
      if (cur) {
        this.cache.delete(id);
        this.unindexOwner(id, cur.skill.owner);
        this.listeners.emit({ type: 'delete', id, owner: cur.skill.owner }, this.logger);
      }
    }
  }

  /** Compare every row's rev with memory and fetch what differs, queued behind other updates. */
  async refresh(): Promise<void> {
    const run = this.serial.then(() => this.resyncAll());
    this.serial = run.catch(() => undefined);
    await run;
  }

  /** Make memory match the database for one owner's skills (used when taking that owner's lock). */
  async resyncOwner(owner: string): Promise<void> {
    const { rows } = await this.db.query<{ id: string; rev: string | number }>('SELECT id, rev FROM autoskill_skills WHERE owner = $1', [owner]);
    await this.reconcile(
      rows.map((r) => [r.id, toNumber(r.rev)] as const),
      [...(this.byOwner.get(owner) ?? [])],
    );
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

  private scheduleDrain(): void {
    if (this.buffering || this.drainScheduled) return;
    this.drainScheduled = true;
    // Coalesce a burst of notifications (a bulk import) into a few batched reads.
    setImmediate(() => {
      this.drainScheduled = false;
      this.serial = this.serial.then(() => this.drain()).catch((err: unknown) => {
        this.logger?.warn('postgres store: applying remote changes failed; will re-sync', { error: String(err) });
        this.pendingResync = true;
        setTimeout(() => this.scheduleDrain(), 500).unref();
      });
    });
  }

  private async drain(): Promise<void> {
    if (!this.live) return;
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
}
