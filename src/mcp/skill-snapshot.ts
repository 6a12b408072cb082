import { createHash } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { asciiSlugFor, digestOf, isAsciiName, parseSkillMd, specSkillMd, type AutoSkill, type Owner, type Skill, type VersionEntry } from '../engine/index.js';
import { uriScopeOf, versionedDirUri, versionedFileUri, type UriScope } from './uri.js';

/**
 * One version of a skill, frozen, as the MCP Skills extension (SEP-2640) serves it: the exact
 * bytes of every file, their sha256 digests and sizes, and the SKILL.md front matter as JSON.
 * skills/list, skills/get, resources/read and resources/directory/read of a versioned URI all
 * answer from the same snapshot, so a digest in a listing always describes the bytes a read of
 * that URI returns.
 *
 * Where the bytes come from: the store's history entry of that version (SKILL.md + files, written
 * in one record after the folder), not the live folder, which a merge rewrites file by file. While
 * a merge is between its folder write and its history record, the file-system store's history()
 * reports the half-written folder as the still-current version; that entry's SKILL.md already says
 * the next version, so entries whose text disagrees with their version are skipped.
 *
 * Which SKILL.md: the stored file byte for byte when the reference validator accepts it and its
 * `name` is an ASCII spec name (the URI's last segment must equal it, and hosts and the official
 * conformance suite accept only [a-z0-9-] there). Otherwise (upstream dialect, capitals, spaces,
 * CJK names) the skill rendered in the spec dialect under an ASCII name; the original title stays
 * in `metadata.title`. The legacy URIs (skill://user/<id>/SKILL.md) keep serving the stored file.
 */

export interface SnapshotFile {
  bytes: Uint8Array;
  digest: string;
}

export interface SkillSnapshot {
  id: string;
  version: string;
  scope: UriScope;
  /** frontmatter `name`, the last segment of the skill path */
  name: string;
  /** skill://<scope>/<id>/v<version>/<name> */
  dirUri: string;
  /** the SKILL.md URI: what skills/list and skills/get call the skill's `uri` */
  uri: string;
  frontmatter: Record<string, unknown>;
  /** 'SKILL.md' and every resource path, sorted */
  files: ReadonlyMap<string, SnapshotFile>;
  /** true when SKILL.md is a spec rendering instead of the stored file */
  converted: boolean;
  bytes: number;
}

export interface SkillEntry {
  uri: string;
  frontmatter: Record<string, unknown>;
  resources: Array<{ uri: string; digest: string; size: number }>;
}

export function entryOf(s: SkillSnapshot): SkillEntry {
  return {
    uri: s.uri,
    frontmatter: s.frontmatter,
    resources: [...s.files].map(([path, f]) => ({ uri: versionedFileUri(s, path), digest: f.digest, size: f.bytes.byteLength })),
  };
}

