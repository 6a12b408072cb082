/**
 * Retrieval-quality harness on the real skill bank.
 *
 *   npx tsx bench/quality.ts [bankDir] [--seed N] [--per N] [--check-seed N] [--no-baseline]
 *
 * Held-out set (built like the hidden evaluation): skills are shuffled with a fixed seed; for
 * `per` skills with a Chinese trigger and `per` skills with an English (non-CJK) trigger, ONE
 * trigger phrase is removed from the skill before indexing and then used as the query; the
 * right answer is that skill. Only triggers that occur in exactly one skill are eligible: the
 * bank has template triggers shared by hundreds of skills ("Use when the user asks for a process
 * or checklist.") and exact duplicates across extraction runs, for which "the" right skill is
 * undefined. The whole bank is indexed (Common + ConvSkill + Users, all as library skills) and
 * searched with scope `all`.
 *
 * Reported per language: hit@1, hit@5 and MRR (ranks beyond 100 count as 0), for the product
 * (SkillIndex + LocalEmbedder) and for the bar: a plain BM25 (one weight per field, k1 1.2,
 * b 0.75) over the same tokenizer (ICU words + CJK bigrams). Also: search latency, and the
 * scores that greetings and chit-chat get (they should stay low).
 *
 * The held-out set cannot see the opposite case, a request that states a trigger the skill still
 * has plus its own payload ("write a report" + "about climate change in europe"): with the
 * answer's trigger removed, any reward for a stated trigger can only promote another skill. So
 * a second set measures it ("stated trigger"): per language up to 150 skills outside the
 * held-out cases, one unique multi-word trigger each, plus a payload about something else. It
 * reports how often that skill ranks first, and how often it would be injected by the SDK's
 * defaults (among the top 3 with score ≥ DEFAULT_RETRIEVAL.minScore).
 */
import { performance } from 'node:perf_hooks';
import { DEFAULT_RETRIEVAL } from '../src/engine/autoskill.js';
import { Bm25Index } from '../src/engine/index/bm25.js';
import { LocalEmbedder } from '../src/engine/index/local-embedder.js';
import { tokenize } from '../src/engine/index/tokenize.js';
import { retrievalFields, SkillIndex, type SkillIndexOptions } from '../src/engine/index/skill-index.js';
import type { Skill } from '../src/engine/skill/schema.js';
import { benchArgs, loadBank } from './bank.js';

export interface HeldOutCase {
  skillId: string;
  query: string;
  lang: 'en' | 'zh';
}

const HAN = /\p{Script=Han}/u;

