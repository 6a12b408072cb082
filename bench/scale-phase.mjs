/**
 * The measured phases of bench/scale.ts, each run in a fresh plain-Node process against the built
 * package (dist/), as bench/phases.mjs does for the bank: a TypeScript loader in the measured
 * process would add its own memory to every number.
 *
 *   node bench/scale-phase.mjs build <storeDir>                      first open: parse, tokenize, embed, save caches
 *   node bench/scale-phase.mjs serve <storeDir> <queries.json> <users> open with caches, then per-user searches
 *   node bench/scale-phase.mjs import <treeDir> <storeDir>            import a whole store tree into a fresh store
 *
 * Prints one JSON line.
 */
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { AutoSkill } from '../dist/index.js';
import { settleHeapAfterOpen, tuneHeapForService } from '../dist/cli/heap.js';

const peakRss = () => process.resourceUsage().maxRSS * 1024;
/** CPU time of this process so far (ms): on a shared machine wall time says little on its own */
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function build(dir) {
  const t = performance.now();
  const sdk = await AutoSkill.open({ storeDir: dir, learning: { start: false } });
  const buildMs = performance.now() - t;
  const buildCpuMs = cpuMs();
  const skills = sdk.vectorStatus().indexSize;
  await sdk.close();
  return { buildMs, buildCpuMs, skills, peakRss: peakRss() };
}

async function serve(dir, queriesFile, users) {
  tuneHeapForService();
  const queries = JSON.parse(await readFile(queriesFile, 'utf8'));
  const t = performance.now();
  const sdk = await AutoSkill.open({ storeDir: dir, learning: { start: false } });
  settleHeapAfterOpen(); // as the CLI's openSdk does
  const openMs = performance.now() - t;
  await sdk.search('write a weekly status report', { scope: 'all', userId: 'u0', limit: 5 });
  const coldMs = performance.now() - t;
  const coldCpuMs = cpuMs();
  const rssAfterOpen = process.memoryUsage().rss;
  // each query as a different user: the user's own skills plus the library
  const user = (i) => `u${(i * 7919) % users}`;
  for (let i = 0; i < 50; i++) await sdk.search(queries[i % queries.length], { scope: 'all', userId: user(i), limit: 5 });
  const times = [];
  for (let i = 0; i < queries.length; i++) {
    const s = performance.now();
    await sdk.search(queries[i], { scope: 'all', userId: user(i + 50), limit: 5 });
    times.push(performance.now() - s);
  }
  const out = { openMs, coldMs, coldCpuMs, rssAfterOpen, times, peakRss: peakRss() };
  await sdk.close();
  return out;
}

async function importTree(tree, dir) {
  const t = performance.now();
  const sdk = await AutoSkill.open({ storeDir: dir, learning: { start: false } });
  const report = await sdk.importSkills(tree, { layout: 'store' });
  const importMs = performance.now() - t;
  await sdk.close();
  return { importMs, importCpuMs: cpuMs(), imported: report.filter((r) => r.status === 'imported').length, peakRss: peakRss() };
}

const [phase, a, b, c] = process.argv.slice(2);
if (phase === 'build') console.log(JSON.stringify(await build(a)));
else if (phase === 'serve') console.log(JSON.stringify(await serve(a, b, Number(c))));
else if (phase === 'import') console.log(JSON.stringify(await importTree(a, b)));
else {
  console.error('usage: node bench/scale-phase.mjs build <store> | serve <store> <queries.json> <users> | import <tree> <store>');
  process.exit(2);
}
