import { lstat, mkdir, realpath, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Owner, Skill } from '../../skill/schema.js';
import { AccessDeniedError, ConflictError, NotFoundError, StorageError } from '../../errors.js';
import { fsyncDir, removeDirAtomic } from '../atomic.js';
import { withFileLock } from '../lock.js';
import { safeRelPath } from '../paths.js';
import { mapLimit, SKILL_MD } from '../scan.js';
import type { DeletedSkill, PutItem, PutOptions, SkillStore, StoreChange, VersionEntry, StoredVersion } from '../store.js';
import { checkWrite, ownerDirParts, type WriteRequest } from '../write-plan.js';
import { commitPlan, planItem, type BatchDeps, type FsPlan } from './batch.js';
import { ChangeLog, type Change } from './changes.js';
import { SkillFolders } from './folders.js';
import { HistoryStore, type HistorySummary } from './history.js';
import { deletedSkill, deletedSkills, readHistory } from './history-reads.js';
import { repairIds, verbatimRecord, type IdRepairReport } from './id-repair.js';
import { codecFingerprint, writeLoadCache, type CachedSkill } from './load-cache.js';
import { withDefaults, type FsSkillStoreOptions, type ResolvedFsOptions } from './options.js';
import { FsRecords } from './records.js';
import { cachedTree, cacheEntry, scanTree, type LoadError, type Scan, type TreeOptions } from './tree.js';
import { SkillBodies } from './bodies.js';

/**
 * The embedded default store: Agent Skill folders on disk, their parsed records held in memory
 * (records.ts), file work in folders.ts, a write batch's plan and commit in batch.ts, history
 * reads in history-reads.ts and the id repair in id-repair.ts.
 *
 *   <root>/Users/<user>/<slug>/SKILL.md             owner user:<user>
 *   <root>/Common/<slug>/SKILL.md                   owner library:Common
 *   <root>/Common/<library>/<...>/<slug>/SKILL.md   owner library:<library> (nested up to 6 levels)
 *   <root>/vectors/                                 FsVectorStore (not touched here)
 *   <root>/.autoskill/                              history, change feed, locks, parse cache (store-internal)
 *
 * Guarantees: nothing outside the root is read or written (validated names, no symlinks
 * followed); every file is replaced atomically and SKILL.md is written last; writes are
 * serialized across async tasks and processes by one store write lock; every version is kept in
 * an on-disk history that survives restarts and deletes.
 *
 * Cross-process freshness: each process holds the store in memory, so before any
 * read-modify-write it must see what other processes wrote. Watching the tree would be racy and
 * platform-dependent; re-scanning on every lock would cost a second per write. Instead every
 * write bumps `.autoskill/generation` and appends the changed folder to `.autoskill/changes.jsonl`
 * (see changes.ts), and whoever takes the lock (put, delete, withLock) compares the generation
 * and reloads just the folders that changed. The generation is published *before* the files are
 * written, so a writer that crashes mid-way still makes every other process reload that folder
 * (and find whatever survived: old or new, never torn).
 */

export type { FsSkillStoreOptions, StoreLogger } from './options.js';

const STORE_LOCK = '__store__';
/** folders written at once by putMany: overlaps fsync waits without flooding the thread pool */
const WRITE_CONCURRENCY = 8;
const now = (): string => new Date().toISOString();

export { ownerDirParts };
export type { LoadError };

export class FsSkillStore implements SkillStore {
  private readonly opts: ResolvedFsOptions;
  /** what scans and reloads need: the limits, and where loaded skills read their bodies from */
  private readonly tree: TreeOptions;
  private rootDir = '';
  private internalDir = '';
  private changes!: ChangeLog;
  private historyStore!: HistoryStore;
  private folders!: SkillFolders;
  /** which skill is in which folder, as this process last saw the tree; it announces every change */
  private readonly records: FsRecords;
  private knownGen = 0;
  private opening: Promise<void> | undefined;
  private isOpen = false;
  /** skills written by this process since the parse cache was last saved */
  private cacheStale = 0;
  /** a background-verified open's scan (verifyInBackground): its timer until it starts, then the scan */
  private verifyTimer: NodeJS.Timeout | undefined;
  private verifying: Promise<void> | undefined;