/** The YAML front matter as a host reads it (BOM, `---` fences, the `yaml` package's parse). */
export function frontmatterOf(text: string): Record<string, unknown> | undefined {
  const m = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).match(/^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/);
  if (!m) return undefined;
  try {
    const value: unknown = parseYaml(m[1]!);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function build(current: Skill, version: string, text: string, files: Map<string, Uint8Array>): SkillSnapshot | undefined {
  let parsed: Skill;
  try {
    parsed = parseSkillMd(text, { owner: current.owner, slug: current.slug, fallbackId: current.id }).skill;
  } catch {
    return undefined;
  }
  const skill: Skill = { ...parsed, id: current.id, owner: current.owner, version, resources: [...files.keys()].sort() };
  const storedName = frontmatterOf(text)?.name;
  // The URI's last segment: an ASCII spec name, as the conformance suite checks (slugs always are).
  const name = typeof storedName === 'string' && isAsciiName(storedName) ? storedName : asciiSlugFor(skill);
  let md: { text: string; converted: boolean };
  try {
    md = specSkillMd(skill, text, name);
  } catch {
    return undefined; // the renderer could not make it valid: not served rather than served broken
  }
  const frontmatter = frontmatterOf(md.text);
  if (!frontmatter || frontmatter.name !== name) return undefined;
  const out = new Map<string, SnapshotFile>();
  const skillMd = new TextEncoder().encode(md.text);
  out.set('SKILL.md', { bytes: skillMd, digest: digestOf(skillMd) });
  for (const path of skill.resources) out.set(path, { bytes: files.get(path)!, digest: digestOf(files.get(path)!) });
  const scope = uriScopeOf(current.owner);
  const dir = { scope, id: current.id, version, name };
  let bytes = 0;
  for (const f of out.values()) bytes += f.bytes.byteLength;
  return { ...dir, dirUri: versionedDirUri(dir), uri: versionedFileUri(dir, 'SKILL.md'), frontmatter, files: out, converted: md.converted, bytes };
}

/** A history entry whose SKILL.md states the entry's own version (see the module comment). */
function consistent(entry: VersionEntry, current: Skill): boolean {
  try {
    const p = parseSkillMd(entry.skillMd, { owner: current.owner, slug: current.slug, fallbackId: current.id });
    return p.skill.version === entry.version;
  } catch {
    return false;
  }
}

const decodeFiles = (files: Record<string, string>) => new Map(Object.entries(files).map(([p, b64]) => [p, new Uint8Array(Buffer.from(b64, 'base64'))]));

/**
 * Snapshots per store, shared by every MCP connection of the process: the one for the current
 * version is keyed by the skill as loaded (a hand edit reloads it and so makes a new snapshot),
 * older versions by id and version. Bounded by count and bytes; an evicted snapshot is rebuilt
 * from history, byte for byte the same.
 */
export class SnapshotCache {
  private readonly map = new Map<string, SkillSnapshot>();
  private bytes = 0;

  constructor(
    private readonly sdk: AutoSkill,
    private readonly maxEntries = 2000,
    private readonly maxBytes = 64 * 1024 * 1024,
  ) {}

  /**
   * The snapshot of `version` (default: the current one) of a skill the caller may read; undefined
   * when that version is not in the history any more or cannot be served. Access is the caller's
   * check: pass only skills the actor can read.
   */
  async get(current: Skill, version = current.version): Promise<SkillSnapshot | undefined> {
    const key = version === current.version ? `${current.id}\u0000${version}\u0000${fingerprint(current)}` : `${current.id}\u0000${version}`;
    const hit = this.map.get(key);
    if (hit) {
      this.map.delete(key);
      this.map.set(key, hit);
      return hit;
    }
    const snap = await this.load(current, version);
    if (snap) this.put(key, snap);
    return snap;
  }

  private async load(current: Skill, version: string): Promise<SkillSnapshot | undefined> {
    // No actor: the caller checked access to `current` (see get), and snapshots are shared.
    const entries = await this.sdk.skills.history(undefined, current.id);
    const entry = entries.findLast((e) => e.version === version && consistent(e, current));
    if (entry?.files) return build(current, version, entry.skillMd, decodeFiles(entry.files));
    if (version !== current.version) return undefined;
    // A store without file history (older records, third-party stores): the live files, read
    // right after the in-memory record of this version; the best such a store allows.
    const text = entry?.skillMd ?? (await this.sdk.storedSkillMd(current.id));
    const files = new Map<string, Uint8Array>();
    for (const path of current.resources) files.set(path, await this.sdk.skills.readResource(undefined, current.id, path));
    return build(current, version, text, files);
  }

  private put(key: string, snap: SkillSnapshot): void {
    this.map.set(key, snap);
    this.bytes += snap.bytes;
    for (const [k, v] of this.map) {
      if (this.map.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      if (k === key) continue;
      this.map.delete(k);
      this.bytes -= v.bytes;
    }
  }
}

function fingerprint(skill: Skill): string {
  return createHash('sha1').update(JSON.stringify(skill)).digest('hex');
}

const caches = new WeakMap<AutoSkill, SnapshotCache>();

export function snapshotsOf(sdk: AutoSkill): SnapshotCache {
  let c = caches.get(sdk);
  if (!c) caches.set(sdk, (c = new SnapshotCache(sdk)));
  return c;
}
