import { lstat, mkdir, readFile, readdir, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { visibleInScope } from '../access.js';
import { userOwner, type Skill } from '../skill/schema.js';
import { isPending } from '../skill/review.js';
import { uniqueName } from '../skill/spec-export.js';
import { exportNameFor, isAsciiName } from '../skill/spec-name.js';
import { writeFileAtomic } from '../store/atomic.js';
import { collect } from '../store/export.js';
import type { SkillStore } from '../store/store.js';
import { MANIFEST_FILE, digestOf, emptyManifest, readManifest, writeManifest, type Manifest, type ManifestEntry } from './manifest.js';

/**
 * One-way mirror of a user's skills (optionally with the Common ones) into a host's skills
 * folder (`.claude/skills`, `.agents/skills`, ...), each as a spec-valid folder (export --spec).
 *
 * Rules, all driven by the manifest (manifest.ts):
 * - a new skill gets a new folder, named so it never collides with a folder already there;
 * - a changed skill rewrites only files still byte-identical to what sync wrote last time; a file
 *   edited (or deleted) there is a conflict: it is left alone and reported, the rest is updated;
 * - a skill deleted (or held for review) in autoskill has its folder removed, only when every
 *   file in it is unedited and nothing was added; otherwise it is left and reported;
 * - folders that are not in the manifest are never read, changed or removed.
 */

export interface SyncOptions {
  /** the skills folder itself (see agents.ts resolveSyncDir) */
  dir: string;
  userId: string;
  withCommon?: boolean;
  /** report what would happen, write nothing */
  dryRun?: boolean;
  /** folder names in `[a-z0-9-]` only, Chinese as pinyin (see spec-name.ts asciiNameOf) */
  asciiNames?: boolean;
}

export interface SyncConflict {
  folder: string;
  /** a file inside the folder, or undefined for the folder as a whole */
  file?: string;
  reason: string;
}

export interface SyncReport {
  dir: string;
  created: string[];
  updated: string[];
  removed: string[];
  unchanged: number;
  conflicts: SyncConflict[];
}

/** Which skills a sync mirrors: the user's own (and Common ones), never held ones. */
export async function skillsToSync(store: SkillStore, userId: string, withCommon: boolean): Promise<Skill[]> {
  const own = userOwner(userId);
  return (await store.list())
    // the user's own skills, plus Common ones when asked (access.ts: the user's view of that scope)
    .filter((s) => !isPending(s) && visibleInScope(s.owner, withCommon ? 'all' : 'user', { userId }))
    // The user's skills first, so they get the plain names when a Common skill has the same one.
    .sort((a, b) => Number(a.owner !== own) - Number(b.owner !== own) || a.id.localeCompare(b.id));
}

/** sha256 of a file on disk; undefined when absent; 'other' for anything that is not a plain file. */
async function diskDigest(file: string): Promise<string | undefined> {
  const st = await lstat(file).catch(() => undefined);
  if (!st) return undefined;
  if (!st.isFile()) return 'other';
  return digestOf(await readFile(file));
}

/** Relative paths of every entry under a folder (plain files and anything else), without following links. */
async function listTree(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(path.join(dir, rel), { withFileTypes: true }).catch(() => [])) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listTree(dir, r)));
    else out.push(r);
  }
  return out;
}

export async function syncSkills(store: SkillStore, opts: SyncOptions): Promise<SyncReport> {
  const withCommon = opts.withCommon ?? false;
  const dir = path.resolve(opts.dir);
  const report: SyncReport = { dir, created: [], updated: [], removed: [], unchanged: 0, conflicts: [] };
  const manifest: Manifest = (await readManifest(dir)) ?? emptyManifest(opts.userId, withCommon);
  if (manifest.user !== opts.userId) {
    throw new Error(`${dir} mirrors the skills of user "${manifest.user}", not "${opts.userId}"; use another folder`);
  }
  manifest.with_common = withCommon;
  if (!opts.dryRun) await mkdir(dir, { recursive: true });

  const wanted = await skillsToSync(store, opts.userId, withCommon);
  const folderOf = new Map<string, string>();
  for (const [folder, entry] of Object.entries(manifest.skills)) if (!entry.orphaned) folderOf.set(entry.id, folder);
  // Names in use: ours, and every entry already in the folder (someone else's skills, files).
  const taken = new Set<string>([...Object.keys(manifest.skills), MANIFEST_FILE]);
  // Lowercased too: on a case-insensitive disk, `Foo` and `foo` are one folder.
  for (const e of await readdir(dir).catch(() => [] as string[])) taken.add(e.normalize('NFKC')).add(e.normalize('NFKC').toLowerCase());

  const keep = new Set<string>();
  for (const skill of wanted) {
    let folder = folderOf.get(skill.id);
    // A folder written with a Unicode name before ASCII names were asked for gets its ASCII name:
    // the old one then goes as a deleted skill's would (only when unedited, else it is reported).
    if (folder && opts.asciiNames && !isAsciiName(folder)) folder = undefined;
    const entry = folder ? manifest.skills[folder] : undefined;
    if (entry && entry.version === skill.version && (await unedited(dir, folder!, entry))) {
      keep.add(folder!);
      report.unchanged++;
      continue;
    }
    folder ??= uniqueName(exportNameFor(skill, { ascii: opts.asciiNames ?? false }), taken);
    taken.add(folder);
    keep.add(folder);
    const { files } = await collect(store, skill.id, { spec: { name: folder } });
    // A folder removed there as a whole is written again: autoskill is the source of this mirror.
    const exists = entry ? await lstat(path.join(dir, folder)).then(() => true, () => false) : false;
    const next = entry && exists
      ? await updateFolder(dir, folder, entry, files, report, opts.dryRun)
      : await createFolder(dir, folder, files, report, opts.dryRun);
    if (next) manifest.skills[folder] = { id: skill.id, version: skill.version, owner: skill.owner, files: next };
  }

  for (const [folder, entry] of Object.entries(manifest.skills)) {
    if (keep.has(folder)) continue;
    if (await removeFolder(dir, folder, entry, report, opts.dryRun)) delete manifest.skills[folder];
    else manifest.skills[folder] = { ...entry, orphaned: true };
  }

  if (!opts.dryRun) await writeManifest(dir, { ...manifest, synced_at: new Date().toISOString() });
  return report;
}

