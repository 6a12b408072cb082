import { isLibraryOwner, type Skill } from './skill/schema.js';
import { NotFoundError, AccessDeniedError } from './errors.js';

/**
 * Who is asking. Every read and write in the facade goes through these checks, so the adapters
 * (HTTP, MCP, CLI) cannot forget one.
 */
export interface Actor {
  userId: string;
  /** admins may write Common (library) skills */
  admin?: boolean;
}

/** A user sees their own skills plus every Common skill; never another user's. */
export function canRead(actor: Actor, skill: Skill): boolean {
  return actor.admin === true || isLibraryOwner(skill.owner) || skill.owner === `user:${actor.userId}`;
}

/** Users write only their own skills; Common skills are read-only except for admins. */
export function canWrite(actor: Actor, skill: Pick<Skill, 'owner'>): boolean {
  if (isLibraryOwner(skill.owner)) return actor.admin === true;
  return skill.owner === `user:${actor.userId}` || actor.admin === true;
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
