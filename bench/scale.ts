/**
 * Scale benchmark: synthetic stores of 5k–100k skills spread over users, built from the skill bank.
 *
 *   npx tsx bench/scale.ts [bankDir] [--sizes 5000,20000,50000,100000] [--common 1000] [--per-user 100]
 *                          [--import-max 20000] [--queries 500]
 *
 * Needs the built package (dist/): run `npm run bench` or `npx tsc -p tsconfig.json` first.
 *
 * Each store holds `common` library skills (Common/bank/…) and the rest as users' skills,
 * `per-user` each (Users/u<j>/…), every one a bank skill under its own id and name, written as
 * SKILL.md files in the store layout. Per size, each phase in a fresh process (bench/scale-phase.mjs):
 * the first open (parse, tokenize, embed, save the caches), then a serving process: open with
 * caches, first search, and `queries` bank trigger phrases each searched as a different user
 * (scope `all`: the user's skills plus the library). Import (the same tree into a fresh store) is
 * timed up to `import-max` skills. Prints a table; never asserts on time.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderSkillMd } from '../src/engine/skill/skill-md.js';
import type { Skill } from '../src/engine/skill/schema.js';
import { benchArgs, loadBank, runPhaseScript } from './bank.js';
import { readBankQueries } from './queries.js';

const PHASE = fileURLToPath(new URL('./scale-phase.mjs', import.meta.url));
const MB = 1024 * 1024;

const runPhase = <T>(args: string[]): Promise<T> => runPhaseScript<T>(PHASE, args);

const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** Write a store tree of `n` skills: `common` library skills, the rest `perUser` per user. */
function writeTree(root: string, templates: Skill[], n: number, common: number, perUser: number): number {
  const write = (dir: string, skill: Skill): void => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'SKILL.md'), renderSkillMd(skill));
  };
  const c = Math.min(common, n);
  for (let i = 0; i < c; i++) {
    const t = templates[i % templates.length]!;
    const slug = `s${i}`;
    write(path.join(root, 'Common', 'bank', slug), { ...t, id: `lib-${i}`, owner: 'library:bank', slug, resources: [] });
  }
  let users = 0;
  for (let i = c, j = 0; i < n; j++) {
    users++;
    for (let k = 0; k < perUser && i < n; k++, i++) {
      const t = templates[i % templates.length]!;
      const slug = `s${k}`;
      write(path.join(root, 'Users', `u${j}`, slug), { ...t, id: `u${j}-${k}`, name: `${t.name} ${k}`, owner: `user:u${j}`, slug, resources: [] });
    }
  }
  return users;
}

async function main(): Promise<void> {
  const args = benchArgs();
  if (!existsSync(fileURLToPath(new URL('../dist/index.js', import.meta.url)))) throw new Error('dist/ is missing: run `npx tsc -p tsconfig.json` first');
  const sizes = (args.str('--sizes') ?? '5000,20000,50000,100000').split(',').map(Number);
  const common = args.num('--common', 1000);
  const perUser = args.num('--per-user', 100);
  const importMax = args.num('--import-max', 20000);
  const { skills: templates } = loadBank(args.bankDir);
  const rows: string[] = [];
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'autoskill-scale-'));
  try {
    const queriesFile = path.join(tmp, 'queries.json');
    await writeFile(queriesFile, JSON.stringify(await readBankQueries(args.bankDir, args.num('--queries', 500))));
    for (const n of sizes) {
      const store = path.join(tmp, `store-${n}`);
      const t = performance.now();
      const users = writeTree(store, templates, n, common, perUser);
      const writeMs = performance.now() - t;
      const b = await runPhase<{ buildMs: number; buildCpuMs: number; skills: number; peakRss: number }>(['build', store]);
      const s = await runPhase<{ openMs: number; coldMs: number; coldCpuMs: number; rssAfterOpen: number; times: number[]; peakRss: number }>(['serve', store, queriesFile, String(users)]);
      let imp = '—';
      if (n <= importMax) {
        const fresh = path.join(tmp, `import-${n}`);
        const r = await runPhase<{ importMs: number; importCpuMs: number; imported: number; peakRss: number }>(['import', store, fresh]);
        imp = `${(r.importMs / 1000).toFixed(1)} s, CPU ${(r.importCpuMs / 1000).toFixed(1)} s (peak ${(r.peakRss / MB).toFixed(0)} MB)`;
        await rm(fresh, { recursive: true, force: true });
      }
      const times = [...s.times].sort((x, y) => x - y);
      const row = `| ${n.toLocaleString('en')} (${users} users) | ${(b.buildMs / 1000).toFixed(1)} s, CPU ${(b.buildCpuMs / 1000).toFixed(1)} s (peak ${(b.peakRss / MB).toFixed(0)} MB) | ${(s.openMs / 1000).toFixed(2)} s | ${(s.coldMs / 1000).toFixed(2)} s, CPU ${(s.coldCpuMs / 1000).toFixed(2)} s | ${pct(times, 50).toFixed(2)} / ${pct(times, 99).toFixed(2)} ms | ${(s.rssAfterOpen / MB).toFixed(0)} / ${(s.peakRss / MB).toFixed(0)} MB | ${imp} |`;
      rows.push(row);
      console.error(`${n}: files written in ${(writeMs / 1000).toFixed(1)} s; ${row}`);
      await rm(store, { recursive: true, force: true });
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  console.log(`\nautoskill scale benchmark — ${common} library skills, ${perUser} per user; search = one user (own + library), scope all, top 5\n`);
  console.log('| skills | first open (build) | open (cached) | open → first search (CPU incl. module load) | search p50 / p99 | RSS after open / peak serving | import |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
}

await main();
