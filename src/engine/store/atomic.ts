import { randomBytes } from 'node:crypto';
import { closeSync, constants as C, fstatSync, openSync, readSync } from 'node:fs';
import { lstat, mkdir, open, rename, rm, unlink } from 'node:fs/promises';
import path from 'node:path';
import { AutoskillError, NotFoundError, AccessDeniedError, ConflictError, TooLargeError, StorageError } from '../errors.js';

/**
 * Crash-safe file operations for the filesystem store.
 *
 * - Single files: write a hidden temp file in the same directory, fsync it, rename it over the
 *   target (atomic on POSIX and NTFS), fsync the directory so the rename itself is durable.
 *   A reader therefore sees either the old or the new content, never a torn file.
 * - A new skill folder: build it under a hidden staging name in the same parent, fsync, then one
 *   rename publishes the whole folder.
 * - Updating an existing folder: each resource is replaced atomically first and SKILL.md last;
 *   SKILL.md is the commit point, so a crash in between leaves whole files (new resources next to
 *   the old SKILL.md at worst) and the store's history still holds the full previous version.
 * - Deleting a folder: one rename to a hidden trash name, then a recursive remove.
 *
 * Every temp, staging and trash name starts with "." so the loader (which skips hidden entries)
 * can never mistake leftovers of a killed process for skills or resources.
 */

const O_NOFOLLOW = C.O_NOFOLLOW ?? 0;

const TEMP_RE = /^\..+\.[0-9a-f]{12}\.tmp$/;
const STAGING_PREFIX = '.staging-';
const TRASH_PREFIX = '.trash-';

/** True for names this module creates transiently (and that open() may garbage-collect). */
export function isTransientName(name: string): boolean {
  return TEMP_RE.test(name) || name.startsWith(STAGING_PREFIX) || name.startsWith(TRASH_PREFIX);
}

const token = (): string => randomBytes(6).toString('hex');

/** fsync a directory so that renames/creates inside it survive a power loss (best effort where unsupported). */
export async function fsyncDir(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, C.O_RDONLY);
    await fh.sync();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // Windows cannot open directories; some filesystems reject fsync on them.
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EACCES') throw err;
  } finally {
    await fh?.close();
  }
}

