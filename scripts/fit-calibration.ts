/**
 * Fit the score calibration (src/engine/retrieve/calibration.ts) and write its constants.
 *
 *   npx tsx scripts/fit-calibration.ts [bankDir] [--seed N] [--per N] [--dry]
 *
 * Data, built from the skill bank like bench/quality.ts builds its held-out set, but with another
 * seed (default 2; the benches use seed 1):
 *  - positives: (query, its skill) for a held-out trigger (removed from the skill before indexing),
 *    the same trigger followed by an unrelated payload ("… about the history of Rome"), and a
 *    trigger the skill keeps stated inside a longer request, and a short trigger (one or two
 *    words, like those of learned skills) wrapped in a natural request with its own payload;
 *  - negatives: every candidate the Common + ConvSkill bank offers for a development set of
 *    requests no bank skill is about (scripts/unrelated-dev.ts; bench/unrelated.ts, which the
 *    bench measures with, is never used here). Wrong skills of the held-out queries are not used:
 *    in a bank of near-duplicates (several extraction runs of one conversation, many skills on
 *    one task) the best-ranked "wrong" skills mostly do apply.
 * Every feature of a (query, skill) pair is independent of the other skills in the store, so
 * computing them on the whole bank gives exactly what a 1-skill store would.
 *
 * Model: weighted L2-regularized logistic regression per script (Latin / CJK query), fitted by
 * full-batch gradient descent with Adam, positives and negatives with equal total weight, plus a
 * pairwise ranking loss (the right skill of each bare held-out trigger above each of its 8
 * strongest rivals): results are ordered by this score, so it must rank as well as it classifies. The
 * bias is then shifted so that 0.5 is the operating point (see OPERATING_MISS): the score is a
 * monotone, store-independent "how likely this skill applies", and ≥ 0.5 means "inject".
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchArgs, loadBank } from '../bench/bank.js';
import { buildHeldOut, buildStated, mulberry32, productIndex } from '../bench/quality.js';
import { FEATURE_NAMES, featureVector, TRIGGER_LIFT, type Script } from '../src/engine/retrieve/calibration.js';
import type { SkillIndex } from '../src/engine/index/skill-index.js';
import type { Skill } from '../src/engine/skill/schema.js';
import { defaultBackground } from '../src/engine/index/background.js';
import { tokenize } from '../src/engine/index/tokenize.js';
import { UNRELATED_DEV_EN, UNRELATED_DEV_TASKS_EN, UNRELATED_DEV_TASKS_ZH, UNRELATED_DEV_ZH } from './unrelated-dev.js';

const PAYLOADS = {
  en: ['about the history of Rome', 'for my sister', 'on renewable energy in Kenya', 'with a focus on small businesses', 'for next week'],
  zh: ['关于罗马历史的', '给我妹妹的', '关于肯尼亚可再生能源', '面向小企业', '下周要用的'],
};

interface Example {
  x: number[];
  y: 0 | 1;
  w: number;
  /** negatives of one request share a group: the group loss looks at the best of them (see fit) */
  g?: number;
  /** the hand-written development request this negative came from (index into the dev set) */
  dev?: number;
  /** the trigger lift applies (calibration.ts TRIGGER_LIFT) */
  lift?: boolean;
}

/**
 * Share of the fit set's bare held-out triggers allowed below the threshold, per script: the
 * trade between a right skill reaching the prompt and an unrelated request getting one. Set so
 * that other held-out sets (bench/injection.ts uses seed 1) keep at least 90% above it.
 */
const OPERATING_MISS: Record<Script, number> = { latin: 0.08, cjk: 0.05 };

/** The right skill's evidence for a query (a positive), whatever else the store holds. */
async function positive(
  index: SkillIndex,
  query: string,
  target: Skill,
  out: Record<Script, Example[]>,
  w: number,
  pairs: Record<Script, Array<[number[], number[]]>>,
): Promise<[Script, number[]] | undefined> {
  const [own] = await index.evidence(query, { scope: 'all', filters: { ids: [target.id] } });
  // a right skill with no evidence at all cannot be scored by any calibration; it is a miss either way
  if (!own) return undefined;
  const x = featureVector(own.evidence);
  out[own.script].push({ x, y: 1, w });
  // the skills that compete with the right one for the top of the list (by BM25 share and cosine)
  const rivals = (await index.evidence(query, { scope: 'all', limit: 200 }))
    .filter((h) => h.skill.id !== target.id)
    .map((h) => ({ x: featureVector(h.evidence), k: 0.85 * h.evidence.lexical * h.evidence.info + 0.15 * h.evidence.semantic }))
    .sort((a, b) => b.k - a.k)
    .slice(0, RIVALS);
  for (const r of rivals) pairs[own.script].push([x, r.x]);
  return [own.script, x];
}