  constructor(opts: FsSkillStoreOptions) {
    this.opts = withDefaults(opts);
    this.tree = { ...this.opts, bodies: new SkillBodies({ maxSkillBytes: this.opts.maxSkillBytes }) };
    this.records = new FsRecords(this.opts.logger);
  }

  /** The real path of the root (after open). */
  get root(): string {
    return this.rootDir;
  }

  /** Files that could not be loaded by the last scan (and by later syncs), with the reason. */
  get loadErrors(): readonly LoadError[] {
    return this.records.errors;
  }

  // ---------------------------------------------------------------- lifecycle

  open(): Promise<void> {
    this.opening ??= this.doOpen().catch((err: unknown) => {
      this.opening = undefined;
      throw err;
    });
    return this.opening;
  }

  private async doOpen(): Promise<void> {
    await mkdir(this.opts.root, { recursive: true });
    this.rootDir = await realpath(this.opts.root);
    this.internalDir = path.join(this.rootDir, '.autoskill');
    const st = await lstat(this.internalDir).catch(() => undefined);
    if (st?.isSymbolicLink()) throw new AccessDeniedError('.autoskill must not be a symbolic link');
    await mkdir(path.join(this.internalDir, 'history'), { recursive: true });
    this.changes = new ChangeLog(this.internalDir);
    this.historyStore = new HistoryStore(path.join(this.internalDir, 'history'), { maxEntries: this.opts.maxHistory });
    this.folders = new SkillFolders(this.rootDir, this.opts);
    // Scan without the lock (every file is replaced atomically, so reads are safe), then catch up
    // under the lock with whatever other writers did meanwhile.
    const gen = await this.changes.readGen();
    const cached = this.opts.verifyOnOpen === 'background' ? await cachedTree(this.rootDir, this.loadCacheFile(), this.tree) : undefined;
    const scan = cached?.scan ?? (await this.scanAll(gen));
    this.records.install(scan, false);
    // from the cache: what other processes wrote after it was saved is replayed from the change log below
    this.knownGen = cached ? Math.min(cached.gen, gen) : gen;
    this.isOpen = true;
    await this.withStoreLock(async () => {
      await this.syncLocked();
      await removeTransients(scan.transients);
    });
    // Later, not now: the process has its first requests to answer (and its index to load; the
    // scan would only interleave with that on this thread). `verified()` starts it at once.
    if (cached) this.verifyTimer = setTimeout(() => void this.verified(), VERIFY_DELAY_MS).unref();
  }

  /** The scan a `verifyOnOpen: 'background'` open left for later: what changed is announced like any change. */
  private async verifyInBackground(): Promise<void> {
    try {
      await this.refresh();
    } catch (err) {
      this.opts.logger?.warn('skill store: the scan after a background open failed; serving the cached tree', { error: (err as Error).message });
    }
  }

  /**
   * Resolves once the folders have been scanned since the open: at once after a `'wait'` open;
   * after a `'background'` one, the scan starts here if its timer has not started it yet.
   */
  verified(): Promise<void> {
    if (this.verifyTimer !== undefined) {
      clearTimeout(this.verifyTimer);
      this.verifyTimer = undefined;
      this.verifying = this.verifyInBackground();
    }
    return this.verifying ?? Promise.resolve();
  }

  async close(): Promise<void> {
    clearTimeout(this.verifyTimer);
    this.verifyTimer = undefined;
    await this.verifying;
    this.isOpen = false;
    this.opening = undefined;
    this.records.clearListeners();
  }

  private loadCacheFile(): string {
    return path.join(this.internalDir, 'cache', 'load.json');
  }

