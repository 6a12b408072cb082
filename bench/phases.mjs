/**
 * The two measured phases of `npm run bench`, each run in a fresh process by bench/engine.ts.
 *
 * Plain JavaScript against the built package (dist/), started with plain `node`: that is what
 * `autoskill serve` runs, so its memory is what a deployment sees. A TypeScript loader in the
 * measured process would add its own compiler and module copies (~30 MB) to every number.
 *
 *   node bench/phases.mjs import <bankDir> <storeDir>
 *   node bench/phases.mjs rebuild <storeDir>
 *   node bench/phases.mjs serve <storeDir> <queries.json>
 *
 * Prints one JSON line with the results.
 */
import module from 'node:module';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

// As bin/autoskill.js does: compiled code is reused from the on-disk cache (filled by the
// earlier phases, as by an earlier run of the server), so the serve phase starts as a restart does.
module.enableCompileCache?.();
const { AutoSkill, fsBackends } = await import('../dist/index.js');
const { settleHeapAfterOpen, tuneHeapForService } = await import('../dist/cli/heap.js');

/** Peak resident set size of this process so far, in bytes (kernel high-water mark). */
const peakRss = () => process.resourceUsage().maxRSS * 1024;
/** CPU time of this process so far (ms, all threads): on a shared machine wall time alone says little */
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function importPhase(bank, dir) {
  const t = performance.now();
  const sdk = await AutoSkill.open({ storeDir: dir, learning: { start: false } });
  const report = await sdk.importSkills(bank, { scope: 'common', library: 'bank' });
  const importMs = performance.now() - t;
  await sdk.close();
  const imported = report.filter((r) => r.status === 'imported').length;
  return { importMs, importCpuMs: cpuMs(), imported, reported: report.length - imported, peakRss: peakRss() };
}

/**
 * Open a built store whose caches (parse cache, term cache, vectors) were deleted: every skill is
 * parsed, tokenized and embedded again. This is the index build proper, without the file writes
 * of an import (what the original implementation's 9.4 s "index build" measured).
 */
async function rebuildPhase(dir) {
  await rm(path.join(dir, 'vectors'), { recursive: true, force: true });
  await rm(path.join(dir, '.autoskill', 'cache'), { recursive: true, force: true });
  const t = performance.now();
  const sdk = await AutoSkill.open({ storeDir: dir, learning: { start: false } });
  const rebuildMs = performance.now() - t;
  const rebuildCpuMs = cpuMs();
  const skills = sdk.vectorStatus().indexSize;
  await sdk.close();
  return { rebuildMs, rebuildCpuMs, skills, peakRss: peakRss() };
}

async function servePhase(dir, queriesFile) {
  // The serving process is measured as `autoskill serve` runs it (see src/cli/heap.ts).
  tuneHeapForService();
  const queries = JSON.parse(await readFile(queriesFile, 'utf8'));
  const t = performance.now();
  // opened as `autoskill serve` opens it (src/cli/common.ts): the folders are checked right after
  const sdk = await AutoSkill.open({ backends: fsBackends(dir, { store: { verifyOnOpen: 'background' } }), learning: { start: false } });
  await sdk.search('write a weekly status report', { scope: 'all', limit: 5 });
  const done = performance.now();
  await sdk.settled(); // the check of the folders, before the searches are timed
  const coldCpuMs = cpuMs();
  // as `autoskill serve` does once it listens (src/cli/commands/serve.ts): after the first answer
  settleHeapAfterOpen();
  const mem = process.memoryUsage();

  for (const q of queries.slice(0, 50)) await sdk.search(q, { scope: 'all', limit: 5 }); // warm-up
  const times = [];
  for (const q of queries) {
    const s = performance.now();
    await sdk.search(q, { scope: 'all', limit: 5 });
    times.push(performance.now() - s);
  }
  const peakServingRss = peakRss();

  const u = performance.now();
  await sdk.upsert(
    { name: 'bench-upsert', description: 'A skill written by the benchmark.', instructions: '# Goal\nMeasure one upsert.', triggers: ['benchmark upsert'], tags: ['bench'] },
    { owner: 'user:bench' },
  );
  await sdk.settled();
  const upsertMs = performance.now() - u;
  await sdk.close();
  return {
    processToFirstMs: done,
    coldMs: done - t,
    coldCpuMs,
    rssAfterOpen: mem.rss,
    heapAfterOpen: mem.heapUsed,
    times,
    peakServingRss,
    upsertMs,
    peakRss: peakRss(),
  };
}

const [phase, a, b] = process.argv.slice(2);
if (phase === 'import') console.log(JSON.stringify(await importPhase(a, b)));
else if (phase === 'rebuild') console.log(JSON.stringify(await rebuildPhase(a)));
else if (phase === 'serve') console.log(JSON.stringify(await servePhase(a, b)));
else {
  console.error('usage: node bench/phases.mjs import <bank> <store> | rebuild <store> | serve <store> <queries.json>');
  process.exit(2);
}