let groups = 0;

/** Every candidate the bank offers for an unrelated request (negatives, one group). */
async function negatives(index: SkillIndex, query: string, out: Record<Script, Example[]>, dev: number): Promise<void> {
  const g = groups++;
  // the strongest candidates by BM25 share and cosine: the hundreds of weak ones below them are
  // no question for any model, and as per-candidate negatives they would outweigh the hard ones
  const hits = (await index.evidence(query, { scope: 'all', limit: 300 }))
    .map((h) => ({ h, k: h.evidence.lexical * h.evidence.info + 0.2 * h.evidence.semantic }))
    .sort((a, b) => b.k - a.k)
    .slice(0, NEG_PER_REQUEST);
  for (const { h } of hits) out[h.script].push({ x: featureVector(h.evidence), y: 0, w: 1, g, dev, lift: h.evidence.triggerStated > 0 });
}

/** One skill's evidence for a request that shares a word with it but asks something else (a group of one). */
async function nearMiss(index: SkillIndex, query: string, target: Skill, out: Record<Script, Example[]>): Promise<void> {
  const [h] = await index.evidence(query, { scope: 'all', filters: { ids: [target.id] } });
  if (h && h.evidence.triggerStated === 0) out[h.script].push({ x: featureVector(h.evidence), y: 0, w: 1, g: groups++ });
}

/**
 * Near misses, built automatically: a word of a skill's name inside a request that is about the
 * word, not the skill's task (a question about it, a remark, small talk). These are the false
 * injections word overlap produces ("how many players are on a soccer team?" and a soccer
 * training plan); the hand-written development set has too few of them to teach the difference.
 */
const NEAR_MISS = {
  en: [
    (w: string) => `what does the word ${w} mean?`,
    (w: string) => `my uncle keeps talking about ${w}`,
    (w: string) => `who was the first to use the word ${w}?`,
    (w: string) => `I saw something about ${w} on TV yesterday`,
    (w: string) => `do you like ${w}?`,
    (w: string) => `is ${w} a common word in England?`,
    (w: string) => `my friend and I argued about ${w} last night`,
    (w: string) => `how do you pronounce ${w}?`,
  ],
  zh: [
    (w: string) => `${w}这个词是什么意思`,
    (w: string) => `我叔叔天天跟我聊${w}`,
    (w: string) => `昨天电视上又在说${w}`,
    (w: string) => `你喜欢${w}吗`,
    (w: string) => `${w}这个词是谁先用的`,
    (w: string) => `我和朋友昨晚为了${w}吵了一架`,
    (w: string) => `${w}这两个字怎么读`,
  ],
};
const WORDS = new Intl.Segmenter('zh', { granularity: 'word' });

/** A specific word of the skill's name (IDF ≥ 3 on the background), as written. */
function nameWord(s: Skill, rnd: () => number, lang: 'en' | 'zh', idf: (t: string) => number): string | undefined {
  const words = [...WORDS.segment(s.name.replace(/[-_]+/g, ' '))]
    .map((x) => x.segment)
    .filter((w) => (lang === 'zh' ? /^\p{Script=Han}{2,4}$/u.test(w) : /^[A-Za-z]{4,}$/.test(w)))
    .filter((w) => {
      const t = tokenize(w);
      return t.length > 0 && t.every((x) => idf(x) >= 3);
    });
  return words[Math.floor(rnd() * words.length)];
}

const WRAP = {
  en: [(t: string, p: string) => `Please ${t} ${p}`, (t: string, p: string) => `Can you help me with ${t} ${p}?`, (t: string, p: string) => `I need ${t} ${p}`],
  zh: [(t: string, p: string) => `帮我${t}，${p}`, (t: string, p: string) => `${p}${t}`, (t: string, p: string) => `我需要${t}，${p}`],
};

