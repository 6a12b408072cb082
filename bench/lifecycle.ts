/**
 * Seed-lifecycle bench (issue #12 "Done when"): pass rates of the paraphrase sets per
 * step × language × store (empty / whole bank) × surface, the canonical lifecycle per surface,
 * and every failing phrasing with the reason. Prints tables; asserts nothing, never times.
 *
 *   npm run bench:lifecycle -- [--surfaces sdk,proxy,ai-sdk,langchain,mcp] [--stores empty,bank]
 *     [--langs en,zh] [--steps A,B,C,D,E,U,BCD] [--limit N] [--bank-store DIR | --keep-bank DIR]
 *     [--sets DIR]
 *
 * --bank-store reuses a store that already holds the bank (saves the ~20-60 s import);
 * --keep-bank imports into DIR and leaves it there for the next run. Users are new per run.
 * --sets DIR runs held-out paraphrase sets (DIR/en.json, DIR/zh.json, same schema) instead of ours.
 * Steps: see test/helpers/lifecycle.ts. "U common" counts unrelated requests for which a Common
 * bank skill reached the model (reported, not judged: some may be genuine matches).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { closeFakeUpstream, SURFACES, type SurfaceName } from '../test/helpers/lifecycle-drivers.js';
import { failures, LANGS, loadParaphrases, rateOf, STEPS, type Lang, type Step, type StepResult } from '../test/helpers/lifecycle.js';
import { bankStore, canonicalOn, importBank, emptyStores, paraphrasesOn, type LifecycleStore, type StoreKind } from '../test/helpers/lifecycle-run.js';

const { values } = parseArgs({
  options: {
    surfaces: { type: 'string', default: SURFACES.join(',') },
    stores: { type: 'string', default: 'empty,bank' },
    langs: { type: 'string', default: LANGS.join(',') },
    steps: { type: 'string', default: STEPS.join(',') },
    limit: { type: 'string' },
    'bank-store': { type: 'string' },
    'keep-bank': { type: 'string' },
    sets: { type: 'string' },
  },
});
const list = <T extends string>(v: string, allowed: readonly T[], what: string): T[] =>
  v.split(',').map((s) => {
    if (!allowed.includes(s.trim() as T)) throw new Error(`unknown ${what}: ${s} (one of ${allowed.join(', ')})`);
    return s.trim() as T;
  });
const surfaces = list(values.surfaces, SURFACES, 'surface');
const stores = list(values.stores, ['empty', 'bank'] as const, 'store');
const langs = list(values.langs, LANGS, 'language');
const steps = list(values.steps, STEPS, 'step');
const limit = values.limit ? Number(values.limit) : Infinity;

async function openStore(kind: StoreKind): Promise<LifecycleStore> {
  if (kind === 'empty') return emptyStores();
  let dir = values['bank-store'] ? path.resolve(values['bank-store']) : undefined;
  if (!dir && values['keep-bank']) {
    dir = path.resolve(values['keep-bank']);
    await mkdir(dir, { recursive: true });
    const t = performance.now();
    const n = await importBank(dir);
    console.log(`imported the bank into ${dir}: ${n} skills in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const t = performance.now();
  const s = await bankStore(dir);
  console.log(`bank store ready: ${s.skills} skills (${((performance.now() - t) / 1000).toFixed(1)} s)`);
  return s;
}

interface Row {
  store: StoreKind;
  surface: SurfaceName;
  lang: Lang;
  canonical: string;
  rates: Partial<Record<Step, string>>;
  common?: number;
}

const rows: Row[] = [];
const failing: string[] = [];
const pct = (r: { passed: number; total: number; rate: number }) => `${r.passed}/${r.total} ${(r.rate * 100).toFixed(0)}%`;
const started = performance.now();

for (const kind of stores) {
  const store = await openStore(kind);
  try {
    for (const surface of surfaces) {
      for (const lang of langs) {
        const set = await loadParaphrases(lang, values.sets ? path.resolve(values.sets) : undefined);
        const t = performance.now();
        const canon = await canonicalOn(store, surface, set);
        const bad = canon.filter((c) => !c.pass);
        const row: Row = { store: kind, surface, lang, canonical: bad.length ? `FAIL ${bad.map((c) => c.step).join('')}` : 'ok', rates: {} };
        for (const c of bad) failing.push(`${kind} ${surface} ${lang} canonical [${c.step}] → ${c.reason}`);
        for (const step of steps) {
          const results: StepResult[] = await paraphrasesOn(store, surface, set, step, limit);
          row.rates[step] = pct(rateOf(results));
          if (step === 'U' && kind === 'bank') row.common = results.filter((r) => (r.common?.length ?? 0) > 0).length;
          for (const f of failures(results)) failing.push(`${kind} ${surface} ${lang} ${f}`);
          if (step === 'U' && kind === 'bank') {
            for (const r of results) if (r.common?.length) failing.push(`${kind} ${surface} ${lang} [U common, not judged] ${r.phrasing}\n      → ${r.common.join(', ')}`);
          }
        }
        rows.push(row);
        console.log(`${kind} ${surface} ${lang}: done in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      }
    }
  } finally {
    await store.close();
  }
}
await closeFakeUpstream();

const header = ['store', 'surface', 'lang', 'canonical', ...steps, ...(stores.includes('bank') && steps.includes('U') ? ['U common'] : [])];
const table = rows.map((r) => [r.store, r.surface, r.lang, r.canonical, ...steps.map((s) => r.rates[s] ?? ''), ...(header.includes('U common') ? [r.common === undefined ? '' : String(r.common)] : [])]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ') + ' |';
console.log('\n' + line(header));
console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
for (const row of table) console.log(line(row));
console.log(`\n(${((performance.now() - started) / 1000).toFixed(0)} s; target per step and language: >= 95%, U: 100%)`);
if (failing.length) {
  console.log(`\nFailing phrasings (${failing.length}):`);
  for (const f of failing) console.log(`- ${f}`);
}
