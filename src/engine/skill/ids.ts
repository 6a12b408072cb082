import { randomUUID } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';

/**
 * Skill ids. New skills get a random UUIDv4. A skill found on disk without an id gets a UUIDv5 of
 * its owner and its path, so that loading the same tree twice (or on two machines) gives the
 * same id, and `normalize-ids` can write it back.
 */

/** Our UUIDv5 namespace (a fixed random UUID; changing it would change every derived id). */
export const SKILL_ID_NAMESPACE = '3f0c5d2e-8a41-4b7c-9e16-5a2d7c0b9f43';

/** `owner` is `user:<id>` / `library:<name>`; `relKey` is the skill folder relative to the owner root. */
export function deterministicId(owner: string, relKey: string): string {
  // One spelling per path: `/` separators, NFC (macOS hands out NFD names), no outer slashes.
  const key = relKey.replace(/\\/g, '/').normalize('NFC').replace(/^\/+|\/+$/g, '');
  return uuidv5(`autoskill-skill:${owner.normalize('NFC')}:${key}`, SKILL_ID_NAMESPACE);
}

export function newSkillId(): string {
  return randomUUID();
}
