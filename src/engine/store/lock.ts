import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { StorageError } from '../errors.js';

/**
 * Serialization for the filesystem store, at two levels:
 *
 * 1. An in-process async mutex per lock path. It is module-level (not per store instance) so that
 *    two store objects opened on the same root in one process queue behind each other instead of
 *    racing; proper-lockfile also keeps a per-process table keyed by path that must never see two
 *    concurrent holders of one path.
 * 2. A cross-process lock (proper-lockfile: an atomic `mkdir` of `<name>.lock` whose mtime the
 *    holder refreshes; a holder that died is detected once the mtime is older than `staleMs`).
 *
 * Locks are re-entrant within one async call chain (tracked with AsyncLocalStorage), so a facade
 * that holds a key and calls a store method that takes the same key does not deadlock itself.
 */

export interface LockOptions {
  /** a lock whose holder stopped refreshing it for this long is considered abandoned (min 2000) */
  staleMs?: number;
  /** give up waiting after this long (StorageError) */
  timeoutMs?: number;
  /** called when a held lock was taken over (e.g. this process stalled longer than staleMs) */
  onCompromised?: (err: Error) => void;
}

const held = new AsyncLocalStorage<ReadonlySet<string>>();

/** Tail of the queue per lock id: each waiter chains on the previous holder's release. */
const tails = new Map<string, Promise<void>>();

/** True if the current async call chain already holds `lockId`. */
export function holdsLock(lockId: string): boolean {
  return held.getStore()?.has(lockId) ?? false;
}

/**
 * In-process mutex only. `lockId` is any string; callers that also take a file lock use the lock
 * file path so that both levels share one identity.
 */
export async function withLocalLock<T>(lockId: string, fn: () => Promise<T>): Promise<T> {
  if (holdsLock(lockId)) return fn();
  const previous = tails.get(lockId) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  const tail = previous.then(() => mine);
  tails.set(lockId, tail);
  await previous;
  try {
    const outer = held.getStore() ?? new Set<string>();
    return await held.run(new Set([...outer, lockId]), fn);
  } finally {
    release();
    // Drop the map entry when nobody queued behind us, so the map does not grow with dead keys.
    if (tails.get(lockId) === tail) tails.delete(lockId);
  }
}

/** File name for a lock key: readable when safe, hashed otherwise (keys may hold user input). */
export function lockFileName(key: string): string {
  if (/^[A-Za-z0-9_.@:-]{1,80}$/.test(key) && !key.includes('..')) return key.replace(/:/g, '_');
  return 'h-' + createHash('sha256').update(key).digest('hex').slice(0, 40);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Acquire the cross-process lock at `lockPath` (a directory created by mkdir), polling until timeout. */
async function acquireFileLock(lockPath: string, opts: LockOptions): Promise<() => Promise<void>> {
  const staleMs = Math.max(2000, opts.staleMs ?? 10_000);
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  await mkdir(path.dirname(lockPath), { recursive: true });
  let delay = 2;
  let aged = 0;
  for (;;) {
    try {
      const release = await lockfile.lock(lockPath, {
        lockfilePath: lockPath,
        realpath: false,
        stale: staleMs,
        retries: 0,
        onCompromised: (err) => {
          // The default handler throws from a timer, which would crash the host process.
          if (opts.onCompromised) opts.onCompromised(err);
        },
      });
      await writeOwner(lockPath);
      return async () => {
        await rm(ownerFile(lockPath), { force: true }).catch(() => undefined);
        await release();
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') {
        throw new StorageError(`cannot take lock ${lockPath}: ${(err as Error).message}`, { cause: err });
      }
      // The holder died on this host (e.g. SIGKILL): age its lock so the next try takes it over
      // at once instead of waiting staleMs for the refreshes to stop.
      if (aged < 3 && (await ageIfHolderDead(lockPath))) {
        aged++;
        continue;
      }
      if (Date.now() >= deadline) throw new StorageError(`timed out waiting for lock ${lockPath}`, { cause: err });
      // Jittered exponential backoff, capped low: writes are short, so waiters should retry soon.
      await sleep(delay + Math.random() * delay);
      delay = Math.min(delay * 2, 50);
    }
  }
}

/**
 * Who holds a lock: `<lock>.owner` beside the lock directory (proper-lockfile removes the lock
 * with rmdir, so nothing may live inside it). It names the pid, the host and the inode of the
 * lock directory it belongs to, so an owner file left by an earlier holder is never mistaken
 * for the current one's; and, where the system tells (Linux), which process had that pid.
 */
const ownerFile = (lockPath: string): string => `${lockPath}.owner`;

interface Owner {
  pid?: unknown;
  host?: unknown;
  ino?: unknown;
  /** the holder's process identity (processStart), absent where unknown */
  start?: unknown;
}

/**
 * A process's identity beyond its pid: the boot and the process's start time in clock ticks
 * since boot (Linux /proc). A pid alone is reused: a server restarted in a container usually
 * gets the very pid its killed predecessor had (and a busy host hands old pids to new
 * processes), so "that pid is alive" would keep a dead holder's lock until it went stale.
 * Undefined where /proc is missing; the pid check alone then applies.
 */
export function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // fields after the command name (which may hold spaces and parentheses): state is field 3,
    // starttime field 22
    const starttime = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    return starttime ? `${bootId()}:${starttime}` : undefined;
  } catch {
    return undefined;
  }
}