  /**
   * Save the parse cache from memory when this process wrote skills since the last save, so the
   * next open does not parse them again (an import of thousands of skills would otherwise make the
   * first open after it pay the full parse). Memory equals what a load would parse (verifySkillMd).
   */
  async flush(minUnsaved = 1): Promise<void> {
    if (!this.isOpen || this.cacheStale < Math.max(1, minUnsaved)) return;
    const stale = this.cacheStale;
    const entries = new Map<string, CachedSkill>();
    for (const rec of this.records.all()) entries.set(rec.relDir, cacheEntry(rec));
    try {
      await mkdir(path.join(this.internalDir, 'cache'), { recursive: true });
      await writeLoadCache(this.loadCacheFile(), await codecFingerprint(), entries, this.knownGen);
      this.cacheStale = Math.max(0, this.cacheStale - stale);
    } catch (err) {
      this.opts.logger?.warn('cannot write the load cache', { error: (err as Error).message });
    }
  }

  private ensureOpen(): void {
    if (!this.isOpen) throw new StorageError('store is not open (call open() first)');
  }

  // ---------------------------------------------------------------- reads (memory)

  async list(): Promise<Skill[]> {
    this.ensureOpen();
    return this.records.all().map((r) => r.skill);
  }

  async get(id: string): Promise<Skill | undefined> {
    this.ensureOpen();
    return this.records.get(id)?.skill;
  }

  /** Folder of a skill relative to the root ("/"-separated), e.g. for diagnostics or export. */
  locate(id: string): string | undefined {
    return this.records.get(id)?.relDir;
  }

  onChange(listener: (change: StoreChange) => void): () => void {
    return this.records.onChange(listener);
  }

  // ---------------------------------------------------------------- locking and freshness

  private withStoreLock<T>(fn: () => Promise<T>): Promise<T> {
    return withFileLock(path.join(this.internalDir, 'locks'), STORE_LOCK, fn, {
      staleMs: this.opts.lockStaleMs,
      timeoutMs: this.opts.lockTimeoutMs,
      onCompromised: (err) => this.opts.logger?.warn('store lock was taken over (process stalled longer than lockStaleMs)', { error: err.message }),
    });
  }

  /** The owner's lock (the same lock file as `withLock(owner)`, so older callers interoperate). */
  withOwnerLock<T>(owner: Owner, fn: () => Promise<T>): Promise<T> {
    ownerDirParts(owner);
    return this.withLock(owner, fn);
  }

  /** Read the change log and reload just the folders other processes changed. */
  async catchUp(): Promise<void> {
    this.ensureOpen();
    await this.withStoreLock(() => this.syncLocked());
  }

