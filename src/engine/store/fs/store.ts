import { ChangeListeners } from '../listeners.js';
import { lstat, mkdir, readdir, realpath, rename, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import type { Owner, Skill } from '../../skill/schema.js';
import { deterministicId } from '../../skill/ids.js';
import { setSkillMdId } from '../../skill/skill-md.js';
import { createDirAtomic, fsyncDir, readFileNoFollow, removeDirAtomic, writeFileAtomic, type FileMap } from '../atomic.js';
import { ChangeLog, type Change } from './changes.js';
import { HistoryStore, type HistorySummary } from './history.js';
import { codecFingerprint, writeLoadCache, type CachedSkill } from './load-cache.js';
import { classifyDir, loadLeaf, scanTree, sha1, type LoadError, type Rec, type Scan, type TreeSink } from './tree.js';
import { withFileLock } from '../lock.js';
import { resolveInside, safeRelPath } from '../paths.js';
import { hasSkillMd, listResourceFiles, mapLimit, SKILL_MD, type ScanIssue } from '../scan.js';
import { describeText, ownersEntries } from '../tombstones.js';
import { skillIdProblem } from '../../skill/ids.js';
import type { DeletedSkill, PutItem, PutOptions, SkillStore, StoreChange, VersionEntry, StoredVersion } from '../store.js';
import { AccessDeniedError, ConflictError, NotFoundError, StorageError } from '../../errors.js';
import { checkWrite, ownerDirParts, planWrite, verifySkillMd, type WritePlan, type WriteRequest } from '../write-plan.js';

/**
 * The embedded default store: Agent Skill folders on disk, everything loaded into memory.
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

export interface StoreLogger {
  warn(message: string, meta?: Record<string, unknown>): void;
}

export interface FsSkillStoreOptions {
  root: string;
  /** cross-process lock considered abandoned after this long without refresh (ms, min 2000; default 10000) */
  lockStaleMs?: number;
  /** give up waiting for the lock after this long (ms; default 60000) */
  lockTimeoutMs?: number;
  /** larger SKILL.md files are refused on write and reported on load (default 1 MiB) */
  maxSkillBytes?: number;
  /** per resource file (default 8 MiB) */
  maxResourceBytes?: number;
  /** resource files per skill (default 500) */
  maxResourceFiles?: number;
  /** versions kept per skill (default 200) */
  maxHistory?: number;
  /** parallel file reads during a scan (default 32) */
  concurrency?: number;
  logger?: StoreLogger;
}

/** A planned write plus where it goes on disk. */
interface Plan extends WritePlan<Uint8Array> {
  req: WriteRequest;
  existing: Rec | undefined;
  relDir: string;
}

const STORE_LOCK = '__store__';
/** folders written at once by putMany: overlaps fsync waits without flooding the thread pool */
const WRITE_CONCURRENCY = 8;
const now = (): string => new Date().toISOString();

export { ownerDirParts };
export type { LoadError };

/** A recorded version as the history file appends it again, unchanged (migration, id repair). */
function verbatimRecord(e: VersionEntry): Parameters<HistoryStore['append']>[1] {
  return {
    version: e.version,
    at: e.at,
    verbatim: true,
    ...(e.owner ? { owner: e.owner } : {}),
    ...(e.source ? { source: e.source } : {}),
    skillMd: e.skillMd,
    ...(e.files ? { files: new Map(Object.entries(e.files).map(([p, b64]) => [p, new Uint8Array(Buffer.from(b64, 'base64'))])) } : {}),
  };
}

export class FsSkillStore implements SkillStore {
  private readonly opts: Required<Omit<FsSkillStoreOptions, 'logger'>> & { logger?: StoreLogger };
  private rootDir = '';
  private internalDir = '';
  private changes!: ChangeLog;
  private historyStore!: HistoryStore;
  private byId = new Map<string, Rec>();
  private byDir = new Map<string, string>();
  private errors: LoadError[] = [];
  private knownGen = 0;
  private opening: Promise<void> | undefined;
  private isOpen = false;
  private readonly listeners = new ChangeListeners();
  /** skills written by this process since the parse cache was last saved */
  private cacheStale = 0;

  constructor(opts: FsSkillStoreOptions) {
    this.opts = {
      lockStaleMs: 10_000,
      lockTimeoutMs: 60_000,
      maxSkillBytes: 1024 * 1024,
      maxResourceBytes: 8 * 1024 * 1024,
      maxResourceFiles: 500,
      maxHistory: 200,
      concurrency: 32,
      ...opts,
    };
  }

