export interface StoreLogger {
  warn(message: string, meta?: Record<string, unknown>): void;
}

export interface FsSkillStoreOptions {
  root: string;
  /** cross-process lock considered abandoned after this long without refresh (ms, min 2000; default 10000) */
  lockStaleMs?: number;
  /** give up waiting for the lock after this long (ms; default 60000) */
  lockTimeoutMs?: number;
  /** larger SKILL.md files are refused on write and reported on load (default 1 MiB) */
  maxSkillBytes?: number;
  /** per resource file (default 8 MiB) */
  maxResourceBytes?: number;
  /** resource files per skill (default 500) */
  maxResourceFiles?: number;
  /** versions kept per skill (default 200) */
  maxHistory?: number;
  /** parallel file reads during a scan (default 32) */
  concurrency?: number;
  /**
   * How an open learns what the folders hold. `'wait'` (default): it scans them before it returns.
   * `'background'` (long-running services: `serve`, `mcp`, `chat`): it returns with the tree its
   * parse cache recorded and scans right after, applying what changed while no process watched
   * (hand edits, copied-in folders) as changes (`verified()` resolves then). A first open, or one
   * whose cache is unusable, scans before it returns either way.
   */
  verifyOnOpen?: 'wait' | 'background';
  logger?: StoreLogger;
}

export type ResolvedFsOptions = Required<Omit<FsSkillStoreOptions, 'logger'>> & { logger?: StoreLogger };

/** The filesystem store's options with every default filled in. */
export function withDefaults(opts: FsSkillStoreOptions): ResolvedFsOptions {
  return {
    lockStaleMs: 10_000,
    lockTimeoutMs: 60_000,
    maxSkillBytes: 1024 * 1024,
    maxResourceBytes: 8 * 1024 * 1024,
    maxResourceFiles: 500,
    maxHistory: 200,
    concurrency: 32,
    verifyOnOpen: 'wait',
    ...opts,
  };
}