let boot: string | undefined;
/** start times count from boot, so after a reboot the same tick may belong to another process */
function bootId(): string {
  if (boot === undefined) {
    try {
      boot = readFileSync('/proc/sys/kernel/random/boot_id', 'latin1').trim();
    } catch {
      boot = '';
    }
  }
  return boot;
}

let ownStart: string | null | undefined;
function myStart(): string | undefined {
  if (ownStart === undefined) ownStart = processStart(process.pid) ?? null;
  return ownStart ?? undefined;
}

async function writeOwner(lockPath: string): Promise<void> {
  try {
    const st = await stat(lockPath);
    const start = myStart();
    await writeFile(ownerFile(lockPath), JSON.stringify({ pid: process.pid, host: os.hostname(), ino: st.ino, ...(start ? { start } : {}) }));
  } catch {
    // Best effort: without the file a dead holder is detected the slow way (staleMs).
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * True when the recorded holder is gone: its pid is not running, or (with a recorded identity)
 * the process running under that pid now is another one, ourselves included. A holder recorded
 * as this very process is alive (another copy of this module in one process, say): not dead.
 */
function holderDead(owner: Owner & { pid: number }): boolean {
  const recorded = typeof owner.start === 'string' ? owner.start : undefined;
  if (owner.pid === process.pid) return recorded !== undefined && myStart() !== undefined && recorded !== myStart();
  if (!pidAlive(owner.pid)) return true;
  if (recorded === undefined) return false;
  const now = processStart(owner.pid);
  return now !== undefined && now !== recorded;
}

/** True when the lock's holder is a process of this host that no longer exists; its lock is then aged. */
async function ageIfHolderDead(lockPath: string): Promise<boolean> {
  try {
    const owner = JSON.parse(await readFile(ownerFile(lockPath), 'utf8')) as Owner;
    if (typeof owner.pid !== 'number' || owner.host !== os.hostname()) return false;
    const st = await stat(lockPath);
    if (st.ino !== owner.ino || !holderDead(owner as Owner & { pid: number })) return false;
    await utimes(lockPath, new Date(0), new Date(0));
    return true;
  } catch {
    return false;
  }
}

/**
 * In-process mutex + cross-process lock on `<lockDir>/<key>.lock`. Re-entrant per async chain.
 * The in-process mutex is taken first so that only one task per process polls the lock file.
 */
export async function withFileLock<T>(lockDir: string, key: string, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const lockPath = path.join(lockDir, lockFileName(key) + '.lock');
  if (holdsLock(lockPath)) return fn();
  return withLocalLock(lockPath, async () => {
    const release = await acquireFileLock(lockPath, opts);
    try {
      return await fn();
    } finally {
      await release().catch(() => {
        // Already released or taken over as stale: nothing left to undo.
      });
    }
  });
}
