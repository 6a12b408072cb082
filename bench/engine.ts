/**
 * Engine benchmark on the real skill bank: import/index time, cold start, search latency,
 * one upsert into the full store, and peak RSS per phase. Prints a table; never asserts on time.
 *
 *   npm run bench [-- <bankDir>]      (builds dist/ first: the phases run the built package)
 *
 * Each phase runs in its own child process so that its peak RSS is its own: a server that opens
 * a built store never pays for the import that built it, and the import's garbage must not be
 * billed to serving. Peak RSS is the kernel's high-water mark for the child
 * (`process.resourceUsage().maxRSS`), not a sampled value, so short spikes are counted too.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPhaseScript } from './bank.js';
import { readBankQueries } from './queries.js';

const MB = 1024 * 1024;

interface ImportResult {
  importMs: number;
  importCpuMs: number;
  imported: number;
  reported: number;
  peakRss: number;
}

interface RebuildResult {
  rebuildMs: number;
  rebuildCpuMs: number;
  skills: number;
  peakRss: number;
}

interface ServeResult {
  /** process start (before loading any module) → first search answered */
  processToFirstMs: number;
  /** AutoSkill.open → first search answered */
  coldMs: number;
  /** CPU time of the serving process up to the first search (module loading included) */
  coldCpuMs: number;
  rssAfterOpen: number;
  heapAfterOpen: number;
  times: number[];
  peakServingRss: number;
  upsertMs: number;
  peakRss: number;
}

const PHASES = fileURLToPath(new URL('./phases.mjs', import.meta.url));

const runPhase = <T>(args: string[]): Promise<T> => runPhaseScript<T>(PHASES, args);

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  const bank = path.resolve(process.argv[2] ?? process.env.AUTOSKILL_BANK ?? '../shared/data/skillbank');
  /** measure, result, target (issue #15; empty when there is none) */
  const rows: Array<[string, string, string?]> = [];
  const dir = await mkdtemp(path.join(os.tmpdir(), 'autoskill-bench-'));
  try {
    const queriesFile = path.join(dir, 'queries.json');
    // Built here, not in the serving child, so that reading the bank is not billed to serving.
    await writeFile(queriesFile, JSON.stringify(await readBankQueries(bank, 1000)));
    const store = path.join(dir, 'store');

    // 1. import + index everything into a fresh store
    const imp = await runPhase<ImportResult>(['import', bank, store]);
    rows.push([
      'import + index (fresh store)',
      `${(imp.importMs / 1000).toFixed(2)} s for ${imp.imported} skills (${imp.reported} reported, not imported); CPU ${(imp.importCpuMs / 1000).toFixed(2)} s`,
      '≤ 10 s',
    ]);
    rows.push(['peak RSS during import', `${(imp.peakRss / MB).toFixed(0)} MB`]);

    // 2. the index build alone: open the built store with its caches deleted
    const reb = await runPhase<RebuildResult>(['rebuild', store]);
    rows.push([
      'index build (open, caches deleted)',
      `${(reb.rebuildMs / 1000).toFixed(2)} s for ${reb.skills} skills (peak RSS ${(reb.peakRss / MB).toFixed(0)} MB); CPU ${(reb.rebuildCpuMs / 1000).toFixed(2)} s`,
      '≤ 5 s',
    ]);

    // 3–5. a fresh process serving the built store: cold start, searches, one upsert
    const srv = await runPhase<ServeResult>(['serve', store, queriesFile]);
    rows.push([
      'cold start → first search',
      `${(srv.coldMs / 1000).toFixed(2)} s (process start → first search ${(srv.processToFirstMs / 1000).toFixed(2)} s; CPU ${(srv.coldCpuMs / 1000).toFixed(2)} s)`,
      '≤ 0.5 s',
    ]);
    const times = [...srv.times].sort((a, b) => a - b);
    rows.push([`search latency (${times.length} queries)`, `p50 ${pct(times, 50).toFixed(2)} ms · p95 ${pct(times, 95).toFixed(2)} ms · p99 ${pct(times, 99).toFixed(2)} ms`]);
    rows.push(['one upsert into the full store', `${srv.upsertMs.toFixed(1)} ms`]);
    rows.push(['RSS / heap used after open', `${(srv.rssAfterOpen / MB).toFixed(0)} MB / ${(srv.heapAfterOpen / MB).toFixed(0)} MB`]);
    rows.push([`peak RSS serving (open + ${times.length + 50} searches)`, `${(srv.peakServingRss / MB).toFixed(0)} MB`, '≤ 150 MB']);
    rows.push(['peak RSS serving incl. the upsert', `${(srv.peakRss / MB).toFixed(0)} MB`]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  const w = Math.max(...rows.map((r) => r[0].length));
  console.log(`\nautoskill engine benchmark — bank: ${bank} (load average ${os.loadavg()[0]!.toFixed(1)} on ${os.availableParallelism()} cores)\n`);
  console.log(`| ${'measure'.padEnd(w)} | result | target |`);
  console.log(`|${'-'.repeat(w + 2)}|--------|--------|`);
  for (const [k, v, t] of rows) console.log(`| ${k.padEnd(w)} | ${v} | ${t ?? ''} |`);
}

await main();
