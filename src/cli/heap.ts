import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * V8 heap settings for the long-running commands (serve, mcp, chat): favour memory over speed,
 * once the store is open.
 *
 * Node sizes V8's heap for throughput from the machine's memory: on a 24 GB host the new space
 * may grow to 128 MB and the old space grows well past the live data before a major GC. That
 * suits batch work (import, extract keep the defaults), but a server holding a skill bank keeps
 * that slack resident for its whole life, and an MCP server runs next to the user's editor.
 * Measured on the 5,182-skill bank (bench/phases.mjs serve): peak RSS 364 MB with Node's
 * defaults, ~305 MB with a 4 MB semi-space, ~205 MB with `--optimize-for-size` as well.
 *
 * Two steps, because `--optimize-for-size` is expensive while the heap grows: it lets the old
 * space grow only a little past the live data, so opening the store (0 → ~150 MB live) runs one
 * full GC after another: ~0.8 s more CPU to the first search, most of a restart's cold start.
 * So `tuneHeapForService` (at start) caps the young generation only, and `settleHeapAfterOpen`
 * (once the store is open: openSdk) turns `--optimize-for-size` on and runs one compacting full GC,
 * which gives back the open's garbage. Measured on the bank (bench/phases.mjs serve, alternating
 * runs, medians): CPU to the first search 2.4 → 1.4 s; RSS after the open lower (see the GC below),
 * the peak while opening ~25 MB higher.
 *
 * The semi-space flags are set at runtime, before the store is loaded; both are needed: the
 * maximum alone is not applied to a heap that already exists. Explicit settings win: nothing is
 * changed when a semi-space or size flag was passed to node (command line or NODE_OPTIONS) or
 * AUTOSKILL_HEAP=default is set.
 */
export const SERVICE_SEMI_SPACE_MB = 4;

let tuned = false;

/**
 * `onStoreLoaded`: the engine's hook between reading the store and loading the index (passed in by
 * the caller, so this module loads nothing of the engine: the young generation must be capped
 * before a heap that loading the engine would grow).
 */
export function tuneHeapForService(env: NodeJS.ProcessEnv = process.env, onStoreLoaded?: (hook: () => void) => () => void): boolean {
  if (env.AUTOSKILL_HEAP === 'default') return false;
  const given = [...process.execArgv, env.NODE_OPTIONS ?? ''].join(' ');
  if (/semi[-_]space|optimize[-_]for[-_]size/.test(given)) return false;
  v8.setFlagsFromString(`--max-semi-space-size=${SERVICE_SEMI_SPACE_MB}`);
  v8.setFlagsFromString('--semi-space-growth-factor=1');
  tuned = true;
  // Midway through the open, once the store is read: collect what reading it left behind
  // before the index load allocates as much again. Bank: peak RSS of the open ~290 -> ~240 MB
  // for one full GC of a ~70 MB heap (~30-40 ms).
  unhook = onStoreLoaded?.(() => {
    if (tuned) fullGc('major');
  });
  return true;
}

let unhook: (() => void) | undefined;

function fullGc(flavor: 'major' | 'last-resort'): void {
  // gc() is not exposed without the flag; a context created after setting it has it.
  v8.setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (opts?: object) => void;
  gc(flavor === 'major' ? { type: 'major', execution: 'sync' } : { type: 'major', execution: 'sync', flavor: 'last-resort' });
}

/**
 * After the store is open, in a process `tuneHeapForService` tuned: from now on the heap stays
 * close to the live data, and one full GC now returns what the open left behind. A no-op (false)
 * otherwise, so every command may call it.
 */
export function settleHeapAfterOpen(): boolean {
  if (!tuned) return false;
  tuned = false;
  unhook?.();
  unhook = undefined;
  v8.setFlagsFromString('--optimize-for-size');
  // The last-resort flavour also compacts and hands the emptied pages back to the system (RSS
  // after the open on the bank: ~165 MB instead of ~210 with a plain full GC, for ~0.1 s more
  // CPU); a V8 that does not know the option runs a plain full GC.
  fullGc('last-resort');
  return true;
}
