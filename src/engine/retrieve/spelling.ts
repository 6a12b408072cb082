import { readFileSync } from 'node:fs';
import wordListPath from 'word-list';
import { tokenize } from '../index/tokenize.js';

/**
 * Typo tolerance for queries: an English query word that is no English word ("reprot", "sumary",
 * "transalte") also searches for the common word a single edit away (a transposition, deletion,
 * insertion or substitution: "report", "summary", "translate").
 *
 * Two lists decide. Whether a word is a word at all: the `word-list` package (274k English words,
 * MIT), so "spider" or "dough" are never "corrected" into skill vocabulary ("slider", "rough").
 * Which correction: the background table's document frequencies, so the fix is a word skills use,
 * and the choice never depends on what other users keep (scores are a function of the query and
 * the skill alone). The typo itself stays in the query at a quarter weight: it may be a rare name
 * a user's own skill holds ("Zorbit format"), and it keeps meeting that skill.
 */

export interface Vocabulary {
  /** documents of the background table holding `term` (a tokenizer term: stemmed) */
  docFreq(term: string): number;
}

/** one edit from a shorter word reaches too many real ones */
const MIN_LENGTH = 5;
/** a correction must be a word skills commonly use, not another rarity */
const MIN_DF = 10;
const TYPO_WEIGHT = 0.25;
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const LOWER_WORD = /^[a-z]+$/;

/** The English word list, one sorted string searched by halving (about 4 MB, loaded on first use). */
class WordList {
  private readonly text: string;
  private readonly starts: Int32Array;
  constructor(text: string) {
    this.text = text;
    let n = 0;
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
    this.starts = new Int32Array(n + 1);
    let k = 0;
    this.starts[k++] = 0;
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts[k++] = i + 1;
  }
  private at(i: number): string {
    const end = i + 1 < this.starts.length ? this.starts[i + 1]! - 1 : this.text.length;
    return this.text.slice(this.starts[i]!, end);
  }
  has(word: string): boolean {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const w = this.at(mid);
      if (w === word) return true;
      if (w < word) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }
}

let english: WordList | undefined;
function englishWords(): WordList {
  // the package ships the list sorted by code unit, which is what `has` compares by
  english ??= new WordList(readFileSync(wordListPath, 'latin1').replace(/\r/g, '').trimEnd());
  return english;
}

const fixCache = new Map<string, string | typeof KNOWN | typeof UNFIXABLE>();

/** The correction of one English word (surface form, any case), or undefined when it needs none or has none. */
export function correctWord(word: string, vocab: Vocabulary, isWord: (w: string) => boolean = (w) => englishWords().has(w)): string | undefined {
  const r = checkWord(word, vocab, isWord);
  return r === KNOWN || r === UNFIXABLE ? undefined : r;
}

const KNOWN = 0;
const UNFIXABLE = 1;

function checkWord(word: string, vocab: Vocabulary, isWord: (w: string) => boolean): string | typeof KNOWN | typeof UNFIXABLE {
  const w = word.toLowerCase();
  if (w.length < MIN_LENGTH || !LOWER_WORD.test(w)) return KNOWN;
  const stemDf = (x: string): number => {
    const t = tokenize(x);
    return t.length === 1 ? vocab.docFreq(t[0]!) : 0;
  };
  if (stemDf(w) > 0 || isWord(w)) return KNOWN;
  let best: string | undefined;
  let bestDf = MIN_DF - 1;
  const consider = (c: string): void => {
    if (c === w || (best !== undefined && c === best)) return;
    if (!isWord(c)) return;
    const df = stemDf(c);
    if (df > bestDf || (df === bestDf && best !== undefined && c < best)) {
      best = c;
      bestDf = df;
    }
  };
  // A five-letter word is corrected by a swap of two letters only ("emial"): any edit of one
  // reaches a real word too often ("norse" → "noise", "gmaps" → "maps"). The first and last
  // letters stay: typists rarely miss them, while names are often a word with a letter added
  // there ("cython", "pthread", "igraph", "androidx", "telegraf").
  const anyEdit = w.length > MIN_LENGTH;
  for (let i = 0; i + 1 < w.length; i++) {
    const head = w.slice(0, i);
    consider(head + w[i + 1] + w[i] + w.slice(i + 2));
    if (!anyEdit || i === 0) continue;
    consider(head + w.slice(i + 1));
    for (const c of LETTERS) {
      if (c !== w[i]) consider(head + c + w.slice(i + 1));
      consider(head + c + w.slice(i));
    }
  }
  return best ?? UNFIXABLE;
}

/**
 * The query's probable typos as tokenizer terms: typo term → its correction's term. Memoized per
 * word (bounded), since the same misspellings recur.
 */
export function typoTerms(query: string, vocab: Vocabulary): Map<string, string> {
  const out = new Map<string, string>();
  // A Latin word inside Chinese text is a name or a command ("rlaunch里开tmux"), not English prose.
  if (HAN.test(query)) return out;
  let unknown = 0;
  for (const m of query.matchAll(/[A-Za-z]{5,}/g)) {
    // capitals inside or throughout a word mark a name or an acronym ("STEMI", "gMaps"), and so
    // does a capital inside a sentence ("in Lumerical", "I am Celestia")
    if (/[A-Z]/.test(m[0].slice(1)) || !/[a-z]/.test(m[0])) continue;
    if (/[A-Z]/.test(m[0][0]!) && /\S/.test(query.slice(0, m.index)) && !/[.!?]\s*$/.test(query.slice(0, m.index))) continue;
    const word = m[0].toLowerCase();
    let fix = fixCache.get(word);
    if (fix === undefined) {
      fix = checkWord(word, vocab, (w) => englishWords().has(w));
      if (fixCache.size >= 10_000) fixCache.clear();
      fixCache.set(word, fix);
    }
    if (fix === KNOWN) continue;
    unknown++;
    if (fix === UNFIXABLE) continue;
    const [from] = tokenize(word);
    const [to] = tokenize(fix);
    if (from !== undefined && to !== undefined && from !== to) out.set(from, to);
  }
  // several "typos" in one request are more likely another language ("analisis factorial
  // confirmatorio") than a careless hand
  return unknown > 1 ? new Map() : out;
}

const HAN = /\p{Script=Han}/u;

/** The query's terms plus each typo's correction at the typo's weight; the typo stays at a quarter of it. */
export function withCorrections(terms: Map<string, number>, typos: ReadonlyMap<string, string>): Map<string, number> {
  if (typos.size === 0) return terms;
  const out = new Map(terms);
  for (const [from, to] of typos) {
    const w = terms.get(from);
    if (w === undefined || terms.has(to)) continue;
    out.set(to, w);
    out.set(from, w * TYPO_WEIGHT);
  }
  return out;
}
