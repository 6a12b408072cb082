import { lstat, mkdir, readdir, rename, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { ConflictError, NotFoundError } from '../../errors.js';
import { fsyncDir, readFileNoFollow, writeFileAtomic } from '../atomic.js';
import { RealDirs, resolveInside } from '../paths.js';
import { listResourceFiles, SKILL_MD, type ScanIssue } from '../scan.js';
import type { LoadError, TreeSink } from './tree.js';

/** Common/<library> and Users/<user>: the folders every skill of an owner sits under */
const OWNER_DEPTH = 2;

export interface FolderLimits {
  maxSkillBytes: number;
  maxResourceBytes: number;
  maxResourceFiles: number;
  logger?: { warn(message: string, meta?: Record<string, unknown>): void } | undefined;
}

/**
 * The filesystem store's file work inside one root: resolving a skill folder (never following a
 * link out of the root), reading its SKILL.md and resources, and the two ways a version reaches
 * disk (an in-place update with SKILL.md written last, a move to another owner's folder). It
 * holds no state about which skills exist; the store decides what to read and write.
 */
export class SkillFolders {
  /** the owner folders (Common/<library>, Users/<user>) checked during the current write batch */
  #batchDirs: RealDirs | undefined;

  constructor(
    readonly root: string,
    private readonly limits: FolderLimits,
  ) {}

  /**
   * Run one write batch (the caller holds the store lock): the root's folders down to the owner's
   * are checked for links once for the batch instead of once per path.
   */
  async batch<T>(fn: () => Promise<T>): Promise<T> {
    const outer = this.#batchDirs;
    this.#batchDirs ??= new RealDirs(OWNER_DEPTH);
    try {
      return await fn();
    } finally {
      this.#batchDirs = outer;
    }
  }

  /** resolveInside under the root (through the batch's memo during a batch). */
  resolve(...parts: string[]): Promise<string> {
    return this.#batchDirs ? this.#batchDirs.resolve(this.root, ...parts) : resolveInside(this.root, ...parts);
  }

  /** A collector of scan problems that logs each one (what every read of the tree reports into). */
  sink(): TreeSink {
    const errors: LoadError[] = [];
    const transients: string[] = [];
    return {
      errors,
      transients,
      issue: (i: ScanIssue) => {
        errors.push(i);
        this.limits.logger?.warn(`skill store: ${i.reason}`, { path: i.path });
      },
      transient: (p: string) => transients.push(p),
    };
  }

  abs(relDir: string, ...more: string[]): Promise<string> {
    return this.resolve(...relDir.split('/'), ...more);
  }

  async readSkillMd(relDir: string): Promise<string | undefined> {
    try {
      return Buffer.from(await readFileNoFollow(await this.abs(relDir, SKILL_MD), this.limits.maxSkillBytes)).toString('utf8');
    } catch (err) {
      if (NotFoundError.isInstance(err)) return undefined;
      throw err;
    }
  }

  /** Current resource contents of a folder (unreadable files are logged and left out). */
  async readResources(relDir: string): Promise<Map<string, Uint8Array>> {
    const out = new Map<string, Uint8Array>();
    const rels = await this.resourceList(relDir);
    for (const rel of rels) {
      try {
        out.set(rel, await readFileNoFollow(await this.abs(relDir, ...rel.split('/')), this.limits.maxResourceBytes));
      } catch (err) {
        this.limits.logger?.warn('cannot read resource for history', { path: `${relDir}/${rel}`, error: (err as Error).message });
      }
    }
    return out;
  }

  /** The resource paths of a folder as a load lists them. */
  async resourceList(relDir: string): Promise<string[]> {
    return listResourceFiles(await this.abs(relDir), undefined, this.sink(), this.limits.maxResourceFiles);
  }

  /** One current file of a skill folder (SKILL.md or a resource), size-limited. */
  async readFile(relDir: string, rel: string): Promise<Uint8Array> {
    const isSkillMd = rel === SKILL_MD;
    return readFileNoFollow(await this.abs(relDir, ...rel.split('/')), isSkillMd ? this.limits.maxSkillBytes : this.limits.maxResourceBytes);
  }

  /** Names in use directly under an owner's folder (a missing folder: none). */
  async namesIn(ownerParts: string[]): Promise<Set<string>> {
    const dir = await this.resolve(...ownerParts);
    return new Set(await readdir(dir).catch(() => []));
  }

  /** A new owner means a new place: one rename carries every file along (including unreadable ones). */
  async move(fromRelDir: string, ownerParts: string[], name: string): Promise<void> {
    const from = await this.abs(fromRelDir);
    const parent = await this.resolve(...ownerParts);
    await mkdir(parent, { recursive: true });
    const to = await resolveInside(parent, name);
    if (await lstat(to).then(() => true, () => false)) throw new ConflictError(`folder already exists: ${to}`);
    await rename(from, to);
    await fsyncDir(parent);
    await fsyncDir(path.dirname(from));
  }

  /** In-place update: resources first (each atomic), SKILL.md last (the commit point), then removals. */
  async update(relDir: string, adds: Map<string, Uint8Array>, removals: string[], text: string): Promise<void> {
    const skillDir = await this.abs(relDir);
    await mkdir(skillDir, { recursive: true });
    // Resolve (and so check for symlinks) every target before the first write, so a refused path
    // cannot leave half of a change behind.
    const writes = await Promise.all([...adds].map(async ([rel, bytes]) => ({ target: await this.abs(relDir, ...rel.split('/')), bytes })));
    const removes = await Promise.all(removals.filter((r) => !adds.has(r)).map((rel) => this.abs(relDir, ...rel.split('/'))));
    const skillMd = await this.abs(relDir, SKILL_MD);
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
}
