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

/** Longest id any door accepts (ids travel in URLs, MCP resource URIs and history keys). */
export const MAX_SKILL_ID = 200;

/**
 * Why `id` cannot be a skill id, or undefined when it can. The one rule for every door (import,
 * save, MCP, migrate, the HTTP routes): an id must be addressable as one URL path segment, so no
 * slashes or backslashes, no `..`, not `.`, no control characters, no outer spaces. An id that
 * fails this could be stored but never edited or deleted through the API.
 */
export function skillIdProblem(id: unknown): string | undefined {
  if (typeof id !== 'string' || id.length === 0) return 'a skill id must be a non-empty string';
  if (id.length > MAX_SKILL_ID) return `a skill id must be at most ${MAX_SKILL_ID} characters`;
  // eslint-disable-next-line no-control-regex
  if (/[/\\\u0000-\u001f\u007f]/.test(id)) return 'a skill id must not contain slashes, backslashes or control characters';
  if (id.includes('..') || id === '.') return 'a skill id must not be "." or contain ".."';
  if (id !== id.trim()) return 'a skill id must not start or end with spaces';
  return undefined;
}
