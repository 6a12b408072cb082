import { createHash } from 'node:crypto';
import { lstat, realpath } from 'node:fs/promises';
import path from 'node:path';
import { unzipSync } from 'fflate';
import type { Owner, Skill } from '../skill/schema.js';
import { deterministicId, newSkillId, skillIdProblem } from '../skill/ids.js';
import { heldForReview } from '../learn/poison.js';
import { setSkillMdId } from '../skill/skill-md.js';
import { parseForWrite } from './parse-memo.js';
import { slugify } from '../skill/slug.js';
import { readFileNoFollow } from './atomic.js';
import { isSafeSegment, RealDirs, safeRelPath } from './paths.js';
import { findSkillDirs, listResourceFiles, SKILL_MD, type ScanIssue } from './scan.js';
import { findStoreTreeSkills, placeInStoreTree } from './import-layout.js';
import { declaredEntries, entryProblem } from './zip-check.js';
import { unzipEntries } from './unzip.js';
import { type ImportReportEntry, type PutItem, type SkillStore } from './store.js';
import { AccessDeniedError, AutoskillError, NotFoundError, ValidationError, TooLargeError } from '../errors.js';

/**
 * Importing existing Agent Skill folders (a directory tree, a zip, or one SKILL.md text).
 *
 * SKILL.md is written byte-for-byte as found, except that a missing id is added (setSkillMdId),
 * so imported files stay pristine and re-importing is idempotent: a file's own id is kept, and a
 * file without one gets a deterministic id from the owner and its path under the import root.
 * Sources are untrusted: symlinks are never followed, paths are validated (zip-slip), and sizes
 * are capped per file, per skill and per archive.
 */

export interface ImportOptions {
  onProgress?(done: number, total: number, path: string): void;
  /** per resource file; larger files are left out and mentioned in the report (default 1 MiB) */
  maxFileBytes?: number;
  /** resource files per skill (default 200); more → the skill is not imported */
  maxFiles?: number;
  /** all resources of one skill (default 20 MiB); more → the skill is not imported */
  maxTotalBytes?: number;
  /** SKILL.md size cap (default 1 MiB) */
  maxSkillBytes?: number;
  /** replace skills whose id already exists (same owner only); default false → skipped */
  overwrite?: boolean;
  /** ignore ids found in files and always use the deterministic id (default false) */
  reassignIds?: boolean;
  /** recorded as `source.trigger` (e.g. `cli`, `api`) */
  trigger?: string;
  /**
   * Folder imports: skills under hidden folders (`.claude/skills/...`) are imported (default
   * `include`), or, with `report`, listed in the report as skipped with the reason. Never silent.
   */
  hiddenFolders?: 'include' | 'report';
}

export interface ZipImportOptions extends ImportOptions {
  /** total uncompressed bytes accepted from one archive (default 200 MiB) */
  maxArchiveBytes?: number;
  /** folder name for a SKILL.md at the archive root (default: slug of the skill name) */
  name?: string;
  /** give up unpacking after this long (default 30 s); large archives unpack in a worker thread */
  unpackTimeoutMs?: number;
}

interface Limits {
  maxFileBytes: number;
  maxFiles: number;
  maxTotalBytes: number;
  maxSkillBytes: number;
}

function limitsOf(opts: ImportOptions): Limits {
  return {
    maxFileBytes: opts.maxFileBytes ?? 1024 * 1024,
    maxFiles: opts.maxFiles ?? 200,
    maxTotalBytes: opts.maxTotalBytes ?? 20 * 1024 * 1024,
    maxSkillBytes: opts.maxSkillBytes ?? 1024 * 1024,
  };
}

