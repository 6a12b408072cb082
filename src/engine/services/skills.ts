import { assertCanImport, assertCanImportStoreTree, assertReadable, concernsActor, visibleInScope, type Actor, type Viewer } from '../access.js';
import type { ImportTarget, SkillInput, VersionInfo } from '../autoskill.js';
import { ValidationError } from '../errors.js';
import { newSkillId } from '../skill/ids.js';
import { userOwner, type Owner, type Scope, type Skill, type SkillSource } from '../skill/schema.js';
import type { SkillApplies } from '../skill/standing.js';
import { parseSkillMd } from '../skill/skill-md.js';
import type { ExportOptions } from '../store/export.js';
import type { ImportOptions, ZipImportOptions } from '../store/import.js';
import type { DeletedSkill, ImportReportEntry, StoreChange, VersionEntry } from '../store/store.js';
import { syncSkills, type SyncOptions, type SyncReport } from '../sync/sync.js';
import { watchSync, type SyncWatcher, type WatchOptions } from '../sync/watch.js';
import type { EngineCore } from './core.js';

/**
 * Skills as a user (or admin) sees and edits them. Every method takes the actor first and applies
 * the access policy (access.ts) when one is given; `undefined` is the trusted local process (the
 * CLI on its own store), which skips the checks as the facade's older methods do.
 */
export class SkillService {
  readonly #core: EngineCore;

  constructor(core: EngineCore) {
    this.#core = core;
  }

  get(actor: Actor | undefined, id: string): Skill | undefined {
    return this.#core.facade.get(id, actor);
  }

  /** Skills in `scope` for this viewer (access.ts `visibleInScope`), by name. */
  list(viewer: Viewer, scope: Scope = 'all'): Skill[] {
    return this.#core.store
      .all()
      .filter((s) => visibleInScope(s.owner, scope, viewer))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Create or update (a new version); without `owner`, the actor's own skill. */
  upsert(actor: Actor | undefined, input: SkillInput, opts: { owner?: Owner } = {}): Promise<Skill> {
    return this.#core.facade.upsert(input, { ...opts, ...(actor ? { actor } : {}) });
  }

  /** Replace a skill from edited SKILL.md text; invalid text changes nothing (ValidationError). */
  saveSkillMd(actor: Actor, id: string, text: string): Promise<Skill> {
    return this.#core.facade.saveSkillMd(id, text, actor);
  }

  /**
   * A new skill of the actor's from SKILL.md text. An id in the text that is already taken (by
   * anyone) is replaced by a fresh one, so pasted text never overwrites another skill.
   */
  async createFromSkillMd(actor: Actor, text: string, source: SkillSource = { kind: 'manual' }): Promise<Skill> {
    let parsed: Skill;
    try {
      parsed = parseSkillMd(text, { owner: userOwner(actor.userId), slug: 'skill', fallbackId: newSkillId() }).skill;
    } catch (err) {
      throw new ValidationError(`invalid SKILL.md: ${(err as Error).message}`, { cause: err });
    }
    const id = this.#core.store.get(parsed.id) ? newSkillId() : parsed.id;
    return this.#core.facade.upsert({ ...skillInputOf(parsed), id, source }, { actor });
  }

  delete(actor: Actor | undefined, id: string): Promise<boolean> {
    return this.#core.facade.delete(id, actor);
  }

  /** Restore a version (default: the one before the current) as a new version. */
  rollback(actor: Actor | undefined, id: string, version?: string): Promise<Skill> {
    return this.#core.facade.rollback(id, version, actor);
  }

  versions(actor: Actor | undefined, id: string): Promise<VersionInfo[]> {
    return this.#core.facade.versions(id, actor);
  }

  /** The recorded versions with their SKILL.md and files, oldest first. */
  async history(actor: Actor | undefined, id: string): Promise<VersionEntry[]> {
    if (actor) assertReadable(actor, this.#core.store.get(id), id);
    return this.#core.store.history(id);
  }

  readVersion(actor: Actor | undefined, id: string, version: string): Promise<VersionEntry> {
    return this.#core.facade.readVersion(id, version, actor);
  }

  diff(actor: Actor | undefined, id: string, from: string, to: string): Promise<string> {
    return this.#core.facade.diff(id, from, to, actor);
  }

  readResource(actor: Actor | undefined, id: string, file: string): Promise<Uint8Array> {
    return this.#core.facade.readResource(id, file, actor);
  }

  skillMd(actor: Actor | undefined, id: string): string {
    return this.#core.facade.skillMd(id, actor);
  }

  storedSkillMd(actor: Actor | undefined, id: string): Promise<string> {
    return this.#core.facade.storedSkillMd(id, actor);
  }

  export(actor: Actor | undefined, id: string, format: 'dir' | 'md' | 'zip', to?: string, opts: ExportOptions = {}) {
    return this.#core.facade.export(id, format, to, actor, opts);
  }

  /** Import a zip held in memory; only admins import into Common (access.ts `canImportInto`). */
  importZip(actor: Actor | undefined, bytes: Uint8Array, target: ImportTarget, opts: ZipImportOptions = {}): Promise<ImportReportEntry[]> {
    if (actor) assertCanImport(actor, importOwner(target));
    return this.#core.facade.importZip(bytes, target, opts);
  }

  importSkillMd(
    actor: Actor | undefined,
    text: string,
    target: ImportTarget,
    opts: ImportOptions & { name?: string } = {},
  ): Promise<ImportReportEntry> {
    if (actor) assertCanImport(actor, importOwner(target));
    return this.#core.facade.importSkillMd(text, target, opts);
  }

  /** Import a folder into one target, or a whole store tree (`{ layout: 'store' }`: local callers only). */
  importTree(
    actor: Actor | undefined,
    dir: string,
    target: ImportTarget | { layout: 'store' },
    opts: Pick<ImportOptions, 'onProgress' | 'hiddenFolders'> = {},
  ): Promise<ImportReportEntry[]> {
    if (actor) {
      if ('layout' in target) assertCanImportStoreTree(actor);
      else assertCanImport(actor, importOwner(target));
    }
    return this.#core.facade.importSkills(dir, target, opts);
  }

  listDeleted(actor: Actor): Promise<DeletedSkill[]> {
    return this.#core.facade.listDeleted(actor);
  }

  approve(actor: Actor | undefined, id: string): Promise<Skill> {
    return this.#core.facade.approve(id, actor);
  }

  /** The user's skills held for review, newest first. */
  pending(actor: Actor): Skill[] {
    return this.#core.facade.pending(actor.userId);
  }

  setApplies(actor: Actor | undefined, id: string, applies: SkillApplies): Promise<Skill> {
    return this.#core.facade.setApplies(id, applies, actor);
  }

  /**
   * Listen to skill changes the actor can see (their own and Common; all for admins and the
   * local process). Returns the unsubscribe function.
   */
  onChange(actor: Actor | undefined, listener: (change: StoreChange) => void): () => void {
    return this.#core.store.onChange((change) => {
      if (concernsActor(actor, change.owner)) listener(change);
    });
  }