  /** The real path of the root (after open). */
  get root(): string {
    return this.rootDir;
  }

  /** Files that could not be loaded by the last scan (and by later syncs), with the reason. */
  get loadErrors(): readonly LoadError[] {
    return this.errors;
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
    // Scan without the lock (every file is replaced atomically, so reads are safe), then catch up
    // under the lock with whatever other writers did meanwhile.
    const gen = await this.changes.readGen();
    const scan = await this.scanAll();
    this.install(scan, false);
    this.knownGen = gen;
    this.isOpen = true;
    await this.withStoreLock(async () => {
      await this.syncLocked();
      // Writers create temp/staging/trash entries only while holding this lock, so any that
      // exist now belong to a writer that died.
      for (const p of scan.transients) await rm(p, { recursive: true, force: true }).catch(() => undefined);
    });
  }

  async close(): Promise<void> {
    this.isOpen = false;
    this.opening = undefined;
    this.listeners.clear();
  }

  private loadCacheFile(): string {
    return path.join(this.internalDir, 'cache', 'load.json');
  }

  /**
   * Save the parse cache from memory when this process wrote skills since the last save, so the
   * next open does not parse them again (an import of thousands of skills would otherwise make the
   * first open after it pay the full parse). Memory equals what a load would parse (verifyText).
   */
  async flush(minUnsaved = 1): Promise<void> {
    if (!this.isOpen || this.cacheStale < Math.max(1, minUnsaved)) return;
    const stale = this.cacheStale;
    const entries = new Map<string, CachedSkill>();
    for (const rec of this.byId.values()) {
      const { resources: _resources, ...skill } = rec.skill;
      entries.set(rec.relDir, { hash: rec.hash, hadId: rec.hadId, skill });
    }
    try {
      await mkdir(path.join(this.internalDir, 'cache'), { recursive: true });
      await writeLoadCache(this.loadCacheFile(), await codecFingerprint(), entries);
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
    return [...this.byId.values()].map((r) => r.skill);
  }

  async get(id: string): Promise<Skill | undefined> {
    this.ensureOpen();
    return this.byId.get(id)?.skill;
  }

  /** Folder of a skill relative to the root ("/"-separated), e.g. for diagnostics or export. */
  locate(id: string): string | undefined {
    return this.byId.get(id)?.relDir;
  }

  onChange(listener: (change: StoreChange) => void): () => void {
    return this.listeners.add(listener);
  }

  private emit(change: StoreChange): void {
    this.listeners.emit(change, this.opts.logger);
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
      this.install(await this.scanAll(), true);
    } else {
      for (const c of list) await this.applyChange(c);
    }
    this.knownGen = gen;
  }

  private async applyChange(c: Change): Promise<void> {
    const parts = c.dir.split('/');
    const where = classifyDir(parts);
    if (!where) return;
    const current = this.byDir.get(c.dir);
    let abs: string;
    try {
      abs = await resolveInside(this.rootDir, ...parts);
    } catch {
      return;
    }
    const sink = this.sink();
    const entries = await readdir(abs, { withFileTypes: true }).catch(() => undefined);
    const rec = entries && hasSkillMd(abs, entries, sink) ? await loadLeaf(abs, c.dir, where.owner, where.relKey, sink, this.opts) : undefined;
    this.errors.push(...sink.errors);
    if (current !== undefined && current !== rec?.skill.id) {
      const old = this.byId.get(current);
      this.byId.delete(current);
      this.byDir.delete(c.dir);
      if (old) this.emit({ type: 'delete', id: current, owner: old.skill.owner });
    }
    if (rec) {
      const prev = this.byId.get(rec.skill.id);
      if (prev && prev.relDir !== c.dir) this.byDir.delete(prev.relDir);
      this.byId.set(rec.skill.id, rec);
      this.byDir.set(c.dir, rec.skill.id);
      this.emit({ type: 'put', id: rec.skill.id, owner: rec.skill.owner, version: rec.skill.version, skill: rec.skill });
    }
  }

  /** Re-scan everything (picks up edits made by hand or by processes that bypass the store). */
  async refresh(): Promise<void> {
    this.ensureOpen();
    const gen = await this.changes.readGen();
    const scan = await this.scanAll();
    await this.withStoreLock(async () => {
      this.install(scan, true);
      // Writes that landed during the scan have generations > gen: re-apply them on top.
      this.knownGen = Math.min(this.knownGen, gen);
      await this.syncLocked();
    });
  }