  async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    this.ensureOpen();
    return withFileLock(
      path.join(this.internalDir, 'locks'),
      'key:' + key,
      async () => {
        // Catch up with other processes so that fn's reads are current.
        await this.withStoreLock(() => this.syncLocked());
        return fn();
      },
      { staleMs: this.opts.lockStaleMs, timeoutMs: this.opts.lockTimeoutMs },
    );
  }

  /** Apply what other processes wrote since our last look. Caller holds the store lock. */
  private async syncLocked(): Promise<void> {
    const gen = await this.changes.readGen();
    if (gen === this.knownGen) return;
    const list = gen > this.knownGen ? await this.changes.since(this.knownGen, gen) : undefined;
    if (!list) {
      this.records.install(await this.scanAll(gen, true), true);
    } else {
      for (const c of list) await this.records.reload(c.dir, this.folders, this.tree);
    }
    this.knownGen = gen;
  }

  /** Re-scan everything (picks up edits made by hand or by processes that bypass the store). */
  async refresh(): Promise<void> {
    this.ensureOpen();
    const gen = await this.changes.readGen();
    const scan = await this.scanAll(gen, true);
    await this.withStoreLock(async () => {
      this.records.install(scan, true);
      // Writes that landed during the scan have generations > gen: re-apply them on top.
      this.knownGen = Math.min(this.knownGen, gen);
      await this.syncLocked();
      await removeTransients(scan.transients);
    });
  }

  // ---------------------------------------------------------------- scanning

  /**
   * `gen`: the change-log generation read before the scan starts. `rescan`: start from the records
   * held (an unchanged file keeps its record; the parse cache is not read).
   */
  private scanAll(gen: number, rescan = false): Promise<Scan> {
    const current = rescan ? { at: (relDir: string) => this.records.atDir(relDir), size: this.records.size } : undefined;
    return scanTree(this.rootDir, this.loadCacheFile(), this.tree, this.folders.sink(), gen, current);
  }

  // ---------------------------------------------------------------- writes

  async put(skill: Skill, opts: PutOptions = {}): Promise<Skill> {
    const [result] = await this.putMany([{ skill, opts }]);
    if (result instanceof Error) throw result;
    return result!;
  }

  /**
   * Several writes under one lock acquisition and one published generation: what makes a bulk
   * import cost its file writes and nothing more. Each item succeeds or fails on its own; the
   * result array holds the stored skill or the error, in input order. Items are planned in order
   * (so an id or folder claimed by an earlier item is seen by later ones), then written with some
   * parallelism, because independent folders do not need to wait for each other's fsyncs.
   */
  async putMany(items: PutItem[]): Promise<Array<Skill | Error>> {
    this.ensureOpen();
    // a write plans from the records: they must be the folders' own, not the cache's
    await this.verified();
    const results = new Array<Skill | Error>(items.length);
    const prepared: Array<[number, WriteRequest]> = [];
    items.forEach((item, i) => {
      try {
        prepared.push([i, checkWrite(item.skill, item.opts ?? {}, this.opts)]);
      } catch (err) {
        results[i] = err as Error;
      }
    });
    if (prepared.length === 0) return results;

    await this.withStoreLock(() => this.folders.batch(async () => {
      await this.syncLocked();
      const at = now();
      const plans: Array<[number, FsPlan]> = [];
      const claimed = new Set<string>();
      const names = new Map<string, Set<string>>();
      for (const [i, req] of prepared) {
        try {
          if (claimed.has(`id:${req.input.id}`)) throw new ConflictError(`skill ${req.input.id} appears twice in one batch`);
          const plan = await planItem(this.batchDeps(), req, claimed, names, at);
          claimed.add(`id:${req.input.id}`);
          claimed.add(`dir:${plan.relDir}`);
          plans.push([i, plan]);
        } catch (err) {
          results[i] = err as Error;
        }
      }
      if (plans.length === 0) return;

      // Publish intent for the whole batch first (see the class comment), then write.
      let gen = this.knownGen;
      const lines: Change[] = [];
      for (const [, pl] of plans) {
        if (pl.moving) lines.push({ gen: ++gen, op: 'delete', id: pl.input.id, owner: pl.existing!.skill.owner, dir: pl.existing!.relDir, at });
        lines.push({ gen: ++gen, op: 'put', id: pl.input.id, owner: pl.input.owner, dir: pl.relDir, version: pl.stored.version, at });
      }
      await this.changes.appendMany(lines);
      this.knownGen = gen;

      const parents = new Set<string>();
      // the batch's changes reach listeners (the catalog, the index) together, once it is written
      await this.records.holding(async () => {
        await mapLimit(plans, WRITE_CONCURRENCY, async ([i, pl]) => {
          try {
            results[i] = await commitPlan(this.batchDeps(), pl, parents);
            this.cacheStale++;
          } catch (err) {
            results[i] = err as Error;
            // The folder may hold the old or the new version now: believe the disk, not the plan.
            await this.records.reload(pl.relDir, this.folders, this.tree).catch(() => undefined);
          }
        });
        for (const dir of parents) await fsyncDir(dir);
      });
    }));
    return results;
  }

  private batchDeps(): BatchDeps {
    return { folders: this.folders, records: this.records, history: this.historyStore, limits: this.opts };
  }

  async delete(id: string): Promise<boolean> {
    this.ensureOpen();
    await this.verified();
    return this.withStoreLock(async () => {
      await this.syncLocked();
      const rec = this.records.get(id);
      if (!rec) return false;
      const text = await this.folders.readSkillMd(rec.relDir);
      if (text !== undefined) {
        await this.historyStore.append(id, {
          version: rec.skill.version,
          at: rec.skill.updatedAt ?? now(),
          owner: rec.skill.owner,
          ...(rec.skill.source ? { source: rec.skill.source } : {}),
          skillMd: text,
          files: await this.folders.readResources(rec.relDir),
        });
      }
      const gen = this.knownGen + 1;
      await this.changes.append({ gen, op: 'delete', id, owner: rec.skill.owner, dir: rec.relDir, at: now() });
      this.knownGen = gen;
      await removeDirAtomic(await this.folders.abs(rec.relDir));
      // The folder name goes into the tombstone, so a restore gets its folder and `name` back.
      await this.historyStore.markDeleted(id, now(), rec.relDir.slice(rec.relDir.lastIndexOf('/') + 1));
      this.records.deleted(id);
      return true;
    });
  }

  // ---------------------------------------------------------------- history and resources

  async history(id: string): Promise<VersionEntry[]> {
    this.ensureOpen();
    return readHistory(this.historyStore, this.folders, id, this.records.get(id), true);
  }

  async versions(id: string): Promise<StoredVersion[]> {
    this.ensureOpen();
    const entries = await readHistory(this.historyStore, this.folders, id, this.records.get(id), false);
    return entries.map((e) => ({ version: e.version, at: e.at, ...(e.owner ? { owner: e.owner } : {}), ...(e.source ? { source: e.source } : {}) }));
  }

  /** Every id with recorded history, including deleted skills (for restore). */
  async historySummaries(): Promise<HistorySummary[]> {
    this.ensureOpen();
    return this.historyStore.summaries();
  }

  /** Deleted skills with their owner (tombstones), for listing and restore. */
  async deletedSkills(): Promise<DeletedSkill[]> {
    this.ensureOpen();
    return deletedSkills(this.historyStore, (id) => this.records.has(id));
  }

  async deletedSkill(id: string): Promise<DeletedSkill | undefined> {
    this.ensureOpen();
    if (this.records.has(id)) return undefined;
    return deletedSkill(this.historyStore, id);
  }

  /** Migration support: every id with recorded history, deleted skills included. */
  async historyIds(): Promise<string[]> {
    return (await this.historySummaries()).map((s) => s.id);
  }

  /** Migration support: replace the recorded history of `id` with `entries` (oldest first), verbatim. */
  async importHistory(id: string, entries: VersionEntry[]): Promise<void> {
    this.ensureOpen();
    await this.withStoreLock(async () => {
      await this.syncLocked();
      await this.historyStore.purge(id);
      for (const e of entries) {
        await this.historyStore.append(id, verbatimRecord(e));
      }
      if (!this.records.has(id) && entries.length) await this.historyStore.markDeleted(id, entries[entries.length - 1]!.at);
    });
  }

  async readResource(id: string, rel: string): Promise<Uint8Array> {
    this.ensureOpen();
    const rec = this.records.get(id);
    if (!rec) throw new NotFoundError(`no skill ${id}`);
    if (rel !== SKILL_MD) safeRelPath(rel);
    return this.folders.readFile(rec.relDir, rel);
  }

  // ---------------------------------------------------------------- maintenance

  /**
   * Write the in-memory (deterministic) id into every SKILL.md that lacks one and replace ids no
   * route could address (see id-repair.ts). Loading never rewrites files; this is the explicit step.
   */
  async normalizeIds(): Promise<IdRepairReport> {
    await this.verified();
    this.ensureOpen();
    return this.withStoreLock(async () => {
      await this.syncLocked();
      return repairIds({
        records: this.records,
        folders: this.folders,
        history: this.historyStore,
        maxSkillBytes: this.opts.maxSkillBytes,
        logger: this.opts.logger,
        publish: async (change) => {
          const gen = this.knownGen + 1;
          await this.changes.append({ ...change, gen });
          this.knownGen = gen;
        },
        wrote: () => void this.cacheStale++,
      });
    });
  }
}

/** how long after a background-verified open its scan starts, unless something waits for it first */
const VERIFY_DELAY_MS = 1000;

/**
 * Writers create temp/staging/trash entries only while holding the store lock, so any a scan
 * found while the lock is held belong to a writer that died.
 */
async function removeTransients(paths: readonly string[]): Promise<void> {
  for (const p of paths) await rm(p, { recursive: true, force: true }).catch(() => undefined);
}
