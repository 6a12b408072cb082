import type { Skill } from '../skill/schema.js';
import type { Evidence } from '../retrieve/calibration.js';
import { QUERY_FUNCTION_WORDS } from '../retrieve/query-form.js';
import { containsRun, headTexts, phraseTokens, phraseTokensOf } from './query-terms.js';

/** interned terms before the dictionary starts anew: pair keys need ids below 2^21, and one query adds far fewer than 2^20 */
const MAX_TERMS = 2 ** 20;
/** a one-word trigger below this IDF (on the background) is a generic word, not a statement of intent */
const MIN_STATED_IDF = 2;

/** What the trigger check reads of an index entry. */
export interface MatchEntry {
  skill: Skill;
  library: boolean;
  /** unique tokens of each trigger phrase */
  triggerTokens: string[][];
  /** unique tokens of the name */
  nameTokens: string[];
  /** the trigger and name tokens as term ids of the matcher (TriggerMatcher.idsOf), computed when first needed */
  termIds?: EntryTermIds;
  /** idf mass of each trigger and of the name (function words excluded), for idf generation `gen` */
  masses?: { gen: number; trig: Float64Array; name: number };
}

export interface MatchCandidate {
  entry: MatchEntry;
  ev: Evidence;
}

interface EntryTermIds {
  /** the matcher's dictionary generation these ids belong to */
  gen: number;
  /** adjacent word pairs of the head fields (phraseTokens) as sorted pair keys, computed when first needed */
  pairs?: Float64Array;
  /** token ids of all triggers, concatenated; trigger i is trig[start[i]] .. trig[start[i + 1]] */
  trig: Int32Array;
  start: Int32Array;
  name: Int32Array;
}

/** The query as phrase tokens, each probable typo replaced by its correction (spelling.ts). */
function queryPhrase(query: string, typos: ReadonlyMap<string, string>, keepStopwords = false): string[] {
  // uncached: the phrase memo is for trigger texts, which recur; every query is new
  const tokens = phraseTokensOf(query, keepStopwords);
  return typos.size === 0 ? tokens : tokens.map((t) => typos.get(t) ?? t);
}

/**
 * Trigger-phrase and name evidence of search candidates (`Evidence.trigger`, `triggerCover`,
 * `stated`, `triggerStated`, `nameCover`, `phrase`).
 *
 * Every candidate of every search walks all its trigger tokens, so this is the search's inner
 * loop. Tokens are interned to small integers once per entry, and the query's terms go into an
 * open-addressing table of ints: a probe is a few integer operations where a string-keyed Map
 * lookup hashes and compares strings. Sums run over the same tokens in the same order as a
 * string-keyed walk would, so every score is bit-identical to it.
 */
export class TriggerMatcher {
  private readonly ids = new Map<string, number>();
  private readonly terms: string[] = [];
  /** per id: 1 when the query side ignores the word (QUERY_FUNCTION_WORDS) */
  private fn = new Uint8Array(1024);
  /** per id: idf of the current generation, NaN until computed */
  private idfs = new Float64Array(1024).fill(NaN);
  private gen = -1;
  /** bumped when the dictionary starts anew (resetDictionary) */
  private dictGen = 0;
  // the query table, reused across searches (searches run one at a time: no await inside apply)
  private keys = new Int32Array(64).fill(-1);
  private qw = new Float64Array(64);

  constructor(private readonly idfOf: (term: string) => number) {}

