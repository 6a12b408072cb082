import { resolveSyncDir, syncAsciiNames, type AutoSkill, type Logger, type SyncWatcher } from '../engine/index.js';
import { CliError } from './common.js';

/**
 * `serve --sync-to DIR [--sync-agent A] [--sync-user U] [--sync-with-common]`: keeps a host skills
 * folder in step with the store while the server runs (see engine/sync/watch.ts). Conflicts and
 * errors are logged, never fatal: the server keeps serving.
 */

export interface ServeSyncFlags {
  'sync-to'?: string | undefined;
  'sync-agent'?: string | undefined;
  'sync-user'?: string | undefined;
  'sync-with-common'?: boolean | undefined;
}

/** Checked before the server starts, so a wrong flag is a usage error, not a log line. */
export function syncDirFromFlags(values: ServeSyncFlags): string | undefined {
  if (values['sync-to'] === undefined) {
    if (values['sync-agent'] || values['sync-user'] || values['sync-with-common']) throw new CliError('--sync-agent, --sync-user and --sync-with-common need --sync-to DIR', 2);
    return undefined;
  }
  try {
    return resolveSyncDir({ to: values['sync-to'], ...(values['sync-agent'] ? { agent: values['sync-agent'] } : {}) });
  } catch (err) {
    throw new CliError(`--sync-to: ${(err as Error).message}`, 2);
  }
}

export function startServeSync(sdk: AutoSkill, dir: string, values: ServeSyncFlags, defaultUser: string, logger: Logger): SyncWatcher {
  const userId = values['sync-user'] ?? defaultUser;
  return sdk.skills.watchSync({ userId }, {
    dir,
    withCommon: values['sync-with-common'] ?? false,
    // The agent's naming default, as `autoskill sync --agent` uses (claude-code: ASCII names).
    asciiNames: syncAsciiNames({ agent: values['sync-agent'] }),
    onReport: (r) => {
      if (r.created.length || r.updated.length || r.removed.length || r.conflicts.length) {
        logger.info('skills folder synced', { dir: r.dir, user: userId, created: r.created.length, updated: r.updated.length, removed: r.removed.length, conflicts: r.conflicts.length });
      }
      for (const c of r.conflicts) logger.warn('sync conflict: left as edited there', { dir: r.dir, folder: c.folder, ...(c.file ? { file: c.file } : {}), reason: c.reason });
    },
    onError: (err) => logger.error('skills folder sync failed', { dir, err: String((err as Error).message ?? err) }),
  });
}
