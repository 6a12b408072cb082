import v8 from 'node:v8';

/**
 * V8 heap settings for the long-running commands (serve, mcp, chat): favour memory over speed.
 *
 * Node sizes V8's heap for throughput from the machine's memory: on a 24 GB host the new space
 * may grow to 128 MB and the old space grows well past the live data before a major GC. That
 * suits batch work (import, extract keep the defaults), but a server holding a skill bank keeps
 * that slack resident for its whole life, and an MCP server runs next to the user's editor.
 * Measured on the 5,182-skill bank (bench/phases.mjs serve): peak RSS 364 MB with Node's
 * defaults, ~305 MB with a 4 MB semi-space, ~230 MB with `--optimize-for-size` as well; the
 * cost is ~0.5 s more to open the store and search latency within noise of the default.
 *
 * The flags are set at runtime, before the store is loaded. Both semi-space flags are needed:
 * the maximum alone is not applied to a heap that already exists. Explicit settings win: nothing
 * is changed when a semi-space flag was passed to node (command line or NODE_OPTIONS) or
 * AUTOSKILL_HEAP=default is set.
 */
export const SERVICE_SEMI_SPACE_MB = 4;

export function tuneHeapForService(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.AUTOSKILL_HEAP === 'default') return false;
  const given = [...process.execArgv, env.NODE_OPTIONS ?? ''].join(' ');
  if (/semi[-_]space|optimize[-_]for[-_]size/.test(given)) return false;
  v8.setFlagsFromString(`--max-semi-space-size=${SERVICE_SEMI_SPACE_MB}`);
  v8.setFlagsFromString('--semi-space-growth-factor=1');
  v8.setFlagsFromString('--optimize-for-size');
  return true;
}