  /** Evidence for each candidate; `terms` are the query's terms with their weights, `gen` the index's idf generation. */
  apply(query: string, typos: ReadonlyMap<string, string>, terms: ReadonlyMap<string, number>, candidates: readonly MatchCandidate[], gen: number): void {
    if (gen !== this.gen) {
      this.idfs.fill(NaN);
      this.gen = gen;
    }
    let qMass = 0;
    for (const [t, q] of terms) qMass += q * this.idfOf(t);
    if (qMass <= 0) return;
    // pair keys are exact only while ids stay below 2^21: start a new dictionary long before that
    if (this.terms.length > MAX_TERMS) this.resetDictionary();
    // intern the candidates' tokens first: a query term only goes into the table when some token has its id
    for (const c of candidates) {
      const ids = this.idsOf(c.entry);
      ids.pairs ??= this.headPairsOf(c.entry.skill);
    }
    const mask = this.fillQuery(terms);
    const keys = this.keys;
    const qw = this.qw;
    /** slot of term id `id` in the query table, or -1 */
    const find = (id: number): number => {
      for (let h = Math.imul(id, 0x9e3779b1) & mask; ; h = (h + 1) & mask) {
        const k = keys[h]!;
        if (k === id) return h;
        if (k === -1) return -1;
      }
    };
    let qPhrase: string[] | undefined;
    /** the query's distinct adjacent word pairs as pair keys (NaN: a pair no head holds), computed when first needed */
    let qPairs: number[] | undefined;
    let qAll: string[] | undefined;
    for (const c of candidates) {
      const e = c.entry;
      const { trig, start, name } = this.idsOf(e);
      const masses = this.massesOf(e);
      let best = 0;
      let cover = 0;
      /** largest query share explained by a trigger the query states as a phrase */
      let stated = 0;
      let statedWord = false;
      for (let i = 0; i + 1 < start.length; i++) {
        const from = start[i]!;
        const to = start[i + 1]!;
        // one probe per token; most triggers share no term with the query
        let shared = 0;
        let sharedQ = 0;
        for (let k = from; k < to; k++) {
          const h = find(trig[k]!);
          if (h < 0) continue;
          const idf = this.idf(trig[k]!);
          shared += idf;
          sharedQ = sharedQ + qw[h]! * idf;
        }
        if (shared === 0) continue;
        const tMass = masses.trig[i]!;
        const ct = shared / tMass;
        const cq = Math.min(1, sharedQ / qMass);
        if (ct > cover) cover = ct;
        const len = to - from;
        if (len < 2 || (len === 2 && trig[from] === trig[from + 1])) {
          // a one-word trigger in the query is stated, unless it is a generic word ("use", "write");
          // its stopwords count here ("now do" is not stated by "right now"). Only for a user's own
          // skills, whose one-word triggers name a task ("report", "周报"): in a shared library
          // they are mostly topics ("banana", "wedding"), which a request mentions in passing.
          if (!statedWord && !e.library && ct >= 1 - 1e-9 && tMass / len >= MIN_STATED_IDF) {
            const text = e.skill.triggers[i];
            qAll ??= queryPhrase(query, typos, true);
            if (text !== undefined && containsRun(qAll, phraseTokens(text, true))) statedWord = true;
          }
          continue;
        }
        const match = ct ** 4 * cq ** 0.125;
        if (match > best) best = match;
        // Every word of the trigger is in the query: is it said as a phrase?
        if (shared >= tMass * (1 - 1e-9) && cq > stated) {
          const text = e.skill.triggers[i];
          qPhrase ??= queryPhrase(query, typos);
          if (text !== undefined && containsRun(qPhrase, phraseTokens(text))) stated = cq;
        }
      }
      let nShared = 0;
      for (let k = 0; k < name.length; k++) {
        const id = name[k]!;
        if (this.fn[id] === 0 && find(id) >= 0) nShared += this.idf(id);
      }
      c.ev.nameCover = masses.name > 0 ? nShared / masses.name : 0;
      if (qPairs === undefined) {
        qPhrase ??= queryPhrase(query, typos);
        qPairs = this.queryPairs(qPhrase);
      }
      if (qPairs.length > 0) {
        const hp = e.termIds!.pairs!;
        let n = 0;
        for (const pr of qPairs) if (hasKey(hp, pr)) n++;
        c.ev.phrase = n / qPairs.length;
      }
      c.ev.trigger = best;
      c.ev.triggerCover = cover;
      c.ev.stated = stated;
      c.ev.triggerStated = stated > 0 || statedWord ? 1 : 0;
    }
  }

  /** The query's terms into the int table (a term no entry token has can match nothing and is left out); returns the probe mask. */
  private fillQuery(terms: ReadonlyMap<string, number>): number {
    let cap = this.keys.length;
    while (cap < terms.size * 2) cap *= 2;
    if (cap !== this.keys.length) {
      this.keys = new Int32Array(cap);
      this.qw = new Float64Array(cap);
    }
    const keys = this.keys.fill(-1);
    const mask = cap - 1;
    for (const [t, q] of terms) {
      const id = this.ids.get(t);
      if (id === undefined) continue;
      let h = Math.imul(id, 0x9e3779b1) & mask;
      while (keys[h] !== -1) h = (h + 1) & mask;
      keys[h] = id;
      this.qw[h] = q;
    }
    return mask;
  }

