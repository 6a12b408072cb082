import cluster, { type Worker } from 'node:cluster';
import os from 'node:os';
import type { AutoSkill, Logger } from '../../engine/index.js';
import { CliError, out } from '../common.js';

/**
 * `autoskill serve --workers N`: N processes serving one port with Node's `cluster` (the primary
 * accepts connections and hands them to the workers round-robin), so the proxy uses every core.
 *
 * - The primary opens no store. It forks the workers, prints `autoskill listening on <url>` once
 *   all of them listen, relays store-change notices between them, replaces a worker that dies
 *   while serving, and on SIGTERM/SIGINT asks each worker to shut down gracefully.
 * - Every worker opens the store itself. They share it the way separate processes always do: the
 *   filesystem store through its change log (a worker told that a sibling wrote catches up by
 *   taking the store lock, which reads the change log: see store/fs/changes.ts), PostgreSQL through
 *   LISTEN/NOTIFY (nothing to relay). Learning jobs go through the shared job journal, whose claim
 *   rule lets exactly one runner take a job, so no job runs twice whichever worker recorded it.
 * - A worker whose primary died (SIGKILL) exits at once: the port went with the primary, and a
 *   restarted serve must not find orphans holding locks.
 *
 * Per-process state stays per worker: MCP Streamable HTTP sessions, event streams of jobs another
 * worker runs, and the learner's per-session counters. That is why one process is the default.
 */

const SHUTDOWN = 'autoskill:shutdown';
const STORE_CHANGED = 'autoskill:store-changed';

/** `--workers`: a count, or `auto` for the core count; default 1 (see above). */
export function workersFlag(value: string | undefined): number {
  if (value === undefined) return 1;
  if (value === 'auto') return os.availableParallelism();
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new CliError(`--workers must be 1..256 or "auto", got "${value}"`, 2);
  return n;
}

export function isClusterWorker(): boolean {
  return cluster.isWorker;
}

/** 0 for the worker that runs the once-per-server duties (the --sync-to mirror). */
export function workerIndex(): number {
  return Number(process.env.AUTOSKILL_WORKER_INDEX ?? 0);
}

/** A logger whose lines name the worker, so interleaved logs of one port can be told apart. */
export function workerLogger(logger: Logger): Logger {
  const tag = { worker: workerIndex(), pid: process.pid };
  return {
    debug: (m, f) => logger.debug(m, { ...tag, ...f }),
    info: (m, f) => logger.info(m, { ...tag, ...f }),
    warn: (m, f) => logger.warn(m, { ...tag, ...f }),
    error: (m, f) => logger.error(m, { ...tag, ...f }),
  };
}

/**
 * Worker side: tell the primary when our store changed, and catch up when a sibling's did.
 * Catching up (`sdk.catchUp`) takes the store lock, which reads the change generation and reloads
 * just the changed folders, emitting store changes that keep the search index and the turn cache
 * current. Our own catch-up also emits changes, which are relayed once
 * more; the siblings then find nothing new, so the exchange ends there. Notices are coalesced
 * (one catch-up per burst of writes).
 */
export function relayStoreChanges(sdk: AutoSkill, logger: Logger, postgres: boolean): () => void {
  if (!cluster.isWorker || postgres) return () => undefined;
  let notify: NodeJS.Immediate | undefined;
  const off = sdk.skills.onChange(undefined, () => {
    notify ??= setImmediate(() => {
      notify = undefined;
      if (process.connected) process.send?.({ type: STORE_CHANGED });
    });
  });
  let running: Promise<void> | undefined;
  let again = false;
  const catchUp = (): void => {
    if (running) {
      again = true;
      return;
    }
    running = sdk.skills
      .catchUp()
      .catch((err: unknown) => logger.warn('could not catch up with a sibling worker', { error: String(err) }))
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          catchUp();
        }
      });
  };
  const onMessage = (msg: unknown): void => {
    if ((msg as { type?: unknown } | null)?.type === STORE_CHANGED) catchUp();
  };
  process.on('message', onMessage);
  return () => {
    off();
    process.off('message', onMessage);
    if (notify) clearImmediate(notify);
  };
}

/**
 * Worker side: `stopped` resolves when the primary asks us to shut down; if the primary is gone
 * (it held the listening socket, so we serve nobody and may hold locks) the worker exits at once.
 * `release()` after the shutdown lets the process end (the IPC channel would keep it alive).
 */
