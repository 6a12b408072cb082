/**
 * Injection bench: does the default injection threshold mean the same thing at every store size
 * and for every user?  (issue #12, "Done when")
 *
 *   npx tsx bench/injection.ts [bankDir] [--seed N] [--per N]     (npm run bench:injection)
 *
 * Per language (EN = Latin queries, ZH = Chinese queries) it prints:
 *  (a) 1-skill store: share of held-out trigger queries (built as in bench/quality.ts: one unique
 *      trigger removed from its skill and used as the query) whose skill, ALONE in the store,
 *      would be injected at the default threshold (score ≥ minScore);
 *  (b) full bank: share of unrelated requests (bench/unrelated.ts) for which anything would be
 *      injected (top-3, score ≥ minScore) with Common + ConvSkill imported;
 *  (c) user isolation: max and mean |Δscore| of user A's hits when user B adds 100 skills to the
 *      store (A = the bank's small Users/u* folders, B = 100 random ConvSkill skills);
 *  (d) hit@1 / hit@5 of the held-out set on the whole bank (same set as bench/quality.ts).
 * Also the offending unrelated queries with their best hit, for review.
 */
import { performance } from 'node:perf_hooks';
import { LocalEmbedder } from '../src/engine/index/local-embedder.js';
import { SkillIndex } from '../src/engine/index/skill-index.js';
import type { Skill } from '../src/engine/skill/schema.js';
import { benchArgs, loadBank } from './bank.js';
import { buildHeldOut, evaluate, mulberry32, productRanker, type HeldOutCase } from './quality.js';
import { UNRELATED_EN, UNRELATED_ZH } from './unrelated.js';

const HAN = /\p{Script=Han}/u;

async function defaultMinScore(): Promise<number> {
  const mod = (await import('../src/engine/autoskill.js')) as { DEFAULT_RETRIEVAL?: { minScore: number } };
  return mod.DEFAULT_RETRIEVAL?.minScore ?? 0.2;
}

async function indexOf(skills: Skill[]): Promise<SkillIndex> {
  const index = new SkillIndex({ embedder: new LocalEmbedder() });
  await index.upsert(skills);
  return index;
}

/** (a) each held-out case alone in a fresh store */
async function oneSkillPass(cases: HeldOutCase[], skills: Map<string, Skill>, min: number): Promise<Record<'en' | 'zh', { n: number; pass: number; scores: number[] }>> {
  const acc = { en: { n: 0, pass: 0, scores: [] as number[] }, zh: { n: 0, pass: 0, scores: [] as number[] } };
  for (const c of cases) {
    const index = await indexOf([skills.get(c.skillId)!]);
    const [top] = await index.search(c.query, { scope: 'all', limit: 1, minScore: 0 });
    const s = top?.score ?? 0;
    const a = acc[c.lang];
    a.n++;
    a.scores.push(s);
    if (s >= min) a.pass++;
  }
  return acc;
}

/** (b) unrelated requests on the full bank */
async function unrelatedInjected(index: SkillIndex, queries: readonly string[], min: number): Promise<{ n: number; injected: number; worst: string[]; tops: number[] }> {
  let injected = 0;
  const tops: number[] = [];
  const worst: Array<[number, string]> = [];
  for (const q of queries) {
    const hits = await index.search(q, { scope: 'all', limit: 3, minScore: 0 });
    const top = hits[0];
    if (top && top.score >= min) injected++;
    tops.push(top?.score ?? 0);
    if (top) worst.push([top.score, `${top.score.toFixed(3)}  ${q}  →  ${top.skill.name}`]);
  }
  worst.sort((a, b) => b[0] - a[0]);
  return { n: queries.length, injected, worst: worst.slice(0, 8).map((w) => w[1]), tops };
}

