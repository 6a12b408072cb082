import { ConflictError } from '../errors.js';
import type { Owner, Skill, SkillSource } from '../skill/schema.js';

/**
 * The storage port. The filesystem store is the embedded default; a PostgreSQL store implements
 * the same interface for multi-replica deployments. Ownership checks live in the engine facade,
 * not here: the store only guarantees that nothing escapes its root and that writes are atomic
 * and serialized.
 */

/** One previous (or the current) version of a skill, with provenance. */
export interface VersionEntry {
  version: string;
  /** owner at the time of writing (lets a deleted skill be restored to the right place) */
  owner?: Owner;
  /** ISO time the version was written */
  at: string;
  source?: SkillSource;
  /** the full SKILL.md text of that version */
  skillMd: string;
  /** resource files of that version: path → base64 (binary safe) */
  files?: Record<string, string>;
}

/** One entry of `versions(id)`. */
export interface StoredVersion {
  version: string;
  at: string;
  owner?: Owner;
  source?: SkillSource;
}

export interface PutOptions {
  /** resource files to write: path → content (text or bytes) */
  files?: Record<string, string | Uint8Array>;
  /** resource paths to remove */
  removeFiles?: string[];
  /** optimistic check: fail with ConflictError if the stored version differs */
  expectedVersion?: string;
  /** keep the raw SKILL.md text as given instead of re-rendering (imports keep files pristine) */
  rawSkillMd?: string;
  /**
   * The folder name to use when the skill gets a new folder, if it is a safe name and free under
   * the owner (a restored deleted skill goes back to the folder, and so the spec `name`, it had).
   */
  preferredSlug?: string;
}

export interface PutItem {
  skill: Skill;
  opts?: PutOptions;
}

export interface StoreChange {
  type: 'put' | 'delete';
  id: string;
  owner: Owner;
  version?: string;
  /**
   * For a put: the skill as stored, when the store has it at hand (every store here does). The
   * engine's catalog (catalog.ts) applies it at once; without it, the catalog reads the skill back.
   */
  skill?: Skill;
}

export interface ImportReportEntry {
  path: string;
  id?: string;
  status: 'imported' | 'skipped' | 'error';
  reason?: string;
  /**
   * Why an entry failed, for code to branch on (`reason` is for people): `id_taken` when the id
   * is another owner's skill, whose owner `reason` names (surfaces redact it for non-admins).
   */
  code?: 'id_taken';
}

/** A deleted skill as its tombstone records it (history is kept so its owner can restore it). */
export interface DeletedSkill {
  id: string;
  /** the owner when it was deleted: only this owner may restore it or reuse the id */
  owner: Owner;
  /** version at the delete */
  version: string;
  deletedAt: string;
  name?: string;
  description?: string;
  /** the folder name (spec `name`) it had; restore reuses it when it is free */
  slug?: string;
}

/**
 * The store port, in pieces a caller can depend on separately. Every backend (filesystem,
 * PostgreSQL, memory) implements all of them as one `SkillStore`; the write rules they share live
 * in write-plan.ts, and test/contract/ runs the same cases against each.
 */

