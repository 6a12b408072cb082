import { isLibraryOwner, userOwner, type Owner, type Scope, type Skill } from './skill/schema.js';
import { NotFoundError, AccessDeniedError } from './errors.js';

/**
 * The access policy: every rule about who may see or change what lives here, and only here. The
 * facade's services (services/*.ts) apply it on every call that carries an actor, and the search
 * index uses the scope rule, so adapters (HTTP, MCP, CLI) neither repeat nor forget a check.
 */

/** Who is asking. */
export interface Actor {
  userId: string;
  /** admins may write Common (library) skills, import into them, and see every user's jobs */
  admin?: boolean;
}

/** Whose view a listing or search takes; with no user, an admin's listing covers every skill. */
export interface Viewer {
  userId?: string;
  admin?: boolean;
}

/** A user sees their own skills plus every Common skill; never another user's. */
export function canRead(actor: Actor, skill: Pick<Skill, 'owner'>): boolean {
  return actor.admin === true || isLibraryOwner(skill.owner) || skill.owner === userOwner(actor.userId);
}

/** Users write only their own skills; Common skills are read-only except for admins. */
export function canWrite(actor: Actor, skill: Pick<Skill, 'owner'>): boolean {
  if (isLibraryOwner(skill.owner)) return actor.admin === true;
  return skill.owner === userOwner(actor.userId) || actor.admin === true;
}

export function assertReadable(actor: Actor, skill: Skill | undefined, id: string): Skill {
  // Unreadable and missing look the same, so ids of other users' skills do not leak.
  if (!skill || !canRead(actor, skill)) throw new NotFoundError(`skill not found: ${id}`);
  return skill;
}

export function assertWritable(actor: Actor, skill: Skill | undefined, id: string): Skill {
  const readable = assertReadable(actor, skill, id);
  if (!canWrite(actor, readable)) {
    throw new AccessDeniedError(`skill ${id} is a Common skill and is read-only`);
  }
  return readable;
}

/** Learning jobs are visible to their user and to admins only. */
export function canSeeJob(actor: Actor, job: { userId: string }): boolean {
  return actor.admin === true || job.userId === actor.userId;
}

/** Only admins import into Common (a library); users import into their own skills. */
export function canImportInto(actor: Actor, owner: string): boolean {
  return isLibraryOwner(owner) ? actor.admin === true : owner === userOwner(actor.userId) || actor.admin === true;
}

export function assertCanImport(actor: Actor, owner: string): void {
  if (canImportInto(actor, owner)) return;
  throw new AccessDeniedError(
    isLibraryOwner(owner) ? 'only admins may import into Common skills' : 'users import only into their own skills',
  );
}

/**
 * A write names the owner it writes as; writing over a skill that belongs to another owner takes
 * an admin (callers without an actor, the local process, are refused too).
 */
export function assertSameOwner(actor: Actor | undefined, existing: Pick<Skill, 'id' | 'owner'>, owner: string): void {
  if (existing.owner !== owner && actor?.admin !== true) throw new AccessDeniedError(`skill ${existing.id} belongs to another owner`);
}

/** Only admins learn that another user's skill exists (e.g. which owner an import's id clashed with). */
export function canSeeOtherOwners(actor: Actor): boolean {
  return actor.admin === true;
}

/** Rebuilding the shared vector index touches every user's skills: an admin's job. */
export function canRebuildIndex(actor: Actor): boolean {
  return actor.admin === true;
}

/** A whole store tree carries every owner's skills, so only an admin may import one. */
export function assertCanImportStoreTree(actor: Actor): void {
  if (actor.admin !== true) throw new AccessDeniedError('only admins may import a whole store tree');
}

/**
 * Is a skill of `owner` part of `scope` for this viewer? `user`: the viewer's own skills only;
 * `common`: library skills only; `all`: both (an admin listing without a user: every skill).
 * Another user's skill is never in a user's scope.
 */
export function visibleInScope(owner: string, scope: Scope, viewer: Viewer): boolean {
  return scopeFilter(scope, viewer)(owner, isLibraryOwner(owner));
}

/**
 * `visibleInScope` for one scope and viewer, as a predicate over a skill's owner and library flag.
 * The search index checks every match of every request, so the viewer's owner key is built once
 * here, not once per skill.
 */
export function scopeFilter(scope: Scope, viewer: Viewer): (owner: string, library: boolean) => boolean {
  if (scope === 'common') return (_owner, library) => library;
  const own = viewer.userId === undefined ? undefined : userOwner(viewer.userId);
  if (scope === 'user') return (owner) => owner === own;
  if (viewer.admin === true && viewer.userId === undefined) return () => true;
  return (owner, library) => library || owner === own;
}

/** Does a store change touch what this actor can see? (no actor: a trusted local caller sees all) */
export function concernsActor(actor: Actor | undefined, owner: Owner): boolean {
  return actor === undefined || canRead(actor, { owner });
}