  // ---------------------------------------------------------------- scanning

  private sink(): TreeSink {
    const errors: LoadError[] = [];
    const transients: string[] = [];
    return {
      errors,
      transients,
      issue: (i: ScanIssue) => {
        errors.push(i);
        this.opts.logger?.warn(`skill store: ${i.reason}`, { path: i.path });
      },
      transient: (p: string) => transients.push(p),
    };
  }

  private scanAll(): Promise<Scan> {
    return scanTree(this.rootDir, this.loadCacheFile(), this.opts, this.sink());
  }

  /** Replace the in-memory state with a scan; optionally emit the differences. */
  private install(scan: Scan, emit: boolean): void {
    const old = this.byId;
    this.byId = new Map(scan.recs.map((r) => [r.skill.id, r]));
    this.byDir = new Map(scan.recs.map((r) => [r.relDir, r.skill.id]));
    this.errors = scan.errors;
    if (!emit) return;
    for (const [id, rec] of this.byId) {
      const prev = old.get(id);
      // resource files added or removed by hand change the skill's record too (the catalog holds it)
      if (!prev || prev.hash !== rec.hash || prev.relDir !== rec.relDir || prev.skill.resources.join('\n') !== rec.skill.resources.join('\n')) this.emit({ type: 'put', id, owner: rec.skill.owner, version: rec.skill.version, skill: rec.skill });
    }
    for (const [id, rec] of old) if (!this.byId.has(id)) this.emit({ type: 'delete', id, owner: rec.skill.owner });
  }

  // ---------------------------------------------------------------- file helpers

  private absDir(relDir: string, ...more: string[]): Promise<string> {
    return resolveInside(this.rootDir, ...relDir.split('/'), ...more);
  }

  private async readSkillMd(relDir: string): Promise<string | undefined> {
    try {
      return Buffer.from(await readFileNoFollow(await this.absDir(relDir, SKILL_MD), this.opts.maxSkillBytes)).toString('utf8');
    } catch (err) {
      if (NotFoundError.isInstance(err)) return undefined;
      throw err;
    }
  }

  /** Current resource contents of a folder (unreadable files are logged and left out). */
  private async readResources(relDir: string): Promise<Map<string, Uint8Array>> {
    const out = new Map<string, Uint8Array>();
    const abs = await this.absDir(relDir);
    const sink = this.sink();
    const rels = await listResourceFiles(abs, undefined, sink, this.opts.maxResourceFiles);
    for (const rel of rels) {
      try {
        out.set(rel, await readFileNoFollow(await this.absDir(relDir, ...rel.split('/')), this.opts.maxResourceBytes));
      } catch (err) {
        this.opts.logger?.warn('cannot read resource for history', { path: `${relDir}/${rel}`, error: (err as Error).message });
      }
    }
    return out;
  }

