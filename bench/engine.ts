/**
 * Engine benchmark on the real skill bank: import/index time, cold start, search latency,
 * one upsert into the full store, and peak RSS. Prints a table; never asserts on time.
 *
 *   npm run bench [-- <bankDir>]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { AutoSkill } from '../src/engine/autoskill.js';
import { readBankQueries } from './queries.js';

const bank = path.resolve(process.argv[2] ?? process.env.AUTOSKILL_BANK ?? '../shared/data/skillbank');

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const rows: Array<[string, string]> = [];
const dir = await mkdtemp(path.join(os.tmpdir(), 'autoskill-bench-'));
try {
  // 1. import + index everything into a fresh store
  let t = performance.now();
  const sdk = await AutoSkill.open({ storeDir: dir });
  const report = await sdk.importSkills(bank, { scope: 'common', library: 'bank' });
  await sdk.settled();
  const importMs = performance.now() - t;
  const imported = report.filter((r) => r.status === 'imported').length;
  rows.push(['import + index (fresh store)', `${(importMs / 1000).toFixed(2)} s for ${imported} skills (${report.length - imported} reported, not imported)`]);
  await sdk.close();

  // 2. cold start to first search on the built store
  t = performance.now();
  const cold = await AutoSkill.open({ storeDir: dir });
  await cold.search('write a weekly status report', { scope: 'all', limit: 5 });
  rows.push(['cold start → first search', `${((performance.now() - t) / 1000).toFixed(2)} s`]);

  // 3. search latency over a query set built from the bank (trigger phrases, EN + ZH)
  const queries = await readBankQueries(bank, 1000);
  for (const q of queries.slice(0, 50)) await cold.search(q, { scope: 'all', limit: 5 }); // warm-up
  const times: number[] = [];
  for (const q of queries) {
    const s = performance.now();
    await cold.search(q, { scope: 'all', limit: 5 });
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  rows.push([`search latency (${times.length} queries)`, `p50 ${pct(times, 50).toFixed(2)} ms · p95 ${pct(times, 95).toFixed(2)} ms · p99 ${pct(times, 99).toFixed(2)} ms`]);

  // 4. one upsert into the full store (write + history + index)
  t = performance.now();
  await cold.upsert(
    { name: 'bench-upsert', description: 'A skill written by the benchmark.', instructions: '# Goal\nMeasure one upsert.', triggers: ['benchmark upsert'], tags: ['bench'] },
    { owner: 'user:bench' },
  );
  await cold.settled();
  rows.push(['one upsert into the full store', `${(performance.now() - t).toFixed(1)} ms`]);
  await cold.close();
} finally {
  clearInterval(sampler);
  await rm(dir, { recursive: true, force: true });
}
rows.push(['peak RSS', `${(peakRss / 1024 / 1024).toFixed(0)} MB`]);

const w = Math.max(...rows.map((r) => r[0].length));
console.log(`\nautoskill engine benchmark — bank: ${bank}\n`);
console.log(`| ${'measure'.padEnd(w)} | result |`);
console.log(`|${'-'.repeat(w + 2)}|--------|`);
for (const [k, v] of rows) console.log(`| ${k.padEnd(w)} | ${v} |`);