/** Requests stating one of a skill's short triggers inside a longer request with its own payload. */
function buildShortStated(skills: Skill[], exclude: ReadonlySet<string>, rnd: () => number, perLang: number): Array<{ skillId: string; query: string }> {
  const out: Array<{ skillId: string; query: string }> = [];
  const count = { en: 0, zh: 0 };
  for (const s of skills) {
    if (exclude.has(s.id) || rnd() < 0.5) continue;
    const short = s.triggers.filter((t) => (HAN.test(t) ? [...t.trim()].length <= 4 : t.trim().split(/\s+/).length <= 2) && t.trim().length > 1);
    const t = short[Math.floor(rnd() * short.length)];
    if (!t) continue;
    const lang = HAN.test(t) ? 'zh' : 'en';
    if (count[lang] >= perLang) continue;
    const p = PAYLOADS[lang][Math.floor(rnd() * PAYLOADS[lang].length)]!;
    out.push({ skillId: s.id, query: WRAP[lang][Math.floor(rnd() * WRAP[lang].length)]!(t.trim(), p) });
    count[lang]++;
  }
  return out;
}
const HAN = /\p{Script=Han}/u;
/** competitors per held-out query in the ranking loss, and that loss's weight against the classification loss */
const RIVALS = 8;
const PAIR_WEIGHT = 12;
/** candidates of a development request kept as negatives */
const NEG_PER_REQUEST = 40;
/** automatically built near misses per language */
const NEAR_MISSES = 400;
/**
 * Shares of the classification loss: positives, negatives one by one, and negative groups (each
 * unrelated request's best candidates, through a smooth maximum). The injection decision looks
 * at a request's best hit only, so a loss that averages over its hundreds of weak candidates
 * would barely see the one that gets injected.
 */
const LOSS_SHARE = { pos: 0.5, neg: 0.15, group: 0.35 };
/** a hand-written development request counts as this many automatic near misses in the group loss */
const DEV_GROUP_WEIGHT = 3;
/**
 * Weight of a short-trigger request. The bank has few short triggers, but learned skills are
 * mostly short (a name, one sentence, "write a report" / "report"), and a later request that
 * names the task inside its own payload is the case the product exists for.
 */
const SHORT_WEIGHT = 6;

/** features whose weight may not be positive (see fit) */
const NON_POSITIVE = (['headMiss', 'miss', 'topMiss', 'topHeadMiss', 'oneWord'] as const).map((f) => FEATURE_NAMES.indexOf(f));

function fit(data: Example[], pairs: Array<[number[], number[]]>, l2 = 1e-3, iters = 3000): { bias: number; weights: number[] } {
  const d = data[0]!.x.length;
  // class balance: positives and negatives weigh the same in total
  const wPos = data.filter((e) => e.y === 1).reduce((s, e) => s + e.w, 0);
  const wNeg = data.filter((e) => e.y === 0).reduce((s, e) => s + e.w, 0);
  const sw = data.map((e) => e.w * (e.y === 1 ? LOSS_SHARE.pos / wPos : LOSS_SHARE.neg / wNeg));
  const members = new Map<number, number[]>();
  data.forEach((e, n) => {
    if (e.g !== undefined) members.set(e.g, [...(members.get(e.g) ?? []), n]);
  });
  // a hand-written request weighs DEV_GROUP_WEIGHT automatic near misses
  const groupW = new Map([...members].map(([g, idx]) => [g, data[idx[0]!]!.dev !== undefined ? DEV_GROUP_WEIGHT : 1]));
  const gw = LOSS_SHARE.group / Math.max(1, [...groupW.values()].reduce((a, b) => a + b, 0));
  const z = new Float64Array(data.length);
  const theta = new Float64Array(d + 1); // [bias, w...]
  const m = new Float64Array(d + 1);
  const v = new Float64Array(d + 1);
  const lr = 0.05;
  for (let it = 1; it <= iters; it++) {
    const g = new Float64Array(d + 1);
    for (let n = 0; n < data.length; n++) {
      const e = data[n]!;
      let zn = theta[0]!;
      for (let j = 0; j < d; j++) zn += theta[j + 1]! * e.x[j]!;
      z[n] = zn;
      const p = 1 / (1 + Math.exp(-zn));
      const r = (p - e.y) * sw[n]!;
      g[0]! += r;
      for (let j = 0; j < d; j++) g[j + 1]! += r * e.x[j]!;
    }
    // group loss: −log(1 − σ(LSE z)) over each request's candidates; its gradient spreads
    // σ(LSE) over the candidates by softmax, i.e. onto the strongest ones
    for (const [grp, idx] of members) {
      let mx = -Infinity;
      for (const n of idx) mx = Math.max(mx, z[n]!);
      let sum = 0;
      for (const n of idx) sum += Math.exp(z[n]! - mx);
      const lse = mx + Math.log(sum);
      const pg = 1 / (1 + Math.exp(-lse));
      for (const n of idx) {
        const r = gw * groupW.get(grp)! * pg * (Math.exp(z[n]! - mx) / sum);
        if (r < 1e-12) continue;
        const x = data[n]!.x;
        g[0]! += r;
        for (let j = 0; j < d; j++) g[j + 1]! += r * x[j]!;
      }
    }
    // ranking: the right skill above each competitor (RankNet loss on the score difference)
    for (const [xp, xn] of pairs) {
      let diff = 0;
      for (let j = 0; j < d; j++) diff += theta[j + 1]! * (xp[j]! - xn[j]!);
      const r = (-PAIR_WEIGHT / (1 + Math.exp(diff))) / pairs.length;
      for (let j = 0; j < d; j++) g[j + 1]! += r * (xp[j]! - xn[j]!);
    }
    for (let j = 1; j <= d; j++) g[j]! += l2 * theta[j]!;
    for (let j = 0; j <= d; j++) {
      m[j] = 0.9 * m[j]! + 0.1 * g[j]!;
      v[j] = 0.999 * v[j]! + 0.001 * g[j]! * g[j]!;
      const mh = m[j]! / (1 - 0.9 ** it);
      const vh = v[j]! / (1 - 0.999 ** it);
      theta[j]! -= (lr * mh) / (Math.sqrt(vh) + 1e-8);
    }
    // monotone where the direction is known: more of the query left unexplained never makes a
    // skill more likely to apply (projected gradient; the payload positives alone would learn
    // the opposite for a long request that shares one word with a skill)
    for (const j of NON_POSITIVE) theta[j + 1] = Math.min(0, theta[j + 1]!);
  }
  const round = (x: number): number => Math.round(x * 1e4) / 1e4;
  return { bias: round(theta[0]!), weights: [...theta.slice(1)].map(round) };
}