  /** Adjacent word pairs of a skill's head texts (query-terms.ts headTexts), as sorted distinct pair keys. */
  private headPairsOf(skill: Skill): Float64Array {
    const keys: number[] = [];
    for (const text of headTexts(skill)) {
      const seq = phraseTokens(text);
      let prev = seq.length > 0 ? this.intern(seq[0]!) : -1;
      for (let i = 1; i < seq.length; i++) {
        const id = this.intern(seq[i]!);
        keys.push(pairKey(prev, id));
        prev = id;
      }
    }
    const sorted = Float64Array.from(keys).sort();
    let n = 0;
    for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[n - 1]) sorted[n++] = sorted[i]!;
    return sorted.slice(0, n);
  }

  /** The query's distinct adjacent word pairs ("a b" strings, once each) as pair keys; NaN for a pair with an unknown word. */
  private queryPairs(seq: readonly string[]): number[] {
    const seen = new Set<string>();
    const out: number[] = [];
    for (let i = 0; i + 1 < seq.length; i++) {
      const text = `${seq[i]} ${seq[i + 1]}`;
      if (seen.has(text)) continue;
      seen.add(text);
      const a = this.ids.get(seq[i]!);
      const b = this.ids.get(seq[i + 1]!);
      out.push(a === undefined || b === undefined ? NaN : pairKey(a, b));
    }
    return out;
  }

  /** A new, empty dictionary: entries' ids of the old one are recomputed when next needed (EntryTermIds.gen). */
  resetDictionary(): void {
    this.ids.clear();
    this.terms.length = 0;
    this.fn.fill(0);
    this.idfs.fill(NaN);
    this.dictGen++;
  }

  private intern(t: string): number {
    let id = this.ids.get(t);
    if (id !== undefined) return id;
    id = this.terms.push(t) - 1;
    this.ids.set(t, id);
    if (id >= this.fn.length) {
      const fn = new Uint8Array(this.fn.length * 2);
      fn.set(this.fn);
      this.fn = fn;
      const idfs = new Float64Array(this.idfs.length * 2).fill(NaN);
      idfs.set(this.idfs);
      this.idfs = idfs;
    }
    this.fn[id] = QUERY_FUNCTION_WORDS.has(t) ? 1 : 0;
    return id;
  }

  private idsOf(e: MatchEntry): EntryTermIds {
    if (e.termIds?.gen === this.dictGen) return e.termIds;
    const start = new Int32Array(e.triggerTokens.length + 1);
    let n = 0;
    e.triggerTokens.forEach((tokens, i) => {
      n += tokens.length;
      start[i + 1] = n;
    });
    const trig = new Int32Array(n);
    let k = 0;
    for (const tokens of e.triggerTokens) for (const t of tokens) trig[k++] = this.intern(t);
    return (e.termIds = { gen: this.dictGen, trig, start, name: Int32Array.from(e.nameTokens, (t) => this.intern(t)) });
  }

  private idf(id: number): number {
    let v = this.idfs[id]!;
    if (Number.isNaN(v)) this.idfs[id] = v = this.idfOf(this.terms[id]!);
    return v;
  }

  /** Idf masses of an entry's triggers and name: per skill, not per query (the same sums, in the same order). */
  private massesOf(e: MatchEntry): { gen: number; trig: Float64Array; name: number } {
    if (e.masses?.gen === this.gen) return e.masses;
    const { trig: ids, start, name: nameIds } = this.idsOf(e);
    const trig = new Float64Array(start.length - 1);
    for (let i = 0; i + 1 < start.length; i++) {
      let m = 0;
      // a function word the query side ignores (queryTerms) is no part of what a trigger asks
      for (let k = start[i]!; k < start[i + 1]!; k++) if (this.fn[ids[k]!] === 0) m += this.idf(ids[k]!);
      trig[i] = m;
    }
    let name = 0;
    for (const id of nameIds) if (this.fn[id] === 0) name += this.idf(id);
    return (e.masses = { gen: this.gen, trig, name });
  }
}

/** One number per ordered pair of term ids (exact while ids stay below 2^21). */
function pairKey(a: number, b: number): number {
  return a * 0x100000000 + b;
}

/** Binary search in sorted keys (NaN is never found). */
function hasKey(sorted: Float64Array, key: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid]!;
    if (v === key) return true;
    if (v < key) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
