import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { lstat, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { deterministicId } from '../../skill/ids.js';
import type { Owner, Skill } from '../../skill/schema.js';
import { parseSkillMd } from '../../skill/skill-md.js';
import { isTransientName, readFileNoFollowSync } from '../atomic.js';
import { safeLibraryName, safeUserId } from '../paths.js';
import { cooperate, findSkillDirs, hasSkillMd, listResourceFiles, mapLimit, readDirents, SKILL_MD, type ScanSink } from '../scan.js';
import { retrievalHash } from '../../index/retrieval-text.js';
import { hasLazyInstructions, rememberedRetrievalHash, rememberRetrievalHash, skillFieldsWithout } from '../../skill/lazy-body.js';
import type { SkillBodies } from './bodies.js';
import { codecFingerprint, readLoadCache, writeLoadCache, type CachedSkill } from './load-cache.js';
import { statSignature } from './stat-signature.js';

/**
 * Reading the filesystem store's tree: which folders are skills and whose (the layout in
 * store.ts), each SKILL.md parsed (or taken from the parse cache when its bytes are unchanged),
 * problems reported to a sink by path and never thrown. The store keeps the result in memory.
 */

export interface TreeOptions {
  maxSkillBytes: number;
  maxResourceFiles: number;
  /** parallel file reads */
  concurrency: number;
  logger?: { warn(message: string, meta?: Record<string, unknown>): void } | undefined;
  /** where loaded skills read their instructions from when asked (their bodies stay on disk) */
  bodies: SkillBodies;
}

export type TreeSink = ScanSink & { errors: LoadError[]; transients: string[] };

export interface LoadError {
  path: string;
  reason: string;
}

export interface Rec {
  skill: Skill;
  /** folder relative to the root, "/"-separated */
  relDir: string;
  /** whether SKILL.md carries its own id (false: deterministic id, see normalizeIds) */
  hadId: boolean;
  /** sha1 of SKILL.md, to tell changed skills apart on a re-scan */
  hash: string;
  /** SKILL.md's stat signature when `hash` was taken, if it was old enough to vouch for it (stat-signature.ts) */
  stat?: string | undefined;
}

interface ScanCache {
  prev: Map<string, CachedSkill>;
  /**
   * The records a rescan starts from (scanTree's `current`): a file whose stat or bytes are its
   * record's keeps that record, and the parse cache is not read at all.
   */
  current?: ScanFrom | undefined;
  /** records of `current` kept as they were, by folder */
  kept: Map<string, Rec>;
  next: Map<string, CachedSkill>;
  /** entries parsed anew */
  misses: number;
  /** entries kept whose stat signature was added or changed */
  restated: number;
}

export interface Scan {
  recs: Rec[];
  errors: LoadError[];
  transients: string[];
}

/** What a rescan already holds: the record of a folder, and how many there are. */
export interface ScanFrom {
  at(relDir: string): Rec | undefined;
  size: number;
}

const PENDING_ID = 'autoskill-pending-id';
const MAX_DEPTH = 6;
const utf8 = new TextDecoder('utf-8', { fatal: true });
export const sha1 = (data: string | Uint8Array): string => createHash('sha1').update(data).digest('hex');

/** Folder (root-relative segments) → owner and the key used for deterministic ids. */
export function classifyDir(parts: string[]): { owner: Owner; relKey: string } | undefined {
  if (parts[0] === 'Users' && parts.length >= 3) return { owner: `user:${parts[1]}`, relKey: parts.slice(2).join('/') };
  if (parts[0] === 'Common' && parts.length === 2) return { owner: 'library:Common', relKey: parts[1]! };
  if (parts[0] === 'Common' && parts.length >= 3) return { owner: `library:${parts[1]}`, relKey: parts.slice(1).join('/') };
  return undefined;
}

/**
 * `gen`: the change-log generation read before the scan (what the parse cache it writes is at
 * least as new as). `current`: the records a rescan starts from (see ScanCache.current).
 */
export async function scanTree(rootDir: string, cacheFile: string, opts: TreeOptions, sink: TreeSink, gen: number, current?: ScanFrom): Promise<Scan> {
  const leaves: Array<{ dir: string; relDir: string; owner: Owner; relKey: string; entries: Dirent[] }> = [];
  const common = path.join(rootDir, 'Common');
  const commonEntries = await topEntries(common, sink);
  for (const e of commonEntries) {
    const dir = path.join(common, e.name);
    const entries = await readDirents(dir, sink);
    if (!entries) continue;
    if (hasSkillMd(dir, entries, sink)) {
      leaves.push({ dir, relDir: `Common/${e.name}`, owner: 'library:Common', relKey: e.name, entries });
      continue;
    }
    if (!validName(() => safeLibraryName(e.name), dir, sink)) continue;
    for (const f of await findSkillDirs(dir, MAX_DEPTH, sink)) {
      const rel = [e.name, ...f.rel].join('/');
      leaves.push({ dir: f.dir, relDir: `Common/${rel}`, owner: `library:${e.name}`, relKey: rel, entries: f.entries });
    }
  }
  const users = path.join(rootDir, 'Users');
  for (const e of await topEntries(users, sink)) {
    const dir = path.join(users, e.name);
    if (!validName(() => safeUserId(e.name), dir, sink)) continue;
    for (const f of await findSkillDirs(dir, MAX_DEPTH, sink)) {
      if (f.rel.length === 0) {
        sink.issue({ path: path.join(dir, SKILL_MD), reason: 'SKILL.md directly in a user folder is ignored (skills live in Users/<user>/<slug>/)' });
        continue;
      }
      const rel = f.rel.join('/');
      leaves.push({ dir: f.dir, relDir: `Users/${e.name}/${rel}`, owner: `user:${e.name}`, relKey: rel, entries: f.entries });
    }
  }
  const fingerprint = await codecFingerprint();
  const prev = current ? { entries: new Map<string, CachedSkill>(), gen } : await readLoadCache(cacheFile, fingerprint);
  const cache: ScanCache = { prev: prev.entries, current, kept: new Map(), next: new Map(), misses: 0, restated: 0 };
  const loaded = await mapLimit(leaves, opts.concurrency, (l) => loadLeaf(rootDir, l.relDir, l.owner, l.relKey, sink, opts, l.entries, cache));
  const found = cache.next.size + cache.kept.size;
  // (a cache without its generation is written again once, so that a background open can take it)
  if (fingerprint && (cache.misses > 0 || cache.restated > 0 || found !== (current?.size ?? cache.prev.size) || prev.gen === undefined)) {
    const entries = new Map<string, CachedSkill>();
    for (const l of leaves) {
      const kept = cache.kept.get(l.relDir);
      const entry = kept ? cacheEntry(kept) : cache.next.get(l.relDir);
      if (entry) entries.set(l.relDir, entry);
    }
    try {
      await mkdir(path.dirname(cacheFile), { recursive: true });
      await writeLoadCache(cacheFile, fingerprint, entries, gen);
    } catch (err) {
      opts.logger?.warn('cannot write the load cache', { error: (err as Error).message });
    }
  }
  const recs: Rec[] = [];
  const seen = new Map<string, string>();
  for (const rec of loaded) {
    if (!rec) continue;
    const first = seen.get(rec.skill.id);
    if (first !== undefined) {
      sink.issue({ path: path.join(rootDir, rec.relDir, SKILL_MD), reason: `duplicate id ${rec.skill.id} (kept ${first})` });
      continue;
    }
    seen.set(rec.skill.id, rec.relDir);
    recs.push(rec);
  }
  return { recs, errors: sink.errors, transients: sink.transients };
}

/**
 * The tree as the parse cache last recorded it, without looking at a skill folder: what a store
 * opened with `verifyOnOpen: 'background'` holds until its scan confirms or corrects it, with the
 * change-log generation to replay other processes' writes from. Undefined when the cache cannot
 * stand for the tree: none, another codec's, one without its generation, or an entry without its
 * resource list or with a folder no scan could have found (the cache is read, not trusted, for paths).
 */
export async function cachedTree(rootDir: string, cacheFile: string, opts: Pick<TreeOptions, 'bodies'>): Promise<{ scan: Scan; gen: number } | undefined> {
  const { entries, gen } = await readLoadCache(cacheFile, await codecFingerprint());
  if (entries.size === 0 || gen === undefined) return undefined;
  const recs: Rec[] = [];
  const seen = new Set<string>();
  for (const [relDir, e] of entries) {
    const parts = relDir.split('/');
    if (!e.retrieval || !classifyDir(parts) || parts.some((p) => p === '' || p === '.' || p === '..')) return undefined;
    if (seen.has(e.skill.id)) continue; // as a scan keeps the first of two folders with one id
    seen.add(e.skill.id);
    const resources = e.retrieval.resources === '' ? [] : e.retrieval.resources.split('\n');
    const skill = opts.bodies.lazy({ ...e.skill, resources }, rootDir, relDir, e.hash);
    rememberRetrievalHash(skill, e.retrieval.hash);
    recs.push({ skill, relDir, hadId: e.hadId, hash: e.hash, stat: e.stat });
  }
  return { scan: { recs, errors: [], transients: [] }, gen };
}

/** Non-hidden, non-symlink sub-directories of Users/ or Common/ (missing → none). */
async function topEntries(dir: string, sink: ScanSink): Promise<Dirent[]> {
  const st = await lstat(dir).catch(() => undefined);
  if (!st) return [];
  if (st.isSymbolicLink()) {
    sink.issue({ path: dir, reason: 'symbolic link; not followed' });
    return [];
  }
  const out = [];
  for (const e of (await readDirents(dir, sink)) ?? []) {
    if (e.name.startsWith('.')) {
      if (isTransientName(e.name)) sink.transient?.(path.join(dir, e.name));
      continue;
    }
    if (e.isSymbolicLink()) sink.issue({ path: path.join(dir, e.name), reason: 'symbolic link; not followed' });
    else if (e.isDirectory()) out.push(e);
  }
  return out;
}

function validName(check: () => string, dir: string, sink: ScanSink): boolean {
  try {
    check();
    return true;
  } catch (err) {
    sink.issue({ path: dir, reason: (err as Error).message });
    return false;
  }
}

/** Load one skill folder (`relDir` under `root`); problems are reported to the sink and yield undefined. */
export async function loadLeaf(
  root: string,
  relDir: string,
  owner: Owner,
  relKey: string,
  sink: ScanSink,
  opts: Pick<TreeOptions, 'maxSkillBytes' | 'maxResourceFiles' | 'bodies'>,
  entries?: Dirent[],
  cache?: ScanCache,
): Promise<Rec | undefined> {
  const dir = path.join(root, ...relDir.split('/'));
  const file = path.join(dir, SKILL_MD);
  try {
    await cooperate(16);
    // Taken before the bytes are read, so a write that lands in between leaves a signature older
    // than the bytes, which the next open sees as changed.
    const sig = statSignature(file, opts.maxSkillBytes);
    const resources = await listResourceFiles(dir, entries, sink, opts.maxResourceFiles);
    const resourcesKey = resources.join('\n');
    const cur = cache?.current?.at(relDir);
    const hit = cur ? undefined : cache?.prev.get(relDir);
    const known = cur ?? hit;
    const stat = sig.settled ? sig.key : undefined;
    // A file whose stat is the one recorded with its hash is that file: its bytes are not read.
    const bytes = known?.stat !== undefined && known.stat === sig.key ? undefined : readFileNoFollowSync(file, opts.maxSkillBytes);
    const hash = bytes ? sha1(bytes) : known!.hash;
    if (cur && cur.hash === hash && cur.skill.owner === owner && cur.skill.resources.join('\n') === resourcesKey) {
      if (cur.stat !== stat) {
        cur.stat = stat;
        cache!.restated++;
      }
      cache!.kept.set(relDir, cur);
      return cur;
    }
    if (hit && hit.hash === hash) {
      if (hit.stat !== stat) cache!.restated++;
      cache!.next.set(relDir, hit.stat === stat ? hit : { ...hit, stat });
      const skill = opts.bodies.lazy({ ...hit.skill, resources }, root, relDir, hash);
      // the index's hash of the retrieval text, without reading the body to compute it
      if (hit.retrieval?.resources === resourcesKey) rememberRetrievalHash(skill, hit.retrieval.hash);
      return { skill, relDir, hadId: hit.hadId, hash, stat };
    }
    let text: string;
    try {
      // (unread when the stat matched a record whose folder changed around it: its resources)
      text = utf8.decode(bytes ?? readFileNoFollowSync(file, opts.maxSkillBytes));
    } catch {
      throw new Error('SKILL.md is not valid UTF-8');
    }
    // The codec validates the skill (owner and slug come from ctx). The UUIDv5 is computed only
    // for the rare file without an id: hashing every path cost ~100 ms on the bank.
    const parsed = parseSkillMd(text, { owner, slug: path.basename(dir), fallbackId: PENDING_ID });
    if (!parsed.hadId) parsed.skill.id = deterministicId(owner, relKey);
    const full: Skill = { ...parsed.skill, resources };
    const retrieval = { hash: retrievalHash(full), resources: resourcesKey };
    // the index hashes the same text at its upsert: once is enough
    rememberRetrievalHash(full, retrieval.hash);
    if (cache) {
      cache.misses++;
      cache.next.set(relDir, { hash, hadId: parsed.hadId, skill: skillFieldsWithout(full, ['resources', 'instructions']), retrieval, ...(stat ? { stat } : {}) });
    }
    // Just parsed, the body stays in the record: the index is about to tokenize it, and reading it
    // back from disk for that would parse every file of a first build twice. The next open is lazy.
    return { skill: full, relDir, hadId: parsed.hadId, hash, stat };
  } catch (err) {
    const reason = (err as { reason?: unknown }).reason;
    sink.issue({ path: file, reason: typeof reason === 'string' && reason ? reason : (err as Error).message });
    return undefined;
  }
}

/** The parse cache's entry for a record (what the next open takes instead of parsing the file). */
export function cacheEntry(rec: Rec): CachedSkill {
  const skill = skillFieldsWithout(rec.skill, ['resources', 'instructions']);
  const hash = hasLazyInstructions(rec.skill) ? rememberedRetrievalHash(rec.skill) : retrievalHash(rec.skill);
  return {
    hash: rec.hash,
    hadId: rec.hadId,
    skill,
    ...(hash ? { retrieval: { hash, resources: rec.skill.resources.join('\n') } } : {}),
    ...(rec.stat ? { stat: rec.stat } : {}),
  };
}