export function mulberry32(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Pick the held-out cases and return the bank with each picked trigger removed. */
export function buildHeldOut(skills: Skill[], seed: number, perLang: number): { cases: HeldOutCase[]; skills: Skill[] } {
  const norm = (t: string): string => t.trim().toLowerCase();
  const freq = new Map<string, number>();
  for (const s of skills) for (const t of new Set(s.triggers.map(norm))) freq.set(t, (freq.get(t) ?? 0) + 1);
  const eligible = (t: string): boolean => t.trim().length > 0 && freq.get(norm(t)) === 1;

  const rnd = mulberry32(seed);
  const order = skills
    .map((_, i) => ({ i, r: rnd() }))
    .sort((a, b) => a.r - b.r)
    .map((x) => x.i);
  const out = skills.slice();
  const cases: HeldOutCase[] = [];
  let zh = 0;
  let en = 0;
  for (const i of order) {
    if (zh >= perLang && en >= perLang) break;
    const s = skills[i]!;
    const zhT = s.triggers.filter((t) => HAN.test(t) && eligible(t));
    const enT = s.triggers.filter((t) => !HAN.test(t) && eligible(t));
    let lang: 'zh' | 'en' | undefined;
    let pool: string[] = [];
    if (zh < perLang && zhT.length > 0) [lang, pool] = ['zh', zhT];
    else if (en < perLang && enT.length > 0) [lang, pool] = ['en', enT];
    if (!lang) continue;
    const trigger = pool[Math.floor(rnd() * pool.length)]!;
    const at = s.triggers.indexOf(trigger);
    out[i] = { ...s, triggers: s.triggers.filter((_, j) => j !== at) };
    cases.push({ skillId: s.id, query: trigger, lang });
    if (lang === 'zh') zh++;
    else en++;
  }
  return { cases, skills: out };
}

export interface Metrics {
  n: number;
  hit1: number;
  hit5: number;
  mrr: number;
}

type RankFn = (c: HeldOutCase) => Promise<number | undefined>;

export async function evaluate(cases: HeldOutCase[], rankOf: RankFn): Promise<Record<'en' | 'zh', Metrics>> {
  const acc = { en: { n: 0, hit1: 0, hit5: 0, mrr: 0 }, zh: { n: 0, hit1: 0, hit5: 0, mrr: 0 } };
  for (const c of cases) {
    const rank = await rankOf(c);
    const m = acc[c.lang];
    m.n++;
    if (rank === undefined) continue;
    if (rank === 1) m.hit1++;
    if (rank <= 5) m.hit5++;
    m.mrr += 1 / rank;
  }
  for (const m of Object.values(acc)) {
    if (m.n === 0) continue;
    m.hit1 /= m.n;
    m.hit5 /= m.n;
    m.mrr /= m.n;
  }
  return acc;
}

/** The bar: plain BM25 with one weight for every field, same tokenizer. */
export function baselineRanker(skills: Skill[]): RankFn {
  const bm = new Bm25Index({ k1: 1.2, fields: retrievalFields(skills[0]!).map((_, i) => ({ name: `f${i}`, weight: 1, b: 0.75 })) });
  for (const s of skills) bm.add(s.id, retrievalFields(s).map((f) => tokenize(f)));
  return async (c) => {
    const m = bm.search(tokenize(c.query));
    const slot = bm.slotOf(c.skillId);
    let target = -1;
    for (let i = 0; i < m.count; i++) if (m.slots[i] === slot) target = m.scores[i]!;
    if (target <= 0) return undefined;
    let rank = 1;
    for (let i = 0; i < m.count; i++) if (m.scores[i]! > target) rank++;
    return rank <= 100 ? rank : undefined;
  };
}

export async function productIndex(skills: Skill[], opts: Partial<SkillIndexOptions> = {}): Promise<SkillIndex> {
  const index = new SkillIndex({ embedder: new LocalEmbedder(), ...opts });
  await index.upsert(skills);
  return index;
}

export function productRanker(index: SkillIndex, latencies?: number[]): RankFn {
  return async (c) => {
    const t0 = performance.now();
    const hits = await index.search(c.query, { scope: 'all', limit: 100 });
    latencies?.push(performance.now() - t0);
    const at = hits.findIndex((h) => h.skill.id === c.skillId);
    return at < 0 ? undefined : at + 1;
  };
}

const PAYLOADS = {
  en: ['about climate change in europe', 'for my team meeting tomorrow', 'on the history of the roman empire', 'for a python web scraper'],
  zh: ['关于气候变化的影响', '给明天的团队会议', '关于罗马帝国的历史', '用于一个爬虫项目'],
};

export interface StatedCase {
  skillId: string;
  query: string;
  lang: 'en' | 'zh';
}

/** Requests that state one of a skill's own (unique, multi-word) triggers plus an unrelated payload. */
export function buildStated(skills: Skill[], exclude: ReadonlySet<string>, seed: number, perLang: number): StatedCase[] {
  const norm = (t: string): string => t.trim().toLowerCase();
  const freq = new Map<string, number>();
  for (const s of skills) for (const t of new Set(s.triggers.map(norm))) freq.set(t, (freq.get(t) ?? 0) + 1);
  const rnd = mulberry32(seed + 1000);
  const order = skills
    .map((s) => ({ s, r: rnd() }))
    .sort((a, b) => a.r - b.r)
    .map((x) => x.s);
  const out: StatedCase[] = [];
  const count = { en: 0, zh: 0 };
  for (const s of order) {
    if (exclude.has(s.id)) continue;
    const ok = s.triggers.filter((t) => freq.get(norm(t)) === 1 && t.length < 60 && (HAN.test(t) || t.trim().split(/\s+/).length >= 2));
    if (ok.length === 0) continue;
    const t = ok[Math.floor(rnd() * ok.length)]!;
    const lang = HAN.test(t) ? 'zh' : 'en';
    if (count[lang] >= perLang) continue;
    const p = PAYLOADS[lang][Math.floor(rnd() * PAYLOADS[lang].length)]!;
    out.push({ skillId: s.id, query: lang === 'zh' ? t + p : `${t} ${p}`, lang });
    count[lang]++;
    if (count.en >= perLang && count.zh >= perLang) break;
  }
  return out;
}

/** Share of stated-trigger requests whose skill ranks first, and that would be injected (top 3, score ≥ the injection threshold). */
export async function evaluateStated(index: SkillIndex, cases: StatedCase[]): Promise<Record<'en' | 'zh', { n: number; top1: number; injected: number }>> {
  const acc = { en: { n: 0, top1: 0, injected: 0 }, zh: { n: 0, top1: 0, injected: 0 } };
  for (const c of cases) {
    const hits = await index.search(c.query, { scope: 'all', limit: 3 });
    const at = hits.findIndex((h) => h.skill.id === c.skillId);
    const m = acc[c.lang];
    m.n++;
    if (at === 0) m.top1++;
    if (at >= 0 && hits[at]!.score >= DEFAULT_RETRIEVAL.minScore) m.injected++;
  }
  for (const m of Object.values(acc)) {
    if (m.n === 0) continue;
    m.top1 /= m.n;
    m.injected /= m.n;
  }
  return acc;
}

const CHITCHAT = [
  'hello', 'hi', 'hi there', 'thanks', 'thank you!', 'ok', 'yes', 'continue', 'good morning', 'how are you?',
  '你好', '您好', '谢谢', '好的', '继续', '嗯', '在吗', '早上好', '今天天气怎么样', '哈哈',
];

function pct(x: number): string {
  return (100 * x).toFixed(1).padStart(5);
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
}

async function main(): Promise<void> {
  const { bankDir, num: flag, has } = benchArgs();
  const seeds = [flag('--seed', 1)];
  const check = flag('--check-seed', NaN);
  if (Number.isFinite(check)) seeds.push(check);
  const per = flag('--per', 400);
  const withBaseline = !has('--no-baseline');

  let t0 = performance.now();
  const { skills: bank, skipped } = loadBank(bankDir);
  console.log(`bank: ${bank.length} skills parsed (${skipped} skipped) in ${(performance.now() - t0).toFixed(0)} ms`);

  const rows: string[] = [];
  const stated: string[] = [];
  const header = 'seed  system              lang    n   hit@1  hit@5   MRR';
  for (const seed of seeds) {
    const { cases, skills } = buildHeldOut(bank, seed, per);
    const systems: Array<[string, RankFn]> = [];
    if (withBaseline) systems.push(['bm25 baseline', baselineRanker(skills)]);
    t0 = performance.now();
    const index = await productIndex(skills);
    const buildMs = performance.now() - t0;
    const lat: number[] = [];
    systems.push(['autoskill hybrid', productRanker(index, lat)]);
    for (const [name, rank] of systems) {
      const m = await evaluate(cases, rank);
      for (const lang of ['en', 'zh'] as const) {
        const x = m[lang];
        rows.push(`${String(seed).padEnd(5)} ${name.padEnd(19)} ${lang.padEnd(4)} ${String(x.n).padStart(4)}  ${pct(x.hit1)}  ${pct(x.hit5)}  ${x.mrr.toFixed(3)}`);
      }
    }
    const sm = await evaluateStated(index, buildStated(skills, new Set(cases.map((c) => c.skillId)), seed, 150));
    for (const lang of ['en', 'zh'] as const) {
      const x = sm[lang];
      stated.push(`${String(seed).padEnd(5)} ${lang.padEnd(4)} ${String(x.n).padStart(4)}  ${pct(x.top1)}  ${pct(x.injected)}`);
    }
    console.log(`seed ${seed}: index build ${buildMs.toFixed(0)} ms (${index.size()} skills, ${index.vectorCount()} vectors)`);
    console.log(`  search latency over ${lat.length} queries: p50 ${quantile(lat, 0.5).toFixed(2)} ms, p90 ${quantile(lat, 0.9).toFixed(2)} ms, p99 ${quantile(lat, 0.99).toFixed(2)} ms`);
    if (seed === seeds[0]) {
      const chit: string[] = [];
      for (const q of CHITCHAT) {
        const [top] = await index.search(q, { scope: 'all', limit: 1 });
        chit.push(`${q}=${top ? top.score.toFixed(2) : '-'}`);
      }
      console.log(`  top score for chit-chat: ${chit.join('  ')}`);
    }
  }
  console.log('\n' + header + '\n' + rows.join('\n'));
  console.log('\nstated trigger + payload (autoskill)\nseed  lang    n   top1  injected\n' + stated.join('\n'));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