export function primaryShutdown(): { stopped: Promise<void>; release(): void } {
  let onMessage!: (msg: unknown) => void;
  const onDisconnect = (): never => process.exit(1);
  const stopped = new Promise<void>((resolve) => {
    onMessage = (msg) => {
      if ((msg as { type?: unknown } | null)?.type === SHUTDOWN) resolve();
    };
  });
  process.on('message', onMessage);
  process.once('disconnect', onDisconnect);
  return {
    stopped,
    release() {
      process.off('message', onMessage);
      process.off('disconnect', onDisconnect);
      if (process.connected) process.disconnect?.();
    },
  };
}

interface PrimaryOptions {
  workers: number;
  logger: Logger;
  /** how long workers get to finish in-flight requests before they are killed */
  shutdownMs: number;
}

/**
 * Primary side: fork, supervise, shut down. Resolves with the exit code: 0 after a requested
 * shutdown, else the code of a worker that failed before the server was up (bad flags, port in
 * use), whose own error already went to stderr.
 */
export async function runPrimary({ workers, logger, shutdownMs }: PrimaryOptions): Promise<number> {
  const byIndex = new Map<number, Worker>();
  const listening = new Set<number>();
  let up = false;
  let stopping = false;
  let resolveDone!: (code: number) => void;
  const done = new Promise<number>((r) => (resolveDone = r));
  const recentCrashes: number[] = [];

  const fork = (index: number): void => {
    const worker = cluster.fork({ AUTOSKILL_WORKER_INDEX: String(index) });
    byIndex.set(index, worker);
    worker.on('message', (msg: unknown) => {
      if ((msg as { type?: unknown } | null)?.type !== STORE_CHANGED) return;
      for (const [i, w] of byIndex) if (i !== index && w.isConnected()) w.send({ type: STORE_CHANGED });
    });
    worker.on('listening', (address) => {
      listening.add(index);
      if (stopping) return void worker.send({ type: SHUTDOWN });
      if (up || listening.size < workers) return;
      up = true;
      const host = address.address ?? '127.0.0.1';
      const shown = host.includes(':') ? `[${host}]` : host === '0.0.0.0' || host === '' ? host || '127.0.0.1' : host;
      logger.info('workers listening', { workers, port: address.port });
      out(`autoskill listening on http://${shown}:${address.port}`);
    });
    worker.on('exit', (code, signal) => {
      if (byIndex.get(index) === worker) byIndex.delete(index);
      listening.delete(index);
      if (stopping) {
        if (byIndex.size === 0) resolveDone(0);
        return;
      }
      if (!up) {
        // A worker that cannot start (flags, port, store) will not start on a retry either.
        stopAll('SIGTERM');
        resolveDone(code || 1);
        return;
      }
      const now = Date.now();
      recentCrashes.push(now);
      while (recentCrashes.length && recentCrashes[0]! < now - 10_000) recentCrashes.shift();
      logger.warn('worker died; starting a new one', { worker: index, code, signal });
      if (recentCrashes.length > 5 * workers) {
        logger.error('workers keep dying; stopping', { crashes: recentCrashes.length });
        stopping = true;
        stopAll('SIGTERM');
        if (byIndex.size === 0) resolveDone(1);
        return;
      }
      fork(index);
    });
  };

  const stopAll = (signal: NodeJS.Signals): void => {
    for (const w of byIndex.values()) if (!w.isDead()) w.process.kill(signal);
  };

  for (let i = 0; i < workers; i++) fork(i);

  const onSignal = (): void => {
    if (stopping) {
      // A second signal: no more waiting.
      stopAll('SIGKILL');
      return;
    }
    stopping = true;
    logger.info('shutting down workers', { workers: byIndex.size, timeoutMs: shutdownMs });
    // A worker still starting has nothing in flight and no shutdown handler yet: a signal ends it.
    for (const [i, w] of byIndex) {
      if (listening.has(i) && w.isConnected()) w.send({ type: SHUTDOWN });
      else if (!w.isDead()) w.process.kill('SIGTERM');
    }
    if (byIndex.size === 0) resolveDone(0);
    // Workers finish in-flight requests within their own shutdown timeout; this is the backstop.
    setTimeout(() => stopAll('SIGKILL'), shutdownMs + 5_000).unref();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  const code = await done;
  process.off('SIGTERM', onSignal);
  process.off('SIGINT', onSignal);
  if (code === 0) logger.info('stopped');
  return code;
}
