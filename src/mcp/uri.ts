import { isLibraryOwner, type Skill } from '../engine/skill/schema.js';

/**
 * The MCP resource URI scheme for skills.
 *
 *   skill://user/<id>/SKILL.md             a skill of the connected user
 *   skill://common/<id>/SKILL.md           a Common (shared library) skill, read-only
 *   skill://<scope>/<id>/<path>            one of the skill's resource files, e.g. references/x.md
 *
 * Ids are globally unique, so the URI never names the user: the same URI means "my skill" for
 * whoever is connected, and a user id never leaks into another client's resource list. The scope
 * must match the skill's owner (a Common skill is not reachable under skill://user/…), so every
 * skill has exactly one URI. Segments are percent-encoded.
 */

export type UriScope = 'user' | 'common';

/** Templates registered with the MCP server (RFC 6570; `{+path}` may contain slashes). */
export const SKILL_MD_TEMPLATE = 'skill://{scope}/{id}/SKILL.md';
export const SKILL_FILE_TEMPLATE = 'skill://{scope}/{id}/{+path}';

export function uriScopeOf(owner: string): UriScope {
  return isLibraryOwner(owner) ? 'common' : 'user';
}

/** encodeURIComponent leaves "," alone, but the SDK's template matcher treats it as a list separator. */
function encodeSegment(s: string): string {
  return encodeURIComponent(s).replace(/,/g, '%2C');
}

export function skillUri(skill: Pick<Skill, 'id' | 'owner'>): string {
  return `skill://${uriScopeOf(skill.owner)}/${encodeSegment(skill.id)}/SKILL.md`;
}

export function skillFileUri(skill: Pick<Skill, 'id' | 'owner'>, file: string): string {
  const rel = file.split('/').map(encodeSegment).join('/');
  return `skill://${uriScopeOf(skill.owner)}/${encodeSegment(skill.id)}/${rel}`;
}

function decode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

export interface SkillUriParts {
  scope: UriScope;
  id: string;
  /** `SKILL.md` or a resource path relative to the skill folder */
  path: string;
}

/** Parse template variables (or a whole URI) back into scope, id and path; undefined when malformed. */
export function parseSkillUriVars(vars: Record<string, string | string[]>): SkillUriParts | undefined {
  const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v.join(',') : v);
  const scope = one(vars.scope);
  const rawId = one(vars.id);
  const rawPath = one(vars.path) ?? 'SKILL.md';
  if (scope !== 'user' && scope !== 'common') return undefined;
  const id = rawId === undefined ? undefined : decode(rawId);
  const parts = rawPath.split('/').map(decode);
  if (!id || parts.some((p) => p === undefined || p === '' || p === '.' || p === '..')) return undefined;
  return { scope, id, path: parts.join('/') };
}

export function parseSkillUri(uri: string): SkillUriParts | undefined {
  const m = /^skill:\/\/([^/]+)\/([^/]+)\/(.+)$/.exec(uri);
  if (!m) return undefined;
  return parseSkillUriVars({ scope: m[1]!, id: m[2]!, path: m[3]! });
}
