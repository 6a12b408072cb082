import { visibleInScope } from '../access.js';
import type { SkillStore } from '../store/store.js';
import { syncSkills, type SyncOptions, type SyncReport } from './sync.js';

/**
 * Keeps a mirrored folder in step while a server runs (`serve --sync-to`): one sync at start,
 * then one after each burst of store changes that concern the mirrored skills (the store's
 * change feed, which a filesystem store also fills from other processes on refresh). Runs never
 * overlap: changes during a run schedule exactly one more.
 */

export interface SyncWatcher {
  /** resolves when no sync is running or scheduled (tests, shutdown) */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export interface WatchOptions extends SyncOptions {
  /** quiet time after the last change before syncing (default 500 ms) */
  debounceMs?: number;
  onReport?: (report: SyncReport) => void;
  onError?: (err: unknown) => void;
}

export function watchSync(store: SkillStore, opts: WatchOptions): SyncWatcher {
  const debounceMs = opts.debounceMs ?? 500;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  let waiters: Array<() => void> = [];

  const settleIfIdle = (): void => {
    if (running || timer) return;
    const w = waiters;
    waiters = [];
    for (const resolve of w) resolve();
  };

  const run = (): void => {
    timer = undefined;
    if (stopped) return settleIfIdle();
    if (running) {
      again = true;
      return;
    }
    running = syncSkills(store, opts)
      .then((report) => opts.onReport?.(report), (err: unknown) => opts.onError?.(err))
      .finally(() => {
        running = undefined;
        if (again && !stopped) {
          again = false;
          run();
        } else settleIfIdle();
      });
  };

  const schedule = (): void => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(run, debounceMs);
  };

  const unsubscribe = store.onChange((change) => {
    if (visibleInScope(change.owner, opts.withCommon ? 'all' : 'user', { userId: opts.userId })) schedule();
  });
  run();

  return {
    idle: () => new Promise<void>((resolve) => {
      waiters.push(resolve);
      settleIfIdle();
    }),
    async stop() {
      stopped = true;
      unsubscribe();
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running;
      settleIfIdle();
    },
  };
}