interface FitData {
  data: Record<Script, Example[]>;
  /** feature vectors of the bare held-out triggers (the operating point is set on them) */
  bare: Record<Script, number[][]>;
  pairs: Record<Script, Array<[number[], number[]]>>;
}

async function buildData(bankDir: string, seed: number, per: number): Promise<FitData> {
  const { skills: bank } = loadBank(bankDir);
  const { cases, skills } = buildHeldOut(bank, seed, per);
  const byId = new Map(skills.map((s) => [s.id, s]));
  const index = await productIndex(skills);
  const rnd = mulberry32(seed + 500);
  const data: Record<Script, Example[]> = { latin: [], cjk: [] };
  const bare: Record<Script, number[][]> = { latin: [], cjk: [] };
  const pairs: Record<Script, Array<[number[], number[]]>> = { latin: [], cjk: [] };
  // Requests with a payload or a stated trigger are scored but not ranked: their "rivals" are often
  // skills about the payload, and a stated trigger is lifted by a rule (calibration.ts TRIGGER_LIFT).
  const noPairs: Record<Script, Array<[number[], number[]]>> = { latin: [], cjk: [] };
  for (const c of cases) {
    const target = byId.get(c.skillId)!;
    const got = await positive(index, c.query, target, data, 1, pairs);
    if (got) bare[got[0]].push(got[1]);
    const p = PAYLOADS[c.lang][Math.floor(rnd() * PAYLOADS[c.lang].length)]!;
    await positive(index, c.lang === 'zh' ? c.query + p : `${c.query} ${p}`, target, data, 1, noPairs);
  }
  for (const c of buildStated(skills, new Set(cases.map((x) => x.skillId)), seed, 300)) await positive(index, c.query, byId.get(c.skillId)!, data, 1, noPairs);
  // Short triggers (one or two words, as learned skills have: "report", "写报告") kept in the skill
  // and stated inside a longer natural request.
  for (const c of buildShortStated(skills, new Set(cases.map((x) => x.skillId)), rnd, 300)) await positive(index, c.query, byId.get(c.skillId)!, data, SHORT_WEIGHT, noPairs);
  const library = await productIndex(loadBank(bankDir, { include: ['Common', 'ConvSkill'] }).skills);
  let devN = 0;
  for (const q of [...UNRELATED_DEV_EN, ...UNRELATED_DEV_ZH, ...UNRELATED_DEV_TASKS_EN, ...UNRELATED_DEV_TASKS_ZH]) await negatives(library, q, data, devN++);
  const held = new Set(cases.map((x) => x.skillId));
  const bg = defaultBackground();
  const near = { en: 0, zh: 0 };
  for (const sk of skills) {
    if (held.has(sk.id) || rnd() < 0.7) continue;
    const lang = HAN.test(sk.name) ? 'zh' : 'en';
    if (near[lang] >= NEAR_MISSES) continue;
    const w = nameWord(sk, rnd, lang, (t) => bg.idf(t));
    if (!w) continue;
    const tpl = NEAR_MISS[lang][Math.floor(rnd() * NEAR_MISS[lang].length)]!;
    await nearMiss(index, tpl(w), sk, data);
    near[lang]++;
  }

  return { data, bare, pairs };
}