  /** Mirror the user's skills into an agent's skills folder once (see sync/sync.ts). */
  sync(actor: Actor, opts: Omit<SyncOptions, 'userId'>): Promise<SyncReport> {
    return syncSkills(this.#core.store, { ...opts, userId: actor.userId });
  }

  /** Keep an agent's skills folder in step with the user's skills (see sync/watch.ts). */
  watchSync(actor: Actor, opts: Omit<WatchOptions, 'userId'>): SyncWatcher {
    return watchSync(this.#core.store, { ...opts, userId: actor.userId });
  }

  /**
   * Take in what other processes wrote to a shared store: taking the store's lock reads its change
   * generation and reloads the changed folders, emitting the changes (index and caches follow).
   */
  catchUp(): Promise<void> {
    return this.#core.facade.catchUp();
  }

  /** Which store implementation holds the skills (a label for status pages). */
  get backend(): string {
    return this.#core.store.constructor.name;
  }
}

/** The owner an import target writes as. */
export function importOwner(target: ImportTarget): Owner {
  return target.scope === 'user' ? userOwner(target.userId) : (`library:${target.library ?? 'Common'}` as Owner);
}

/** The editable fields of a parsed skill, as `upsert` input (id, owner and version are the store's). */
export function skillInputOf(skill: Skill): SkillInput {
  return {
    name: skill.name,
    description: skill.description,
    instructions: skill.instructions,
    triggers: skill.triggers,
    tags: skill.tags,
    examples: skill.examples,
    metadata: skill.metadata,
    ...(skill.license !== undefined ? { license: skill.license } : {}),
    ...(skill.compatibility !== undefined ? { compatibility: skill.compatibility } : {}),
    ...(skill.allowedTools !== undefined ? { allowedTools: skill.allowedTools } : {}),
  };
}
