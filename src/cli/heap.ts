import v8 from 'node:v8';

/**
 * Young-generation sizing for the long-running commands (serve, mcp, chat).
 *
 * Node sizes V8's new space from the machine's memory: on a 24 GB host it may grow to 128 MB,
 * which pays off for allocation-heavy batch work but then stays resident for a server whose
 * requests allocate a few hundred kilobytes each. Capping the semi-space at 4 MB (and stopping
 * its growth) cut the resident set of a server holding the 5,182-skill bank by about 60 MB with
 * unchanged search latency (bench/phases.mjs). Batch commands (import, extract) keep the default.
 *
 * The flags are set at runtime, before the store is loaded; both are needed, because the
 * maximum alone is not applied to a heap that already exists. Explicit settings win: nothing is
 * changed when the user passed a semi-space flag on the command line or in NODE_OPTIONS.
 */
export const SERVICE_SEMI_SPACE_MB = 4;

export function tuneHeapForService(): boolean {
  const given = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' ');
  if (/semi[-_]space/.test(given)) return false;
  v8.setFlagsFromString(`--max-semi-space-size=${SERVICE_SEMI_SPACE_MB}`);
  v8.setFlagsFromString('--semi-space-growth-factor=1');
  return true;
}