/** One skill waiting to be imported, independent of where its bytes come from. */
interface Unit {
  /** shown in the report; also the deterministic-id key */
  relKey: string;
  /** folder name to keep, if the source has one */
  folder?: string;
  /** owner of this unit when it differs from the import's (store-tree imports) */
  owner?: Owner;
  /** deterministic-id key when it is not `relKey` (store-tree imports use the store's own key) */
  idKey?: string;
  skillMd(): Promise<Uint8Array>;
  /** resources + human-readable notes about files that were left out */
  resources(): Promise<{ files: Map<string, Uint8Array>; notes: string[] }>;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A unit ready to write, or its final report entry when there is nothing to write. */
type Prepared = { entry: ImportReportEntry; put?: PutItem; notes?: string[] };

async function prepareUnit(store: SkillStore, unit: Unit, defaultOwner: Owner, opts: ImportOptions, limits: Limits): Promise<Prepared> {
  const owner = unit.owner ?? defaultOwner;
  const entry: ImportReportEntry = { path: unit.relKey, status: 'error' };
  try {
    const bytes = await unit.skillMd();
    if (bytes.byteLength > limits.maxSkillBytes) return { entry: { ...entry, reason: `SKILL.md larger than ${limits.maxSkillBytes} bytes` } };
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      return { entry: { ...entry, reason: 'SKILL.md is not valid UTF-8' } };
    }
    const fallbackId = deterministicId(owner, unit.idKey ?? unit.relKey);
    const slug = unit.folder && isSafeSegment(unit.folder) ? unit.folder : 'skill';
    // remembered for the store's check of the same text before it is written (parse-memo.ts)
    const parsed = parseForWrite(text, { owner, slug, fallbackId });
    // An id no route could address (`../x`, `a/b`, `x\\y`) would make a skill that can never be
    // edited or deleted: such a file is imported under its deterministic id instead, and the
    // report says so (the file itself gets the new id written in).
    const badId = opts.reassignIds ? undefined : skillIdProblem(parsed.skill.id);
    let id = opts.reassignIds || badId ? fallbackId : parsed.skill.id;
    let idNote = badId ? `id ${JSON.stringify(parsed.skill.id.slice(0, 200))} replaced by ${id}: ${badId}` : undefined;
    let existing = await store.get(id);
    // An id another owner holds: the skill comes in under an id of this owner's. Refusing would let
    // anyone who can compute an import's id block it, and would say whose the id is.
    for (let k = 0; existing && existing.owner !== owner; k++) {
      const taken = id;
      id = k < 3 ? deterministicId(owner, `taken:${taken}`) : newSkillId();
      idNote = `id ${JSON.stringify(taken.slice(0, 200))} is in use; imported as ${id}`;
      existing = await store.get(id);
    }
    entry.id = id;
    if (existing && !opts.overwrite) return { entry: { ...entry, status: 'skipped', reason: 'already imported (same id)' } };

    const { files, notes } = await unit.resources();
    if (idNote) notes.unshift(idNote);
    // imported text is untrusted: one that tries to override instructions or send data away waits for its owner's review
    const hold = owner.startsWith('user:') ? heldForReview(parsed.skill) : undefined;
    const raw = hold ? undefined : parsed.hadId && id === parsed.skill.id ? text : setSkillMdId(text, id);
    const skill: Skill = {
      ...parsed.skill,
      id,
      owner,
      slug: unit.folder && isSafeSegment(unit.folder) ? unit.folder : slugify(parsed.skill.name, parsed.skill.description),
      resources: [...files.keys()].sort(),
      source: { kind: 'import', ref: unit.relKey, ...(opts.trigger ? { trigger: opts.trigger } : {}) },
      ...(hold ? { metadata: hold } : {}),
    };
    if (existing?.createdAt) skill.createdAt = existing.createdAt;
    const removeFiles = existing ? existing.resources.filter((r) => !files.has(r)) : [];
    return { entry, notes, put: { skill, opts: { ...(raw !== undefined ? { rawSkillMd: raw } : {}), files: Object.fromEntries(files), removeFiles } } };
  } catch (err) {
    return { entry: { ...entry, reason: reasonOf(err) } };
  }
}