async function main(): Promise<void> {
  const { bankDir, num: flag, str, has } = benchArgs();
  const seed = flag('--seed', 2);
  const per = flag('--per', 600);
  const cache = str('--cache');
  const { data, bare, pairs } = cache && existsSync(cache) ? (JSON.parse(readFileSync(cache, 'utf8')) as FitData) : await buildData(bankDir, seed, per);
  if (cache && !existsSync(cache)) writeFileSync(cache, JSON.stringify({ data, bare, pairs }));
  // --cv: fit without every other development request and report how many of those inject
  const cv = has('--cv');
  const train = (s: Script): Example[] => (cv ? data[s].filter((e) => e.dev === undefined || e.dev % 2 === 0) : data[s]);
  const models = { latin: fit(train('latin'), pairs.latin), cjk: fit(train('cjk'), pairs.cjk) };
  // Operating point: shift each bias so that OPERATING_MISS of the bare held-out triggers score
  // below 0.5, making 0.5 the injection threshold (DEFAULT_RETRIEVAL.minScore).
  for (const s of ['latin', 'cjk'] as const) {
    const z = bare[s].map((x) => models[s].bias + x.reduce((acc, v, j) => acc + v * models[s].weights[j]!, 0)).sort((a, b) => a - b);
    const zt = z[Math.floor(OPERATING_MISS[s] * z.length)] ?? 0;
    models[s].bias = Math.round((models[s].bias - zt) * 1e4) / 1e4;
  }
  for (const s of ['latin', 'cjk'] as const) {
    const n1 = data[s].filter((e) => e.y === 1).length;
    console.log(`${s}: ${n1} positives, ${data[s].length - n1} negatives; bias ${models[s].bias}`);
    FEATURE_NAMES.forEach((f, j) => console.log(`  ${f.padEnd(20)} ${models[s].weights[j]}`));
  }
  // development requests whose best candidate would be injected (held out with --cv: the odd ones)
  for (const s of ['latin', 'cjk'] as const) {
    const best = new Map<number, number>();
    for (const e of data[s]) {
      if (e.dev === undefined || (cv && e.dev % 2 === 0)) continue;
      const p = 1 / (1 + Math.exp(-(models[s].bias + e.x.reduce((acc, v, j) => acc + v * models[s].weights[j]!, 0))));
      const q = e.lift ? 1 - (1 - p) * (1 - TRIGGER_LIFT) : p;
      best.set(e.dev, Math.max(best.get(e.dev) ?? 0, q));
    }
    const inj = [...best.values()].filter((p) => p >= 0.5).length;
    console.log(`${s}: ${cv ? 'held-out' : 'fitted'} development requests injected: ${inj}/${best.size} (${((100 * inj) / Math.max(1, best.size)).toFixed(1)}%)`);
  }
  if (has('--dry')) return;
  const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/engine/retrieve/calibration-constants.ts');
  const line = (s: Script): string => `  ${s}: { bias: ${models[s].bias}, weights: [${models[s].weights.join(', ')}] },`;
  writeFileSync(
    out,
    [
      `// Generated by scripts/fit-calibration.ts (bank held-out seed ${seed}, ${per} per language); re-run it to refit.`,
      `// Weights follow FEATURE_NAMES in calibration.ts: ${FEATURE_NAMES.join(', ')}.`,
      "import type { CalibrationModel, Script } from './calibration.js';",
      '',
      'export const CALIBRATION: Record<Script, CalibrationModel> = {',
      line('latin'),
      line('cjk'),
      '};',
      '',
    ].join('\n'),
  );
  console.log(`wrote ${out}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