  /** Names in use directly under an owner's folder (a missing folder: none). */
  private async namesIn(ownerParts: string[]): Promise<Set<string>> {
    const dir = await resolveInside(this.rootDir, ...ownerParts);
    return new Set(await readdir(dir).catch(() => []));
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

    await this.withStoreLock(async () => {
      await this.syncLocked();
      const at = now();
      const plans: Array<[number, Plan]> = [];
      const claimed = new Set<string>();
      const names = new Map<string, Set<string>>();
      for (const [i, req] of prepared) {
        try {
          if (claimed.has(`id:${req.input.id}`)) throw new ConflictError(`skill ${req.input.id} appears twice in one batch`);
          const plan = await this.plan(req, claimed, names, at);
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
      await mapLimit(plans, WRITE_CONCURRENCY, async ([i, pl]) => {
        try {
          results[i] = await this.commit(pl, parents);
        } catch (err) {
          results[i] = err as Error;
          // The folder may hold the old or the new version now: believe the disk, not the plan.
          await this.applyChange({ gen: 0, op: 'put', id: pl.input.id, owner: pl.input.owner, dir: pl.relDir, at }).catch(() => undefined);
        }
      });
      for (const dir of parents) await fsyncDir(dir);
    });
    return results;
  }

  /** Read what the write plan needs and plan it. Caller holds the store lock; nothing is written here. */
  private async plan(req: WriteRequest, claimed: Set<string>, names: Map<string, Set<string>>, at: string): Promise<Plan> {
    const { input, ownerParts } = req;
    if (ownerParts.length === 2 && ownerParts[0] === 'Common' && !claimed.has(`lib:${ownerParts[1]}`)) {
      const libDir = await resolveInside(this.rootDir, ...ownerParts);
      if (await lstat(path.join(libDir, SKILL_MD)).then(() => true, () => false)) {
        throw new ConflictError(`Common/${ownerParts[1]} is a skill folder, not a library`);
      }
      claimed.add(`lib:${ownerParts[1]}`);
    }
    const rec = this.byId.get(input.id);
    const parentRel = ownerParts.join('/');
    // One listing of the owner's folder per batch (kept current as items claim names) instead of
    // one lstat per candidate name.
    let onDisk = names.get(parentRel);
    if (!onDisk) names.set(parentRel, (onDisk = await this.namesIn(ownerParts)));
    const disk = onDisk;
    const plan = planWrite<Uint8Array>(
      req,
      {
        ...(rec
          ? {
              existing: {
                skill: rec.skill,
                slug: rec.relDir.slice(rec.relDir.lastIndexOf('/') + 1),
                skillMd: await this.readSkillMd(rec.relDir),
                files: await this.readResources(rec.relDir),
              },
            }
          : { heldBy: await this.historyStore.lastOwner(input.id) }),
        slugTaken: (name) => disk.has(name) || this.byDir.has(`${parentRel}/${name}`) || claimed.has(`dir:${parentRel}/${name}`),
        idWithoutIdLine: (owner, slug) => deterministicId(owner, classifyDir([...ownerDirParts(owner), slug])!.relKey),
      },
      (bytes) => bytes,
      this.opts,
      at,
    );
    const relDir = rec && !plan.moving ? rec.relDir : `${parentRel}/${plan.slug}`;
    disk.add(plan.slug);
    return { ...plan, req, existing: rec, relDir };
  }

  /** Write one planned change: history of the old version, the folder, history of the new one. */
  private async commit(pl: Plan, parents: Set<string>): Promise<Skill> {
    const { input, existing, relDir, slug, text, stored } = pl;
    if (pl.previous) await this.historyStore.append(input.id, pl.previous);
    if (existing) {
      // A new owner means a new place: one rename carries every file along (including any the
      // store could not read), then the usual in-place update applies the change.
      if (pl.moving) await this.moveFolder(existing.relDir, pl.req.ownerParts, slug);
      await this.updateFolder(relDir, pl.req.adds, pl.req.removals, text);
    } else {
      const parent = await resolveInside(this.rootDir, ...pl.req.ownerParts);
      await mkdir(parent, { recursive: true });
      const files: FileMap = new Map(pl.finalFiles);
      files.set(SKILL_MD, text);
      // The parent is fsynced once for the whole batch (putMany), after every rename into it.
      await createDirAtomic(parent, slug, files, SKILL_MD, { syncParent: false });
      parents.add(parent);
    }

    const sink = this.sink();
    stored.resources = await listResourceFiles(await this.absDir(relDir), undefined, sink, this.opts.maxResourceFiles);
    await this.historyStore.append(input.id, pl.next);
    await this.historyStore.clearDeleted(input.id);

    if (pl.moving) this.byDir.delete(existing!.relDir);
    const rec: Rec = { skill: stored, relDir, hadId: true, hash: sha1(text) };
    this.byId.set(stored.id, rec);
    this.byDir.set(relDir, stored.id);
    this.cacheStale++;
    this.emit({ type: 'put', id: stored.id, owner: stored.owner, version: stored.version, skill: stored });
    return structuredClone(stored);
  }

  /** The write plan's verification with this store's rule for a SKILL.md without an id line. */
  private verifyText(text: string, draft: Skill, where: { owner: Owner; relKey: string }): Skill {
    return verifySkillMd(text, draft, this.opts, deterministicId(where.owner, where.relKey));
  }

  private async moveFolder(fromRelDir: string, ownerParts: string[], name: string): Promise<void> {
    const from = await this.absDir(fromRelDir);
    const parent = await resolveInside(this.rootDir, ...ownerParts);
    await mkdir(parent, { recursive: true });
    const to = await resolveInside(parent, name);
    if (await lstat(to).then(() => true, () => false)) throw new ConflictError(`folder already exists: ${to}`);
    await rename(from, to);
    await fsyncDir(parent);
    await fsyncDir(path.dirname(from));
  }

  /** In-place update: resources first (each atomic), SKILL.md last (the commit point), then removals. */
  private async updateFolder(relDir: string, adds: Map<string, Uint8Array>, removals: string[], text: string): Promise<void> {
    const skillDir = await this.absDir(relDir);
    await mkdir(skillDir, { recursive: true });
    // Resolve (and so check for symlinks) every target before the first write, so a refused path
    // cannot leave half of a change behind.
    const writes = await Promise.all([...adds].map(async ([rel, bytes]) => ({ target: await this.absDir(relDir, ...rel.split('/')), bytes })));
    const removes = await Promise.all(removals.filter((r) => !adds.has(r)).map((rel) => this.absDir(relDir, ...rel.split('/'))));
    const skillMd = await this.absDir(relDir, SKILL_MD);
    for (const { target, bytes } of writes) {
      await mkdir(path.dirname(target), { recursive: true });
      await writeFileAtomic(target, bytes);
    }
    await writeFileAtomic(skillMd, text);
    for (const target of removes) {
      await rm(target, { recursive: true, force: true });
      // Drop folders the removal left empty (scripts/, references/, ...), never the skill folder.
      for (let dir = path.dirname(target); dir.length > skillDir.length && dir.startsWith(skillDir); dir = path.dirname(dir)) {
        if (!(await rmdir(dir).then(() => true, () => false))) break;
      }
    }
  }

  async delete(id: string): Promise<boolean> {
    this.ensureOpen();
    return this.withStoreLock(async () => {
      await this.syncLocked();
      const rec = this.byId.get(id);
      if (!rec) return false;
      const text = await this.readSkillMd(rec.relDir);
      if (text !== undefined) {
        await this.historyStore.append(id, {
          version: rec.skill.version,
          at: rec.skill.updatedAt ?? now(),
          owner: rec.skill.owner,
          ...(rec.skill.source ? { source: rec.skill.source } : {}),
          skillMd: text,
          files: await this.readResources(rec.relDir),
        });
      }
      const gen = this.knownGen + 1;
      await this.changes.append({ gen, op: 'delete', id, owner: rec.skill.owner, dir: rec.relDir, at: now() });
      this.knownGen = gen;
      await removeDirAtomic(await this.absDir(rec.relDir));
      // The folder name goes into the tombstone, so a restore gets its folder and `name` back.
      await this.historyStore.markDeleted(id, now(), rec.relDir.slice(rec.relDir.lastIndexOf('/') + 1));
      this.byId.delete(id);
      this.byDir.delete(rec.relDir);
      this.emit({ type: 'delete', id, owner: rec.skill.owner });
      return true;
    });
  }

  // ---------------------------------------------------------------- history and resources

  async history(id: string): Promise<VersionEntry[]> {
    return this.readHistory(id, true);
  }

  async versions(id: string): Promise<StoredVersion[]> {
    return (await this.readHistory(id, false)).map((e) => ({ version: e.version, at: e.at, ...(e.owner ? { owner: e.owner } : {}), ...(e.source ? { source: e.source } : {}) }));
  }

  private async readHistory(id: string, withFiles: boolean): Promise<VersionEntry[]> {
    this.ensureOpen();
    const rec = this.byId.get(id);
    const entries = ownersEntries(await this.historyStore.list(id, { files: withFiles }), rec?.skill.owner);
    if (!rec) return entries;
    // The current version is normally the newest entry; a file edited by hand, loaded from a bank
    // or normalized since is appended (unsaved) so callers always see the current text too.
    const text = await this.readSkillMd(rec.relDir);
    if (text !== undefined && entries[entries.length - 1]?.skillMd !== text) {
      const files: Record<string, string> = {};
      if (withFiles) for (const [rel, bytes] of await this.readResources(rec.relDir)) files[rel] = Buffer.from(bytes).toString('base64');
      const current: VersionEntry = { version: rec.skill.version, owner: rec.skill.owner, at: rec.skill.updatedAt ?? now(), skillMd: text, files };
      if (rec.skill.source) current.source = rec.skill.source;
      entries.push(current);
    }
    return entries;
  }

  /** Every id with recorded history, including deleted skills (for restore). */
  async historySummaries(): Promise<HistorySummary[]> {
    this.ensureOpen();
    return this.historyStore.summaries();
  }

  /** Deleted skills with their owner (tombstones), for listing and restore. */
  async deletedSkills(): Promise<DeletedSkill[]> {
    this.ensureOpen();
    const out: DeletedSkill[] = [];
    for (const s of await this.historyStore.summaries()) {
      if (!s.deletedAt || !s.owner || this.byId.has(s.id)) continue;
      const entry: DeletedSkill = { id: s.id, owner: s.owner, version: s.version ?? '', deletedAt: s.deletedAt };
      if (s.deletedSlug) entry.slug = s.deletedSlug;
      const last = await this.historyStore.last(s.id);
      if (last) Object.assign(entry, describeText(last.skillMd, s.owner));
      out.push(entry);
    }
    return out.sort((a, b) => b.deletedAt.localeCompare(a.deletedAt));
  }

  async deletedSkill(id: string): Promise<DeletedSkill | undefined> {
    this.ensureOpen();
    if (this.byId.has(id)) return undefined;
    const tomb = await this.historyStore.deleted(id);
    const owner = tomb ? await this.historyStore.lastOwner(id) : undefined;
    const last = owner ? await this.historyStore.last(id) : undefined;
    if (!tomb || !owner || !last) return undefined;
    return { id, owner, version: last.version, deletedAt: tomb.at, ...(tomb.slug ? { slug: tomb.slug } : {}), ...describeText(last.skillMd, owner) };
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
      if (!this.byId.has(id) && entries.length) await this.historyStore.markDeleted(id, entries[entries.length - 1]!.at);
    });
  }