/** Write bytes to a brand-new file (O_EXCL + O_NOFOLLOW) and fsync it. */
async function writeNewFile(file: string, data: Uint8Array | string, mode: number): Promise<void> {
  const fh = await open(file, C.O_WRONLY | C.O_CREAT | C.O_EXCL | O_NOFOLLOW, mode);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export interface AtomicWriteOptions {
  mode?: number;
  /** skip the directory fsync (callers that fsync the directory once after many writes) */
  skipDirSync?: boolean;
}

/** Atomically replace (or create) `file`. The parent directory must exist. */
export async function writeFileAtomic(file: string, data: Uint8Array | string, opts: AtomicWriteOptions = {}): Promise<void> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${token()}.tmp`);
  try {
    await writeNewFile(tmp, data, opts.mode ?? 0o644);
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw ioError(`cannot write ${file}`, err);
  }
  if (!opts.skipDirSync) await fsyncDir(dir);
}

/** Files to write into a folder: relative path (forward slashes, already validated) → content. */
export type FileMap = Map<string, Uint8Array | string>;

async function writeTree(dir: string, files: FileMap, lastName: string | undefined): Promise<void> {
  const dirs = new Set<string>([dir]);
  const order = [...files.keys()].filter((k) => k !== lastName);
  if (lastName !== undefined && files.has(lastName)) order.push(lastName);
  for (const rel of order) {
    const target = path.join(dir, ...rel.split('/'));
    const parent = path.dirname(target);
    if (!dirs.has(parent)) {
      await mkdir(parent, { recursive: true });
      dirs.add(parent);
    }
    await writeNewFile(target, files.get(rel)!, 0o644);
  }
  for (const d of dirs) await fsyncDir(d);
}

/**
 * Publish a new folder `<parent>/<name>` containing `files` in one rename. Fails with 'conflict'
 * if the folder already exists (callers allocate a free name first, under the store lock).
 */
export async function createDirAtomic(
  parent: string,
  name: string,
  files: FileMap,
  lastName?: string,
  opts: { syncParent?: boolean } = {},
): Promise<void> {
  const staging = path.join(parent, `${STAGING_PREFIX}${token()}`);
  const finalDir = path.join(parent, name);
  await mkdir(parent, { recursive: true });
  try {
    await mkdir(staging);
    await writeTree(staging, files, lastName);
    // rename(2) onto an existing empty dir succeeds on POSIX, so check first; the store lock
    // makes check-then-rename safe against other store writers.
    if (await exists(finalDir)) throw new ConflictError(`folder already exists: ${finalDir}`);
    await rename(staging, finalDir);
  } catch (err) {
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
    if (AutoskillError.isInstance(err)) throw err;
    throw ioError(`cannot create ${finalDir}`, err);
  }
  // Batch writers pass syncParent: false and fsync the parent once after all their renames.
  if (opts.syncParent !== false) await fsyncDir(parent);
}

async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

/** Remove a folder: an atomic rename to a hidden trash name, then the recursive delete. */
export async function removeDirAtomic(dir: string): Promise<void> {
  const trash = path.join(path.dirname(dir), `${TRASH_PREFIX}${token()}`);
  try {
    await rename(dir, trash);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw ioError(`cannot remove ${dir}`, err);
  }
  await fsyncDir(path.dirname(dir));
  // rm does not follow symlinks inside the tree: links are unlinked, their targets untouched.
  await rm(trash, { recursive: true, force: true });
}

/** Why opening `file` for reading failed, as an engine error (missing, a symlink, or I/O). */
function openError(file: string, err: unknown): AutoskillError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new NotFoundError(`not found: ${file}`, { cause: err });
  if (code === 'ELOOP') return new AccessDeniedError(`refusing to follow a symbolic link: ${file}`, { cause: err });
  return ioError(`cannot read ${file}`, err);
}

/** Only regular files within the size cap are read. */
function checkReadable(file: string, st: { isFile(): boolean; size: number }, maxBytes: number): void {
  if (!st.isFile()) throw new AccessDeniedError(`not a regular file: ${file}`);
  if (st.size > maxBytes) throw new TooLargeError(`file too large (${st.size} > ${maxBytes} bytes): ${file}`);
}

/**
 * Read a regular file without following a symlink at the final component, refusing files larger
 * than `maxBytes` (checked on the open descriptor, so a swap between stat and read cannot bypass it).
 */
export async function readFileNoFollow(file: string, maxBytes: number): Promise<Uint8Array> {
  return (await readFileWithStat(file, maxBytes)).bytes;
}

/** readFileNoFollow plus the file's mtime (ms). */
export async function readFileWithStat(file: string, maxBytes: number): Promise<{ bytes: Uint8Array; mtimeMs: number }> {
  let fh;
  try {
    fh = await open(file, C.O_RDONLY | O_NOFOLLOW);
  } catch (err) {
    throw openError(file, err);
  }
  try {
    const st = await fh.stat();
    checkReadable(file, st, maxBytes);
    const buf = Buffer.alloc(st.size);
    let off = 0;
    while (off < st.size) {
      const { bytesRead } = await fh.read(buf, off, st.size - off, off);
      if (bytesRead === 0) break;
      off += bytesRead;
    }
    return { bytes: new Uint8Array(buf.buffer, buf.byteOffset, off), mtimeMs: st.mtimeMs };
  } finally {
    await fh.close();
  }
}

/**
 * Synchronous readFileNoFollow for bulk loads (thousands of small files at open): a sync read is
 * ~10x cheaper than the promise API's four thread-pool round trips. Callers yield between files.
 */
export function readFileNoFollowSync(file: string, maxBytes: number): Uint8Array {
  let fd: number;
  try {
    fd = openSync(file, C.O_RDONLY | O_NOFOLLOW);
  } catch (err) {
    throw openError(file, err);
  }
  try {
    const st = fstatSync(fd);
    checkReadable(file, st, maxBytes);
    const buf = Buffer.allocUnsafe(st.size);
    let off = 0;
    while (off < st.size) {
      const n = readSync(fd, buf, off, st.size - off, off);
      if (n === 0) break;
      off += n;
    }
    return new Uint8Array(buf.buffer, buf.byteOffset, off);
  } finally {
    closeSync(fd);
  }
}

function ioError(message: string, err: unknown): AutoskillError {
  if (AutoskillError.isInstance(err)) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ELOOP') return new AccessDeniedError(`${message}: refusing to follow a symbolic link`, { cause: err });
  return new StorageError(`${message}: ${(err as Error).message}`, { cause: err });
}