/** Every file as sync wrote it, and nothing added. */
async function unedited(dir: string, folder: string, entry: ManifestEntry): Promise<boolean> {
  const root = path.join(dir, folder);
  for (const [rel, digest] of Object.entries(entry.files)) if ((await diskDigest(path.join(root, rel))) !== digest) return false;
  return true;
}

async function createFolder(dir: string, folder: string, files: Map<string, Uint8Array>, report: SyncReport, dryRun?: boolean): Promise<Record<string, string>> {
  const digests: Record<string, string> = {};
  for (const [rel, bytes] of files) {
    digests[rel] = digestOf(bytes);
    if (dryRun) continue;
    const target = path.join(dir, folder, rel);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFileAtomic(target, bytes);
  }
  report.created.push(folder);
  return digests;
}

/** Rewrites unedited files; edited ones keep their old digest in the manifest, so they stay conflicts until resolved. */
async function updateFolder(
  dir: string,
  folder: string,
  entry: ManifestEntry,
  files: Map<string, Uint8Array>,
  report: SyncReport,
  dryRun?: boolean,
): Promise<Record<string, string>> {
  const root = path.join(dir, folder);
  const digests: Record<string, string> = {};
  let changed = false;
  const rels = new Set([...Object.keys(entry.files), ...files.keys()]);
  for (const rel of rels) {
    const old = entry.files[rel];
    const bytes = files.get(rel);
    const next = bytes ? digestOf(bytes) : undefined;
    const disk = await diskDigest(path.join(root, rel));
    if (disk === next) {
      if (next) digests[rel] = next; // already as wanted (or both gone)
      continue;
    }
    if (next === old) {
      // Nothing of ours changed; whatever was done to the file there is left as it is.
      if (old) digests[rel] = old;
      continue;
    }
    if (disk !== old) {
      // Ours changed and so did the file there: the edit there wins, and is reported.
      report.conflicts.push({ folder, file: rel, reason: disk === undefined ? 'deleted here; not restored' : 'edited here; not overwritten' });
      if (old) digests[rel] = old;
      continue;
    }
    changed = true;
    if (dryRun) {
      if (next) digests[rel] = next;
      continue;
    }
    if (bytes && next) {
      await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
      await writeFileAtomic(path.join(root, rel), bytes);
      digests[rel] = next;
    } else await rm(path.join(root, rel), { force: true });
  }
  if (changed) report.updated.push(folder);
  else if (!report.conflicts.some((c) => c.folder === folder)) report.unchanged++;
  return digests;
}

/** Removes a folder sync created, only when it holds exactly the unedited files sync wrote. */
async function removeFolder(dir: string, folder: string, entry: ManifestEntry, report: SyncReport, dryRun?: boolean): Promise<boolean> {
  const root = path.join(dir, folder);
  const st = await lstat(root).catch(() => undefined);
  if (!st) return true; // already gone: forget it
  if (!st.isDirectory()) {
    report.conflicts.push({ folder, reason: 'replaced here by something that is not a folder; left in place' });
    return false;
  }
  const present = await listTree(dir, folder);
  const extra = present.map((p) => p.slice(folder.length + 1)).filter((rel) => !(rel in entry.files));
  if (extra.length || !(await unedited(dir, folder, entry))) {
    report.conflicts.push({ folder, reason: `skill deleted in autoskill, but the folder was ${extra.length ? 'given new files' : 'edited'} here; left in place` });
    return false;
  }
  if (!dryRun) {
    for (const rel of Object.keys(entry.files)) await rm(path.join(root, rel), { force: true });
    await removeEmptyDirs(root);
  }
  report.removed.push(folder);
  return true;
}

/** Deletes `root` and its empty subfolders, bottom up; a folder that is not empty stays (rmdir refuses). */
async function removeEmptyDirs(root: string): Promise<void> {
  for (const e of await readdir(root, { withFileTypes: true }).catch(() => [])) {
    if (e.isDirectory()) await removeEmptyDirs(path.join(root, e.name));
  }
  await rmdir(root).catch(() => undefined);
}
