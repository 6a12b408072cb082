import { lstatSync, type Stats } from 'node:fs';
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { AccessDeniedError, StorageError } from '../errors.js';

/**
 * Path validation and safe joins for the filesystem store. Everything that becomes a path
 * component (user ids, library names, slugs, resource paths) is validated here and rejected,
 * never "repaired": silently rewriting `../x` into `x` would make two different inputs address
 * the same folder.
 */

const forbidden = (what: string, value: string, why: string): AccessDeniedError =>
  new AccessDeniedError(`${what} ${JSON.stringify(value.slice(0, 200))} is not allowed: ${why}`);

/** Characters that are never allowed in any component: controls (incl. NUL), separators, Windows specials. */
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\u0000-\u001f\u007f/\\:*?"<>|]/;

/** Windows device names are refused so that a store stays portable. */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

const ID_LIKE = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/;

function checkIdLike(what: string, value: string): string {
  if (typeof value !== 'string' || !ID_LIKE.test(value)) {
    throw forbidden(what, String(value), 'use 1-128 of A-Z a-z 0-9 . _ @ -, starting with a letter or digit');
  }
  if (value.includes('..')) throw forbidden(what, value, 'must not contain ".."');
  if (value.endsWith('.')) throw forbidden(what, value, 'must not end with "."');
  if (WINDOWS_DEVICE.test(value)) throw forbidden(what, value, 'reserved device name');
  return value;
}

/** A user id used as the folder `Users/<id>`. Note `_` is allowed: the real bank has `chinese_gpt3.5_8_GLM4.7`. */
export function safeUserId(userId: string): string {
  return checkIdLike('user id', userId);
}

/** A library name used as the folder `Common/<name>`. */
export function safeLibraryName(name: string): string {
  return checkIdLike('library name', name);
}

/**
 * One folder-name segment for a skill. Existing folders may have any Unicode name (the bank has
 * CJK folder names and underscores), so this checks safety, not the Agent Skills slug grammar.
 */
export function safeSlug(slug: string): string {
  return checkSegment('slug', slug, 200);
}

const INVISIBLE = /[\p{Cf}\u115F\u1160\u3164\uFFA0]/u;

function checkSegment(what: string, seg: string, maxLen: number): string {
  if (typeof seg !== 'string' || seg.length === 0) throw forbidden(what, String(seg), 'empty');
  if (seg === '.' || seg === '..') throw forbidden(what, seg, 'dot segment');
  if (seg.startsWith('.')) throw forbidden(what, seg, 'hidden names (leading ".") are reserved');
  if (UNSAFE_CHARS.test(seg)) throw forbidden(what, seg, 'contains a separator, control or reserved character');
  if (seg !== seg.trim() || seg.endsWith('.')) throw forbidden(what, seg, 'leading/trailing space or trailing "."');
  if (WINDOWS_DEVICE.test(seg)) throw forbidden(what, seg, 'reserved device name');
  // zero-width and direction-changing characters make a name look like another one
  if (INVISIBLE.test(seg)) throw forbidden(what, seg, 'contains an invisible or direction-changing character');
  if (Buffer.byteLength(seg) > Math.min(maxLen, 255)) throw forbidden(what, seg, 'too long');
  return seg;
}

/** True if `seg` is a usable folder name (see safeSlug). */
export function isSafeSegment(seg: string): boolean {
  try {
    checkSegment('segment', seg, 200);
    return true;
  } catch {
    return false;
  }
}

export const MAX_REL_DEPTH = 8;

/**
 * A resource path relative to a skill folder: forward slashes only, 1..8 segments, each a safe
 * segment (no `.`/`..`, no hidden names, no `:` so no drive letters or NTFS streams, no NUL).
 * Hidden names are refused because the store's own temp, staging and trash entries are hidden;
 * a resource must never be confused with them. Returns the path unchanged.
 */
export function safeRelPath(rel: string): string {
  if (typeof rel !== 'string' || rel.length === 0) throw forbidden('resource path', String(rel), 'empty');
  if (rel.length > 1024) throw forbidden('resource path', rel, 'too long');
  if (rel.includes('\\')) throw forbidden('resource path', rel, 'use "/" as the separator');
  if (rel.startsWith('/')) throw forbidden('resource path', rel, 'absolute path');
  if (/^[A-Za-z]:/.test(rel)) throw forbidden('resource path', rel, 'drive letter');
  const segs = rel.split('/');
  if (segs.length > MAX_REL_DEPTH) throw forbidden('resource path', rel, `more than ${MAX_REL_DEPTH} segments`);
  for (const seg of segs) checkSegment('resource path', seg, 255);
  return rel;
}