  async readResource(id: string, rel: string): Promise<Uint8Array> {
    this.ensureOpen();
    const rec = this.byId.get(id);
    if (!rec) throw new NotFoundError(`no skill ${id}`);
    const isSkillMd = rel === SKILL_MD;
    if (!isSkillMd) safeRelPath(rel);
    const file = await this.absDir(rec.relDir, ...rel.split('/'));
    return readFileNoFollow(file, isSkillMd ? this.opts.maxSkillBytes : this.opts.maxResourceBytes);
  }

  // ---------------------------------------------------------------- maintenance

  /**
   * Write the in-memory (deterministic) id into every SKILL.md that lacks one, changing only the
   * id line, and replace ids no route could address (`a/b`, `../x`: such a skill could never be
   * edited or deleted) by the deterministic id of its folder, carrying its history along.
   * Loading never rewrites files; this is the explicit step for that.
   */
  async normalizeIds(): Promise<{ scanned: number; changed: number; renamed: Array<{ from: string; to: string }> }> {
    this.ensureOpen();
    return this.withStoreLock(async () => {
      await this.syncLocked();
      let changed = 0;
      const renamed: Array<{ from: string; to: string }> = [];
      for (const rec of [...this.byId.values()]) {
        const bad = skillIdProblem(rec.skill.id);
        if (rec.hadId && !bad) continue;
        const text = await this.readSkillMd(rec.relDir);
        if (text === undefined) continue;
        const where = classifyDir(rec.relDir.split('/'))!;
        const oldId = rec.skill.id;
        const id = bad ? deterministicId(where.owner, where.relKey) : oldId;
        if (bad && this.byId.has(id)) {
          this.opts.logger?.warn('cannot replace an unaddressable id: the replacement is taken', { from: oldId, to: id });
          continue;
        }
        const next = setSkillMdId(text, id);
        this.verifyText(next, { ...rec.skill, id }, where);
        const gen = this.knownGen + 1;
        await this.changes.append({ gen, op: 'put', id, owner: rec.skill.owner, dir: rec.relDir, version: rec.skill.version, at: now() });
        this.knownGen = gen;
        await writeFileAtomic(await this.absDir(rec.relDir, SKILL_MD), next);
        if (bad) {
          for (const e of await this.historyStore.list(oldId)) {
            await this.historyStore.append(id, verbatimRecord(e));
          }
          await this.historyStore.purge(oldId);
          this.byId.delete(oldId);
          rec.skill = { ...rec.skill, id };
          this.byId.set(id, rec);
          this.byDir.set(rec.relDir, id);
          this.emit({ type: 'delete', id: oldId, owner: rec.skill.owner });
          this.emit({ type: 'put', id, owner: rec.skill.owner, version: rec.skill.version, skill: rec.skill });
          renamed.push({ from: oldId, to: id });
        }
        rec.hadId = true;
        rec.hash = sha1(next);
        this.cacheStale++;
        changed++;
      }
      return { scanned: this.byId.size, changed, renamed };
    });
  }
}
