import { isLibraryOwner, type Skill } from '../engine/index.js';

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

// ------------------------------------------------------------------ MCP Skills extension (SEP-2640)

/**
 * Skill URIs of the Skills extension name one immutable version of a skill:
 *
 *   skill://<scope>/<id>/v<version>/<name>/SKILL.md      the SKILL.md of that version
 *   skill://<scope>/<id>/v<version>/<name>/<path>        one of its files
 *   skill://<scope>/<id>/v<version>/<name>[/<dir>]       a directory (resources/directory/read)
 *
 * The spec wants the last segment of the skill path to equal the frontmatter `name`, and lets
 * the segments before it be any organizational prefix; scope, id and version go there. A merge
 * makes a new version and so new URIs, so a host that holds the manifest of v0.1.3 keeps reading
 * exactly the bytes it was given digests for (or gets an error), never the next version's.
 */
export interface VersionedSkillUri {
  scope: UriScope;
  id: string;
  version: string;
  name: string;
  /** path inside the skill folder; '' for the skill's own directory */
  path: string;
}

export function versionedDirUri(p: Pick<VersionedSkillUri, 'scope' | 'id' | 'version' | 'name'>): string {
  return `skill://${p.scope}/${encodeSegment(p.id)}/v${encodeSegment(p.version)}/${encodeSegment(p.name)}`;
}

export function versionedFileUri(p: Pick<VersionedSkillUri, 'scope' | 'id' | 'version' | 'name'>, file: string): string {
  return `${versionedDirUri(p)}/${file.split('/').map(encodeSegment).join('/')}`;
}

/** Undefined when the URI is not of the versioned form (or is malformed: `..`, empty segments). */
export function parseVersionedSkillUri(uri: string): VersionedSkillUri | undefined {
  const m = /^skill:\/\/(user|common)\/([^/]+)\/v([^/]+)\/([^/]+)(?:\/(.*))?$/.exec(uri);
  if (!m) return undefined;
  const [id, version, name] = [decode(m[2]!), decode(m[3]!), decode(m[4]!)];
  const parts = m[5] === undefined ? [] : m[5].split('/').map(decode);
  if (!id || !version || !name || parts.some((p) => p === undefined || p === '' || p === '.' || p === '..')) return undefined;
  return { scope: m[1] as UriScope, id, version, name, path: parts.join('/') };
}