/** True when `child` is `parent` or inside it (both absolute, normalized). */
export function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Lexical join that refuses to leave `root` (no filesystem access). */
export function joinInside(root: string, ...parts: string[]): string {
  const base = path.resolve(root);
  const target = path.resolve(base, ...parts);
  if (!isInside(base, target)) throw new AccessDeniedError(`path escapes the store: ${parts.join('/')}`);
  return target;
}

/**
 * Join and verify on disk: the result is lexically inside `root`, and no existing component from
 * `root` down to the target (the target included) is a symbolic link. Refusing symlinks outright
 * (instead of resolving them and checking the real path) means a link can never redirect a read
 * or write, whether it points outside or back inside. `root` itself is trusted (callers pass
 * its realpath). Components that do not exist yet are fine: they will be created as real dirs.
 */
export function resolveInside(root: string, ...parts: string[]): Promise<string> {
  return walkInside(undefined, root, parts);
}

/**
 * Directories a run of resolveInside calls found to be real, so that each is checked once per run
 * rather than once per path under it: an import reads every file of a tree, a store batch writes
 * thousands of folders under one owner (on the bank: ~60k lstat calls, ~0.9 s of an import). Only
 * directories at most `depth` components below the root are kept; a memo lives for one such run
 * (an import's reads, one locked write batch), so a folder swapped for a link later is refused.
 */
export class RealDirs {
  readonly #seen = new Set<string>();
  constructor(readonly depth: number) {}

  /** resolveInside, skipping the directories this memo has seen. */
  resolve(root: string, ...parts: string[]): Promise<string> {
    return walkInside(this, root, parts);
  }

  has(dir: string): boolean {
    return this.#seen.has(dir);
  }

  add(dir: string): void {
    this.#seen.add(dir);
  }
}

async function walkInside(memo: RealDirs | undefined, root: string, parts: string[]): Promise<string> {
  const { base, target, steps } = stepsInside(root, parts);
  for (let i = 0; i < steps.length; i++) {
    const cur = steps[i]!;
    const remembered = memo !== undefined && i < memo.depth;
    if (remembered && memo.has(cur)) continue;
    const st = await lstat(cur).catch((err: unknown) => statFailure(err, cur));
    if (!st) return target;
    refuseLink(st, base, cur);
    if (remembered && st.isDirectory()) memo.add(cur);
  }
  return target;
}

/**
 * resolveInside without awaiting, for the reads that cannot: a skill body read on first use
 * (fs/bodies.ts), through folders that may have changed since the scan that found them.
 */
export function resolveInsideSync(root: string, ...parts: string[]): string {
  const { base, target, steps } = stepsInside(root, parts);
  for (const cur of steps) {
    let st: Stats | undefined;
    try {
      st = lstatSync(cur);
    } catch (err) {
      st = statFailure(err, cur);
    }
    if (!st) return target;
    refuseLink(st, base, cur);
  }
  return target;
}

/** The lexically checked target and every path from just below the root down to it. */
function stepsInside(root: string, parts: string[]): { base: string; target: string; steps: string[] } {
  const base = path.resolve(root);
  const target = joinInside(base, ...parts);
  const rel = path.relative(base, target);
  const steps: string[] = [];
  let cur = base;
  for (const seg of rel === '' ? [] : rel.split(path.sep)) steps.push((cur = path.join(cur, seg)));
  return { base, target, steps };
}

/** A missing component ends the walk (undefined: it will be created as a real folder); anything else is a StorageError. */
function statFailure(err: unknown, cur: string): undefined {
  if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
  throw new StorageError(`cannot inspect ${cur}: ${(err as Error).message}`, { cause: err });
}

function refuseLink(st: Stats, base: string, cur: string): void {
  if (st.isSymbolicLink()) throw new AccessDeniedError(`refusing to follow a symbolic link: ${path.relative(base, cur)}`);
}
