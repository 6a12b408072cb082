import { readdir } from 'node:fs/promises';
import type { Logger } from '../../logger.js';
import type { Skill } from '../../skill/schema.js';
import { ChangeListeners } from '../listeners.js';
import { hasSkillMd } from '../scan.js';
import type { StoreChange } from '../store.js';
import type { SkillFolders } from './folders.js';
import { classifyDir, loadLeaf, type LoadError, type Rec, type Scan, type TreeOptions } from './tree.js';

/**
 * Which skill lives in which folder, as this process last saw the tree: the filesystem store's
 * working index (id → record, folder → id) and the problems the last scan reported. Every change
 * to it is announced to `onChange` listeners with the skill as loaded, whether this process wrote
 * it or found it on disk (another process's write, a hand edit).
 */
export class FsRecords {
  private byId = new Map<string, Rec>();
  private byDir = new Map<string, string>();
  private problems: LoadError[] = [];
  private readonly listeners = new ChangeListeners();

  constructor(private readonly logger?: Pick<Logger, 'warn'>) {}

  get(id: string): Rec | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** Whether a folder (relative to the root) holds a known skill. */
  holdsDir(relDir: string): boolean {
    return this.byDir.has(relDir);
  }

  /** The record of the skill in a folder (relative to the root). */
  atDir(relDir: string): Rec | undefined {
    const id = this.byDir.get(relDir);
    return id === undefined ? undefined : this.byId.get(id);
  }

  all(): Rec[] {
    return [...this.byId.values()];
  }

  get size(): number {
    return this.byId.size;
  }

  get errors(): readonly LoadError[] {
    return this.problems;
  }

  onChange(listener: (change: StoreChange) => void): () => void {
    return this.listeners.add(listener);
  }

  clearListeners(): void {
    this.listeners.clear();
  }

  /** changes held back while a write batch commits (see `holding`) */
  private held: StoreChange[] | undefined;

  announce(change: StoreChange): void {
    if (this.held) this.held.push(change);
    else this.listeners.emit(change, this.logger);
  }

  /**
   * Run `fn` (a write batch's commits, several at a time) and announce its changes together when
   * it is done, in the order they were made. Listeners then see a batch as one run of changes
   * instead of one at a time as each folder's fsync returns: the index takes an import's batch in
   * one update, large enough for its worker threads (index/build-pool.ts), where it tokenized and
   * embedded skill by skill on the main thread between the writes.
   */
  async holding<T>(fn: () => Promise<T>): Promise<T> {
    if (this.held) return fn(); // nested: the outer batch announces
    const held: StoreChange[] = (this.held = []);
    try {
      return await fn();
    } finally {
      this.held = undefined;
      for (const change of held) this.listeners.emit(change, this.logger);
    }
  }

  /** Replace everything with a scan; optionally announce the differences. */
  install(scan: Scan, emit: boolean): void {
    const old = this.byId;
    this.byId = new Map();
    for (const rec of scan.recs) {
      const prev = old.get(rec.skill.id);
      // resource files added or removed by hand change the skill's record too (the catalog holds it)
      const same = prev !== undefined && prev.hash === rec.hash && prev.relDir === rec.relDir && prev.skill.resources.join('\n') === rec.skill.resources.join('\n');
      if (same) {
        // the record the catalog and the index already hold, not a second copy of it
        prev.stat = rec.stat;
        this.byId.set(rec.skill.id, prev);
      } else {
        this.byId.set(rec.skill.id, rec);
        if (emit) this.announcePut(rec.skill);
      }
    }
    this.byDir = new Map(scan.recs.map((r) => [r.relDir, r.skill.id]));
    this.problems = scan.errors;
    if (!emit) return;
    for (const [id, rec] of old) if (!this.byId.has(id)) this.announce({ type: 'delete', id, owner: rec.skill.owner });
  }

  /** Re-read one folder from disk (a changed folder named by the change log) and apply what it holds now. */
  async reload(dir: string, folders: SkillFolders, opts: TreeOptions): Promise<void> {
    const parts = dir.split('/');
    const where = classifyDir(parts);
    if (!where) return;
    const current = this.byDir.get(dir);
    let abs: string;
    try {
      abs = await folders.abs(dir);
    } catch {
      return;
    }
    const sink = folders.sink();
    const entries = await readdir(abs, { withFileTypes: true }).catch(() => undefined);
    const rec = entries && hasSkillMd(abs, entries, sink) ? await loadLeaf(folders.root, dir, where.owner, where.relKey, sink, opts) : undefined;
    this.problems.push(...sink.errors);
    if (current !== undefined && current !== rec?.skill.id) {
      const old = this.byId.get(current);
      this.byId.delete(current);
      this.byDir.delete(dir);
      if (old) this.announce({ type: 'delete', id: current, owner: old.skill.owner });
    }
    if (rec) {
      const prev = this.byId.get(rec.skill.id);
      if (prev && prev.relDir !== dir) this.byDir.delete(prev.relDir);
      this.byId.set(rec.skill.id, rec);
      this.byDir.set(dir, rec.skill.id);
      this.announcePut(rec.skill);
    }
  }

  /** A version this process wrote: the record replaces the one under its id (and `movedFrom` folder). */
  written(rec: Rec, movedFrom?: string): void {
    if (movedFrom !== undefined) this.byDir.delete(movedFrom);
    this.byId.set(rec.skill.id, rec);
    this.byDir.set(rec.relDir, rec.skill.id);
    this.announcePut(rec.skill);
  }

  /** A skill this process deleted. */
  deleted(id: string): void {
    const rec = this.byId.get(id);
    if (!rec) return;
    this.byId.delete(id);
    this.byDir.delete(rec.relDir);
    this.announce({ type: 'delete', id, owner: rec.skill.owner });
  }

  /** A record whose id was replaced in its SKILL.md (normalizeIds): announced as a delete and a put. */
  renamed(oldId: string, rec: Rec): void {
    this.byId.delete(oldId);
    this.byId.set(rec.skill.id, rec);
    this.byDir.set(rec.relDir, rec.skill.id);
    this.announce({ type: 'delete', id: oldId, owner: rec.skill.owner });
    this.announcePut(rec.skill);
  }

  private announcePut(skill: Skill): void {
    this.announce({ type: 'put', id: skill.id, owner: skill.owner, version: skill.version, skill });
  }
}