function reasonOf(err: unknown): string {
  const reason = (err as { reason?: unknown }).reason;
  if (typeof reason === 'string' && reason) return reason;
  const code = (err as { code?: unknown; cause?: { code?: unknown } }).cause?.code ?? (err as { code?: unknown }).code;
  // a file system error says where the store lives: the caller gets what went wrong, not the path
  if (code === 'EEXIST' || code === 'ENOTDIR' || code === 'EISDIR') return 'a file and a folder of this skill have the same name';
  return (err as Error).message.replace(/(?:[A-Za-z]:)?[\\/](?:[^\s:'"]+[\\/])+[^\s:'"]*/g, '<path>');
}

/**
 * Skills read and parsed ahead of one store batch: amortizes the store lock and change
 * publication, while the byte cap keeps a batch of large resource folders from piling up in memory.
 */
const BATCH_SKILLS = 64;
const BATCH_BYTES = 32 * 1024 * 1024;
const READ_PARALLEL = 8;

async function putAll(store: SkillStore, items: PutItem[]): Promise<Array<Skill | Error>> {
  if (store.putMany) {
    // A batch-wide failure (e.g. the store lock could not be taken) fails this batch's items, as
    // it would have failed each of them one at a time; the import goes on with the next batch.
    return store.putMany(items).catch((err: unknown) => items.map(() => err as Error));
  }
  const out: Array<Skill | Error> = [];
  for (const item of items) out.push(await store.put(item.skill, item.opts).catch((err: unknown) => err as Error));
  return out;
}

function bytesOf(item: PutItem): number {
  let n = item.opts?.rawSkillMd?.length ?? 0;
  for (const v of Object.values(item.opts?.files ?? {})) n += typeof v === 'string' ? v.length : v.byteLength;
  return n;
}

async function runUnits(
  store: SkillStore,
  units: Unit[],
  pre: ImportReportEntry[],
  owner: Owner,
  opts: ImportOptions,
): Promise<ImportReportEntry[]> {
  const limits = limitsOf(opts);
  const report = [...pre];
  let done = 0;
  let batch: Array<{ unit: Unit; p: Prepared }> = [];
  let bytes = 0;
  const firstOf = new Map<string, string>();

  const flush = async (): Promise<void> => {
    const writes = batch.filter((b) => b.p.put);
    const results = await putAll(store, writes.map((b) => b.p.put!));
    writes.forEach(({ p }, i) => {
      const r = results[i]!;
      if (r instanceof Error) Object.assign(p.entry, { status: 'error', reason: reasonOf(r) });
      else Object.assign(p.entry, { status: 'imported' }, p.notes?.length ? { reason: p.notes.join('; ') } : {});
    });
    for (const { unit, p } of batch) {
      report.push(p.entry);
      opts.onProgress?.(++done, units.length, unit.relKey);
    }
    batch = [];
    bytes = 0;
    firstOf.clear();
  };

  // Units are read and parsed a few at a time in parallel (overlapping file reads); the batch
  // limits are checked after each group, so a group can overshoot them by at most its size.
  for (let g = 0; g < units.length; g += READ_PARALLEL) {
    const group = units.slice(g, g + READ_PARALLEL);
    const ready = await Promise.all(group.map((unit) => prepareUnit(store, unit, owner, opts, limits)));
    group.forEach((unit, k) => {
      let p = ready[k]!;
      // Two folders of one batch with the same id: the first wins, as it would one at a time (a
      // later batch sees the first through store.get and reports "already imported").
      const id = p.put?.skill.id;
      const first = id === undefined ? undefined : firstOf.get(id);
      if (first !== undefined) p = { entry: { ...p.entry, status: 'skipped', reason: `same id as ${first}` } };
      else if (id !== undefined) firstOf.set(id, unit.relKey);
      batch.push({ unit, p });
      bytes += p.put ? bytesOf(p.put) : 0;
    });
    if (batch.length >= BATCH_SKILLS || bytes >= BATCH_BYTES) await flush();
  }
  if (batch.length) await flush();
  return report;
}

/**
 * Import every skill folder under `dir` (a tree of skills, a single skill folder, or a folder that
 * directly contains SKILL.md). Max depth 6; hidden folders are searched too (or reported, see
 * `hiddenFolders`), VCS folders and node_modules skipped; a folder with SKILL.md is a leaf.
 * Symlinks are reported and never followed. With `{ layout: 'store' }` the tree is a whole store
 * and each skill keeps the owner of its place in it (import-layout.ts).
 */
export async function importSkillTree(
  store: SkillStore,
  dir: string,
  target: { owner: Owner } | { layout: 'store' },
  opts: ImportOptions = {},
): Promise<ImportReportEntry[]> {
  const st = await lstat(dir).catch(() => undefined);
  if (!st) throw new NotFoundError(`import folder not found: ${dir}`);
  if (st.isSymbolicLink() || !st.isDirectory()) throw new ValidationError(`not a folder (symlinks are not followed): ${dir}`);
  const root = await realpath(dir);
  const limits = limitsOf(opts);
  const issues: ScanIssue[] = [];
  const sink = { issue: (i: ScanIssue) => issues.push(i) };
  const layout = 'layout' in target;
  const found = layout
    ? await findStoreTreeSkills(root, sink, opts.hiddenFolders ?? 'include')
    : await findSkillDirs(root, 6, sink, 16, opts.hiddenFolders ?? 'include');
  const placed: ImportReportEntry[] = [];
  // the walk saw every folder as a real one; each is checked again once, not once per file under it
  const real = new RealDirs(Number.POSITIVE_INFINITY);
  const units: Unit[] = found.flatMap((f): Unit[] => {
    const rel = f.rel.length ? f.rel : [path.basename(root)];
    const place = layout ? placeInStoreTree(rel) : undefined;
    if (place && 'skip' in place) {
      placed.push({ path: rel.join('/'), status: 'skipped', reason: place.skip });
      return [];
    }
    return [{
      relKey: rel.join('/'),
      folder: rel[rel.length - 1]!,
      ...(place ? { owner: place.owner, idKey: place.idKey } : {}),
      skillMd: async () => readFileNoFollow(await real.resolve(root, ...f.rel, SKILL_MD), limits.maxSkillBytes),
      resources: async () => {
        const notes: string[] = [];
        const local = {
          issue: (i: ScanIssue) => notes.push(`${path.relative(f.dir, i.path) || i.path}: ${i.reason}`),
          // Hidden files cannot be stored as resources (the store keeps its own entries hidden): say so.
          hidden: (p: string) => {
            if (!ARCHIVE_JUNK.has(path.basename(p))) notes.push(`${path.relative(f.dir, p)} left out: hidden files are not kept as resources`);
          },
        };
        const rels = await listResourceFiles(f.dir, f.entries, local, limits.maxFiles + 1);
        if (rels.length > limits.maxFiles) throw new TooLargeError(`more than ${limits.maxFiles} resource files`);
        const files = new Map<string, Uint8Array>();
        let total = 0;
        for (const rel of rels) {
          let bytes: Uint8Array;
          try {
            bytes = await readFileNoFollow(await real.resolve(root, ...f.rel, ...rel.split('/')), limits.maxFileBytes);
          } catch (err) {
            // Oversized files and links are left out (and reported); anything else fails the skill.
            if (!TooLargeError.isInstance(err) && !AccessDeniedError.isInstance(err)) throw err;
            notes.push(`${rel} left out: ${(err as Error).message.replace(root, '.')}`);
            continue;
          }
          total += bytes.byteLength;
          if (total > limits.maxTotalBytes) throw new TooLargeError(`resources exceed ${limits.maxTotalBytes} bytes`);
          files.set(rel, bytes);
        }
        return { files, notes };
      },
    }];
  });
  const pre: ImportReportEntry[] = [...placed, ...issues.map((i) => ({ path: path.relative(root, i.path) || '.', status: 'skipped' as const, reason: i.reason }))];
  return runUnits(store, units, pre, 'owner' in target ? target.owner : 'library:Common', opts);
}

/** Entry names that would land outside the extraction folder (zip-slip) if taken literally. */
function isSlipping(name: string): boolean {
  // eslint-disable-next-line no-control-regex
  if (name.startsWith('/') || name.includes('\\') || /^[A-Za-z]:/.test(name) || /[\u0000]/.test(name)) return true;
  return name.split('/').some((seg) => seg === '..' || seg === '.');
}

/**
 * Names to drop silently from archives: OS metadata and tool caches, not user content. Other
 * hidden folders (`.claude/skills/...` is where Claude Code keeps skills) are imported.
 */
function isArchiveJunk(name: string): boolean {
  return name
    .split('/')
    .some((seg) => seg === '__MACOSX' || seg === '.DS_Store' || seg.startsWith('._') || seg === '.git' || seg === 'node_modules' || seg === '__pycache__');
}

/** OS metadata files that are never worth a note. */
const ARCHIVE_JUNK = new Set(['.DS_Store', '.git', 'Thumbs.db', '.gitkeep']);

/** The archive path with leading dots of each segment removed: hidden folders are fine in an archive path. */
const unhidden = (name: string): string => name.split('/').map((seg) => seg.replace(/^\.+(?=[^.])/, '')).join('/');

/**
 * Import skills from a zip archive held in memory. Entry names are validated before anything is
 * decompressed (zip-slip: absolute paths, `..`, backslashes and drive letters are refused and
 * reported); nothing touches the filesystem except through `store.put`.
 */
export async function importSkillZip(store: SkillStore, bytes: Uint8Array, target: { owner: Owner }, opts: ZipImportOptions = {}): Promise<ImportReportEntry[]> {
  const limits = limitsOf(opts);
  const maxArchive = opts.maxArchiveBytes ?? 200 * 1024 * 1024;
  const pre: ImportReportEntry[] = [];
  let declared = 0;
  const wanted: string[] = [];
  try {
    // First pass: names and declared sizes only (nothing is inflated), so refusals cost nothing.
    unzipSync(bytes, {
      filter: (f) => {
        if (f.name.endsWith('/')) return false;
        if (isSlipping(f.name)) {
          pre.push({ path: f.name, status: 'error', reason: 'unsafe path in archive (absolute, "..", backslash or drive letter); not extracted' });
          return false;
        }
        if (isArchiveJunk(f.name)) return false;
        try {
          safeRelPath(unhidden(f.name));
        } catch (err) {
          pre.push({ path: f.name, status: 'error', reason: `unsafe path in archive: ${(err as Error).message}` });
          return false;
        }
        if (f.originalSize > Math.max(limits.maxFileBytes, limits.maxSkillBytes)) {
          pre.push({ path: f.name, status: 'skipped', reason: `larger than ${Math.max(limits.maxFileBytes, limits.maxSkillBytes)} bytes` });
          return false;
        }
        declared += f.originalSize;
        if (declared > maxArchive) throw new TooLargeError(`archive expands beyond ${maxArchive} bytes`);
        wanted.push(f.name);
        return false;
      },
    });
  } catch (err) {
    if (AutoskillError.isInstance(err)) throw err;
    throw new ValidationError(`not a readable zip archive: ${(err as Error).message}`, { cause: err });
  }
  // Second pass: inflate, off the event loop for large archives (see unzip.ts).
  let entries: Record<string, Uint8Array>;
  try {
    entries = await unzipEntries(bytes, wanted, opts.unpackTimeoutMs);
  } catch (err) {
    if (AutoskillError.isInstance(err)) throw err;
    throw new ValidationError(`not a readable zip archive: ${(err as Error).message}`, { cause: err });
  }
  // Every unpacked entry must match the size and CRC-32 its archive declared: a lying entry
  // would otherwise be stored truncated. Such an entry fails the skill it belongs to.
  const directory = declaredEntries(bytes);
  const damaged = new Map<string, string>();
  for (const [name, data] of Object.entries(entries)) {
    const problem = entryProblem(data, directory.get(name));
    if (!problem) continue;
    damaged.set(name, problem);
    pre.push({ path: name, status: 'error', reason: `not extracted: ${problem}` });
    delete entries[name];
  }
  // Skill folders: parents of a SKILL.md, leaf rule (a skill inside another skill is a resource).
  const names = [...Object.keys(entries), ...damaged.keys()].sort();
  const skillDirs = names
    .filter((n) => n === SKILL_MD || n.endsWith('/' + SKILL_MD))
    .map((n) => n.slice(0, n.length - SKILL_MD.length).replace(/\/$/, ''))
    .filter((d) => d.split('/').length <= 6)
    .sort((a, b) => a.length - b.length)
    .reduce<string[]>((acc, d) => (acc.some((p) => p === '' || d.startsWith(p + '/')) ? acc : [...acc, d]), [])
    .sort();
  const units: Unit[] = skillDirs.map((d) => {
    const prefix = d ? d + '/' : '';
    const folder = d ? d.slice(d.lastIndexOf('/') + 1) : opts.name;
    return {
      relKey: d || opts.name || 'skill',
      ...(folder ? { folder } : {}),
      skillMd: async () => {
        const bad = names.find((n) => n.startsWith(prefix) && damaged.has(n));
        if (bad) throw new ValidationError(`${bad}: ${damaged.get(bad)}`);
        return entries[prefix + SKILL_MD]!;
      },
      resources: async () => {
        const files = new Map<string, Uint8Array>();
        const notes: string[] = [];
        let total = 0;
        for (const n of names) {
          if (!n.startsWith(prefix) || n === prefix + SKILL_MD) continue;
          const rel = n.slice(prefix.length);
          const data = entries[n]!;
          try {
            safeRelPath(rel);
          } catch (err) {
            // e.g. a hidden file inside the skill: the store cannot hold it, so say so.
            notes.push(`${rel} left out: ${(err as Error).message}`);
            continue;
          }
          if (data.byteLength > limits.maxFileBytes) {
            notes.push(`${rel} left out: larger than ${limits.maxFileBytes} bytes`);
            continue;
          }
          total += data.byteLength;
          if (total > limits.maxTotalBytes) throw new TooLargeError(`resources exceed ${limits.maxTotalBytes} bytes`);
          files.set(rel, data);
        }
        if (files.size > limits.maxFiles) throw new TooLargeError(`more than ${limits.maxFiles} resource files`);
        return { files, notes };
      },
    };
  });
  return runUnits(store, units, pre, target.owner, opts);
}

/**
 * Import one SKILL.md given as text. Without an id in the text, the id is derived from the text's
 * hash, so importing the same text twice is reported as `skipped` instead of making a duplicate.
 */
export async function importSkillMdText(store: SkillStore, text: string, target: { owner: Owner }, opts: ImportOptions & { name?: string } = {}): Promise<ImportReportEntry> {
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 32);
  const unit: Unit = {
    relKey: `text:${hash}`,
    ...(opts.name ? { folder: opts.name } : {}),
    skillMd: async () => Buffer.from(text, 'utf8'),
    resources: async () => ({ files: new Map(), notes: [] }),
  };
  const [entry] = await runUnits(store, [unit], [], target.owner, opts);
  return entry!;
}