/** Skills, their files and their recorded versions. */
export interface SkillRepository {
  /** The current skill with this id, undefined when there is none. */
  get(id: string): Promise<Skill | undefined>;
  /** Every current skill (what the engine's catalog is built from at open). */
  list(): Promise<Skill[]>;
  /** Create or replace a skill. Writes history of the previous version first. */
  put(skill: Skill, opts?: PutOptions): Promise<Skill>;
  /**
   * Bulk form of `put` (imports, migrations): on the filesystem one lock and one change publication
   * for the batch. Per-item results in input order, each the stored skill or the error for that item.
   */
  putMany(items: PutItem[]): Promise<Array<Skill | Error>>;
  /** Remove a skill (its history is kept so that it can be restored). */
  delete(id: string): Promise<boolean>;
  /**
   * Every recorded version, oldest first, including the current one. Only versions written under
   * the skill's current owner (or, for a deleted skill, its last owner) are returned, so an id
   * that somehow changed hands never shows one owner's text to another.
   */
  history(id: string): Promise<VersionEntry[]>;
  /**
   * The versions `history(id)` lists, in the same order, without their texts and files: what
   * picking the next version number needs, at the cost of an index read instead of every entry.
   */
  versions(id: string): Promise<StoredVersion[]>;
  readResource(id: string, path: string): Promise<Uint8Array>;
  /** The tombstone of one deleted skill (undefined when `id` is live or unknown). */
  deletedSkill(id: string): Promise<DeletedSkill | undefined>;
  /**
   * Deleted skills (tombstones), every owner's; callers filter by owner. An id in this list is
   * never given to another owner: `put` of a new skill with it fails with a conflict.
   */
  deletedSkills(): Promise<DeletedSkill[]>;
  /** Migration support: every id with recorded history, deleted skills included. */
  historyIds(): Promise<string[]>;
  /** Migration support: replace the recorded history of `id` with `entries` (oldest first), verbatim. */
  importHistory(id: string, entries: VersionEntry[]): Promise<void>;
}

/**
 * Mutual exclusion per owner, across async tasks, processes and replicas, for read-decide-write
 * sections over several of an owner's skills (a learning merge compares with all of them).
 * Taking the lock first catches up with what other processes wrote for that owner.
 */
export interface OwnerLocks {
  withOwnerLock<T>(owner: Owner, fn: () => Promise<T>): Promise<T>;
}

/** Changes made through the store and, where the backend supports it, by other processes. */
export interface ChangeFeed {
  onChange(listener: (change: StoreChange) => void): () => void;
  /**
   * Apply what other processes wrote since this process last looked (cheap: a change log or a
   * notification queue, not a re-scan); the changes are emitted to `onChange` listeners.
   */
  catchUp(): Promise<void>;
}

/**
 * The whole store as one backend implements it. The engine's synchronous view of the current
 * skills is not part of it: that is the catalog (catalog.ts), built from `list` and kept current
 * by the change feed.
 */
export interface SkillStore extends SkillRepository, OwnerLocks, ChangeFeed {
  /** Load (or connect). Idempotent. */
  open(): Promise<void>;
  close(): Promise<void>;
  /** Re-read from the backing storage in full (picks up edits made outside any store). */
  refresh(): Promise<void>;
  /**
   * Resolves once what the open served from an accelerator has been checked against the backing
   * storage (a folder store opened with `verifyOnOpen: 'background'`); the changes found are
   * announced first. Optional: a store that checks before `open` resolves has nothing to wait for.
   */
  verified?(): Promise<void>;
  /**
   * Persist accelerators (e.g. a parse cache) when at least `minUnsaved` writes are not reflected
   * in them yet (default 1). Optional, and never required for correctness.
   */
  flush?(minUnsaved?: number): Promise<void>;
  /**
   * A critical section under an arbitrary key (tools and tests). Engine code locks owners with
   * `withOwnerLock`; an owner-shaped key here takes the same lock.
   */
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

/**
 * `put(..., { expectedVersion })` found another version stored (or none): someone wrote in
 * between. Callers that decide outside the lock (e.g. a model call) re-read and decide again.
 */
const versionConflictSymbol = Symbol.for('autoskill.error.VersionConflictError');

export class VersionConflictError extends ConflictError {
  private readonly [versionConflictSymbol] = true;
  constructor(
    readonly id: string,
    readonly expected: string,
    /** the version stored now; undefined when the skill does not exist */
    readonly found: string | undefined,
  ) {
    super(`version conflict for ${id}: expected ${expected}, found ${found ?? 'none'}`);
    this.name = 'VersionConflictError';
  }
  /** Its own marker: the inherited check would answer true for every ConflictError. */
  static override isInstance(value: unknown): value is VersionConflictError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[versionConflictSymbol] === true;
  }
}
