import { stat } from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { AutoSkill, DEFAULT_USER_ID, jsonLogger, type AutoSkillOptions } from '../engine/index.js';
import { isPostgresUrl } from '../adapters/postgres/url.js';
import { fsBackends, postgresBackends } from '../index.js';
import { settleHeapAfterOpen } from './heap.js';

/** A user-facing failure: printed as one line, exit code 1 (2 for usage errors). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export type Options = NonNullable<ParseArgsConfig['options']>;

/** Flags every store-backed command accepts. */
export const STORE_OPTIONS = {
  store: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

export function parse<O extends Options>(argv: string[], options: O, allowPositionals = true) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (err) {
    throw new CliError((err as Error).message, 2);
  }
}

export function storeDirFrom(flag: string | undefined): string {
  return flag ?? process.env.AUTOSKILL_STORE ?? 'Skills';
}

/**
 * The user of a command without `--user`: `$AUTOSKILL_USER`, else the default user that `serve`
 * (and so the web page), `chat` and `mcp` use, so `list` and `search` show what was learned there.
 */
export function cliUserId(flag: string | undefined): string {
  return flag ?? (process.env.AUTOSKILL_USER?.trim() || DEFAULT_USER_ID);
}

export { isPostgresUrl as isPostgresStore } from '../adapters/postgres/url.js';

/** The open is over: a long-running command's heap may now favour memory (see heap.ts). */
function openedAndSettled(sdk: AutoSkill): AutoSkill {
  settleHeapAfterOpen();
  return sdk;
}

/**
 * Open the SDK on `--store`: a folder (default `$AUTOSKILL_STORE` or `./Skills`), or a
 * `postgres://` URL (also `$AUTOSKILL_STORE_URL`) for the PostgreSQL backends that several
 * replicas share. The pg adapter is loaded only when asked for.
 */
export async function openSdk(
  storeFlag: string | undefined,
  extra: AutoSkillOptions = {},
  how: { settleHeap?: boolean; service?: boolean } = {},
): Promise<AutoSkill> {
  const logger = extra.logger ?? jsonLogger({ level: process.env.AUTOSKILL_LOG_LEVEL === 'debug' ? 'debug' : 'warn' });
  const arg = storeFlag ?? (process.env.AUTOSKILL_STORE_URL?.trim() || undefined);
  // `settleHeap: false`: the caller settles the heap itself, later (serve: after it listens)
  const opened = how.settleHeap === false ? (sdk: AutoSkill) => sdk : openedAndSettled;
  if (!isPostgresUrl(arg)) {
    // A long-running service answers from the tree its last run recorded and checks the folders
    // right after (FsSkillStoreOptions.verifyOnOpen); a one-shot command checks them first.
    const store = how.service ? { store: { verifyOnOpen: 'background' as const } } : {};
    return opened(await AutoSkill.open({ backends: fsBackends(storeDirFrom(arg), { logger, ...store }), logger, ...extra }));
  }
  // The preset brings store, journal, vectors and usage on one pool, and is closed with the SDK.
  const backends = await postgresBackends(arg, { applicationName: process.env.PGAPPNAME ?? 'autoskill' });
  try {
    return opened(await AutoSkill.open({ backends, logger, ...extra }));
  } catch (err) {
    await backends.close();
    throw new CliError(`cannot open the PostgreSQL store: ${(err as Error).message}`);
  }
}

/**
 * `openSdk` for commands that only read: a folder store that does not exist is an error, because
 * opening it would create an empty store and answer "0 skills" for a mistyped path. PostgreSQL
 * URLs are opened as usual (a wrong one fails to connect).
 */
export async function openExistingSdk(storeFlag: string | undefined, extra: AutoSkillOptions = {}): Promise<AutoSkill> {
  const arg = storeFlag ?? (process.env.AUTOSKILL_STORE_URL?.trim() || undefined);
  if (!isPostgresUrl(arg)) await assertStoreDir(storeDirFrom(arg), arg === undefined && process.env.AUTOSKILL_STORE === undefined);
  return openSdk(storeFlag, extra);
}

/** Throws a CliError (exit 1) unless `dir` is an existing folder; creates nothing. */
export async function assertStoreDir(dir: string, isDefault = false): Promise<void> {
  const info = await stat(dir).catch(() => undefined);
  const where = isDefault ? `${dir} (the default: give --store DIR or set AUTOSKILL_STORE)` : dir;
  if (!info) throw new CliError(`no store at ${where}: the folder does not exist; nothing was created`);
  if (!info.isDirectory()) throw new CliError(`no store at ${where}: not a folder`);
}

export function intFlag(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new CliError(`--${name} must be a non-negative integer, got "${value}"`, 2);
  return n;
}

export function numberFlag(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new CliError(`--${name} must be a number, got "${value}"`, 2);
  return n;
}

export function out(line = ''): void {
  process.stdout.write(line + '\n');
}
