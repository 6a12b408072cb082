import {
  assertCanImport,
  assertCanImportStoreTree,
  assertReadable,
  assertWritable,
  canRead,
  canWrite,
  concernsActor,
  scopeFilter,
  type Actor,
  type Viewer,
} from '../access.js';
import type { ImportTarget, SkillInput, VersionInfo } from './types.js';
import { unifiedDiff } from '../diff.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { newSkillId } from '../skill/ids.js';
import { isPending, withReview } from '../skill/review.js';
import { isLibraryOwner, userOwner, type Owner, type Scope, type Skill, type SkillSource } from '../skill/schema.js';
import { appliesOf, withApplies, type SkillApplies } from '../skill/standing.js';
import { parseSkillMd, renderSkillMd } from '../skill/skill-md.js';
import { exportSkill, type ExportOptions } from '../store/export.js';
import { importSkillMdText, importSkillTree, importSkillZip, type ImportOptions, type ZipImportOptions } from '../store/import.js';
import type { DeletedSkill, ImportReportEntry, StoreChange, VersionEntry } from '../store/store.js';
import { syncSkills, type SyncOptions, type SyncReport } from '../sync/sync.js';
import { watchSync, type SyncWatcher, type WatchOptions } from '../sync/watch.js';
import type { EngineCore } from './core.js';
import { deleteSkill, rollbackSkill, saveSkillMdText, skillInputOf, upsertSkill } from './skill-writes.js';