/** (c) user A's scores before and after user B adds 100 skills */
async function isolation(bankDir: string, seed: number): Promise<Record<'en' | 'zh', { pairs: number; max: number; mean: number }>> {
  const users = loadBank(bankDir, { include: ['Users'], owners: 'users' }).skills.filter((s) => /^user:u\d+$/.test(s.owner));
  const a = users.map((s) => ({ ...s, id: `a-${s.id}`, owner: 'user:A' as const }));
  const conv = loadBank(bankDir, { include: ['ConvSkill'] }).skills;
  const rnd = mulberry32(seed + 77);
  const b = conv
    .map((s) => ({ s, r: rnd() }))
    .sort((x, y) => x.r - y.r)
    .slice(0, 100)
    .map(({ s }) => ({ ...s, id: `b-${s.id}`, owner: 'user:B' as const }));
  // A's queries: A's own triggers and names, plus B's triggers (A asks about things B has).
  const queries = new Set<string>();
  for (const s of a) for (const t of s.triggers.slice(0, 2)) queries.add(t);
  for (const s of a) queries.add(s.name.replace(/-/g, ' '));
  for (const s of b.slice(0, 40)) if (s.triggers[0]) queries.add(s.triggers[0]);
  const index = await indexOf(a);
  const before = new Map<string, number>();
  for (const q of queries) for (const h of await index.search(q, { userId: 'A', scope: 'user', limit: 50, minScore: 0 })) before.set(`${q}\0${h.skill.id}`, h.score);
  await index.upsert(b);
  const acc = { en: { pairs: 0, max: 0, mean: 0 }, zh: { pairs: 0, max: 0, mean: 0 } };
  const seen = new Set<string>();
  for (const q of queries) {
    const lang = HAN.test(q) ? 'zh' : 'en';
    for (const h of await index.search(q, { userId: 'A', scope: 'user', limit: 50, minScore: 0 })) {
      const key = `${q}\0${h.skill.id}`;
      seen.add(key);
      const d = Math.abs(h.score - (before.get(key) ?? 0));
      acc[lang].pairs++;
      acc[lang].max = Math.max(acc[lang].max, d);
      acc[lang].mean += d;
    }
  }
  for (const [key, s] of before) {
    if (seen.has(key)) continue;
    const lang = HAN.test(key.split('\0')[0]!) ? 'zh' : 'en';
    acc[lang].pairs++;
    acc[lang].max = Math.max(acc[lang].max, s);
    acc[lang].mean += s;
  }
  for (const x of Object.values(acc)) if (x.pairs > 0) x.mean /= x.pairs;
  return acc;
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`.padStart(7);
}

async function main(): Promise<void> {
  const { bankDir, num: flag, has } = benchArgs();
  const seed = flag('--seed', 1);
  const per = flag('--per', 400);
  const min = await defaultMinScore();
  const t0 = performance.now();

  const { skills: whole } = loadBank(bankDir);
  const { cases, skills: heldSkills } = buildHeldOut(whole, seed, per);
  const byId = new Map(heldSkills.map((s) => [s.id, s]));
  const a = await oneSkillPass(cases, byId, min);

  const fullIndex = await indexOf(heldSkills);
  const d = await evaluate(cases, productRanker(fullIndex));

  const library = loadBank(bankDir, { include: ['Common', 'ConvSkill'] }).skills;
  const libIndex = await indexOf(library);
  const b = { en: await unrelatedInjected(libIndex, UNRELATED_EN, min), zh: await unrelatedInjected(libIndex, UNRELATED_ZH, min) };

  const c = await isolation(bankDir, seed);

  console.log(`injection threshold (DEFAULT_RETRIEVAL.minScore) = ${min}; seed ${seed}; ${(performance.now() - t0) / 1000 | 0} s`);
  console.log('lang  (a) 1-skill pass   (b) unrelated inject   (c) A drift max / mean (pairs)   (d) hit@1  hit@5');
  for (const lang of ['en', 'zh'] as const) {
    const ra = a[lang];
    const rb = b[lang];
    const rc = c[lang];
    const rd = d[lang];
    console.log(
      `${lang.padEnd(4)}  ${pct(ra.pass / ra.n)} (${ra.pass}/${ra.n})   ${pct(rb.injected / rb.n)} (${rb.injected}/${rb.n})      ` +
        `${rc.max.toFixed(4)} / ${rc.mean.toFixed(4)} (${rc.pairs})              ${pct(rd.hit1)} ${pct(rd.hit5)}`,
    );
  }
  for (const lang of ['en', 'zh'] as const) {
    const s = [...a[lang].scores].sort((x, y) => x - y);
    const q = (p: number): string => (s[Math.floor(p * (s.length - 1))] ?? 0).toFixed(3);
    console.log(`  (a) ${lang} 1-skill score quantiles: p10 ${q(0.1)}  p25 ${q(0.25)}  p50 ${q(0.5)}`);
  }
  const share = (xs: number[], t: number): string => pct(xs.filter((x) => x >= t).length / xs.length);
  console.log('  threshold sweep: t   (a) en   (a) zh   (b) en   (b) zh');
  for (const t of [0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5]) {
    console.log(`                 ${t.toFixed(2)} ${share(a.en.scores, t)} ${share(a.zh.scores, t)} ${share(b.en.tops, t)} ${share(b.zh.tops, t)}`);
  }
  for (const lang of ['en', 'zh'] as const) console.log(`  (b) ${lang} highest unrelated:\n    ${b[lang].worst.join('\n    ')}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