export { skillInputOf } from './skill-writes.js';

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
    const skill = this.#core.catalog.get(id);
    if (!skill) return undefined;
    if (actor && !canRead(actor, skill)) return undefined;
    return skill;
  }

  /** Skills in `scope` for this viewer (access.ts `visibleInScope`), by name. */
  list(viewer: Viewer, scope: Scope = 'all'): Skill[] {
    const visible = scopeFilter(scope, viewer);
    return this.#core.catalog
      .all()
      .filter((s) => visible(s.owner, isLibraryOwner(s.owner)))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Create or update (a new version); without `owner`, the actor's own skill. */
  upsert(actor: Actor | undefined, input: SkillInput, opts: { owner?: Owner } = {}): Promise<Skill> {
    return upsertSkill(this.#core, input, { ...opts, ...(actor ? { actor } : {}) });
  }

  /** Replace a skill from edited SKILL.md text; invalid text changes nothing (ValidationError). */
  saveSkillMd(actor: Actor, id: string, text: string): Promise<Skill> {
    return saveSkillMdText(this.#core, actor, id, text, (sid) => this.storedSkillMd(undefined, sid));
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
    const id = this.#core.catalog.get(parsed.id) ? newSkillId() : parsed.id;
    return upsertSkill(this.#core, { ...skillInputOf(parsed), id, source }, { actor });
  }

  delete(actor: Actor | undefined, id: string): Promise<boolean> {
    return deleteSkill(this.#core, actor, id);
  }

  /** Restore a version (default: the one before the current) as a new version. */
  rollback(actor: Actor | undefined, id: string, version?: string): Promise<Skill> {
    return rollbackSkill(this.#core, actor, id, version);
  }

  async versions(actor: Actor | undefined, id: string): Promise<VersionInfo[]> {
    const skill = actor ? assertReadable(actor, this.#core.catalog.get(id), id) : this.#core.catalog.get(id);
    // Versions only: no texts or resource files are read to list them.
    const history = await this.#core.store.versions(id);
    if (!skill && history.length === 0) throw new NotFoundError(`skill not found: ${id}`);
    return history.map((h) => ({
      version: h.version,
      at: h.at,
      ...(h.source ? { source: h.source } : {}),
      current: skill?.version === h.version,
    }));
  }

  /** The recorded versions with their SKILL.md and files, oldest first. */
  async history(actor: Actor | undefined, id: string): Promise<VersionEntry[]> {
    if (actor) assertReadable(actor, this.#core.catalog.get(id), id);
    return this.#core.store.history(id);
  }

  async readVersion(actor: Actor | undefined, id: string, version: string): Promise<VersionEntry> {
    if (actor) assertReadable(actor, this.#core.catalog.get(id), id);
    const entry = (await this.#core.store.history(id)).findLast((h) => h.version === version);
    if (!entry) throw new NotFoundError(`version ${version} of skill ${id} not found`);
    return entry;
  }

  async diff(actor: Actor | undefined, id: string, from: string, to: string): Promise<string> {
    const [a, b] = await Promise.all([this.readVersion(actor, id, from), this.readVersion(actor, id, to)]);
    return unifiedDiff(a.skillMd, b.skillMd, [`${id}@${from}`, `${id}@${to}`]);
  }

  async readResource(actor: Actor | undefined, id: string, file: string): Promise<Uint8Array> {
    if (actor) assertReadable(actor, this.#core.catalog.get(id), id);
    return this.#core.store.readResource(id, file);
  }

  /** The SKILL.md rendered from the skill record. */
  skillMd(actor: Actor | undefined, id: string): string {
    const skill = actor ? assertReadable(actor, this.#core.catalog.get(id), id) : this.#core.catalog.get(id);
    if (!skill) throw new NotFoundError(`skill not found: ${id}`);
    return renderSkillMd(skill);
  }

  /** The SKILL.md as stored (imported files stay byte for byte), else as rendered. */
  async storedSkillMd(actor: Actor | undefined, id: string): Promise<string> {
    const rendered = this.skillMd(actor, id);
    try {
      const text = new TextDecoder('utf-8', { fatal: true }).decode(await this.#core.store.readResource(id, 'SKILL.md'));
      return text.trim() ? text : rendered;
    } catch {
      return rendered;
    }
  }

  /** `opts.spec`: a folder every Agent Skills host accepts (see store/export.ts). */
  async export(actor: Actor | undefined, id: string, format: 'dir' | 'md' | 'zip', to?: string, opts: ExportOptions = {}) {
    if (actor) assertReadable(actor, this.#core.catalog.get(id), id);
    return exportSkill(this.#core.store, id, format, to, opts);
  }

  /** Import a zip held in memory; only admins import into Common (access.ts `canImportInto`). */
  async importZip(actor: Actor | undefined, bytes: Uint8Array, target: ImportTarget, opts: ZipImportOptions = {}): Promise<ImportReportEntry[]> {
    if (actor) assertCanImport(actor, importOwner(target));
    const report = await importSkillZip(this.#core.store, bytes, { owner: importOwner(target) }, opts);
    await this.#core.afterBulkWrite();
    return report;
  }

  /** Import one SKILL.md given as text (uploads). */
  async importSkillMd(
    actor: Actor | undefined,
    text: string,
    target: ImportTarget,
    opts: ImportOptions & { name?: string } = {},
  ): Promise<ImportReportEntry> {
    if (actor) assertCanImport(actor, importOwner(target));
    const entry = await importSkillMdText(this.#core.store, text, { owner: importOwner(target) }, opts);
    await this.#core.settled();
    return entry;
  }

  /**
   * Import a folder of skills into one target, or, with `{ layout: 'store' }`, a whole store tree
   * whose skills keep their owners (Users/<u> private, Common/<library>, ConvSkill-style groups as
   * libraries; see store/import-layout.ts).
   */
  async importTree(
    actor: Actor | undefined,
    dir: string,
    target: ImportTarget | { layout: 'store' },
    opts: Pick<ImportOptions, 'onProgress' | 'hiddenFolders'> = {},
  ): Promise<ImportReportEntry[]> {
    if (actor) {
      if ('layout' in target) assertCanImportStoreTree(actor);
      else assertCanImport(actor, importOwner(target));
    }
    const report = await importSkillTree(this.#core.store, dir, 'layout' in target ? target : { owner: importOwner(target) }, opts);
    await this.#core.afterBulkWrite();
    return report;
  }

  /** Deleted skills the actor may restore with `rollback` (their own; admins: all), newest first. */
  async listDeleted(actor: Actor): Promise<DeletedSkill[]> {
    const all = (await this.#core.store.deletedSkills?.()) ?? [];
    return all.filter((d) => canWrite(actor, { owner: d.owner }));
  }

  /**
   * Approve a skill held for review: a new version without the marker, so it goes live (retrieved,
   * and injected on every turn if standing). Reject one with `delete`.
   */
  async approve(actor: Actor | undefined, id: string): Promise<Skill> {
    const current = actor ? assertWritable(actor, this.#core.catalog.get(id), id) : this.#core.catalog.get(id);
    if (!current) throw new NotFoundError(`skill not found: ${id}`);
    if (!isPending(current)) return current;
    return upsertSkill(
      this.#core,
      { ...skillInputOf(current), id, metadata: withReview(current.metadata, false), source: { kind: 'manual', trigger: 'approve' } },
      { owner: current.owner, ...(actor ? { actor } : {}) },
    );
  }

  /** The user's skills held for review, newest first. */
  pending(actor: Pick<Actor, 'userId'>): Skill[] {
    const owner = userOwner(actor.userId);
    return this.#core.catalog
      .all()
      .filter((s) => s.owner === owner && isPending(s))
      .sort((a, b) => (b.updatedAt ?? '').localeCompare(a.updatedAt ?? ''));
  }

  /**
   * Switch a skill between standing (`always`: injected on every turn) and task-bound (`task`:
   * retrieved when a request matches). Written as a new version, so it is undone by rollback and
   * travels with the SKILL.md (`metadata.applies`).
   */
  async setApplies(actor: Actor | undefined, id: string, applies: SkillApplies): Promise<Skill> {
    const current = actor ? assertWritable(actor, this.#core.catalog.get(id), id) : this.#core.catalog.get(id);
    if (!current) throw new NotFoundError(`skill not found: ${id}`);
    if (appliesOf(current) === applies) return current;
    return upsertSkill(
      this.#core,
      { ...skillInputOf(current), id, metadata: withApplies(current.metadata, applies), source: { kind: 'manual', trigger: `applies:${applies}` } },
      { owner: current.owner, ...(actor ? { actor } : {}) },
    );
  }

  /**
   * Listen to skill changes the actor can see (their own and Common; all for admins and the
   * local process). Returns the unsubscribe function.
   */
  onChange(actor: Actor | undefined, listener: (change: StoreChange) => void): () => void {
    // the catalog's feed: a listener that reads the changed skill finds it applied
    return this.#core.catalog.onChange((change) => {
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
   * Take in what other processes wrote to a shared store (serve --workers), emitting the changes
   * so the index and caches follow; see AutoSkill.catchUp.
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
  return target.scope === 'user' ? userOwner(target.userId) : `library:${target.library ?? 'Common'}`;
}
