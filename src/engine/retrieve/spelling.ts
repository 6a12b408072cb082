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
/** longer words are not corrected (the longest common English words are ~20 letters) */
const MAX_LENGTH = 24;
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
  // a word longer than any real one is no typo of one: and its edits (~52 per letter, each a copy
  // of the word) would cost time quadratic in its length on the request path
  if (w.length < MIN_LENGTH || w.length > MAX_LENGTH || !LOWER_WORD.test(w)) return KNOWN;
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

/** The probable typos of an English text: each word (as written) with its correction. */
function typoWords(text: string, vocab: Vocabulary): Array<{ index: number; word: string; fix: string }> {
  // A Latin word inside Chinese text is a name or a command ("rlaunch里开tmux"), not English prose.
  if (HAN.test(text)) return [];
  const out: Array<{ index: number; word: string; fix: string }> = [];
  let unknown = 0;
  for (const m of text.matchAll(/[A-Za-z]{5,}/g)) {
    // capitals inside or throughout a word mark a name or an acronym ("STEMI", "gMaps"), and so
    // does a capital inside a sentence ("in Lumerical", "I am Celestia")
    if (/[A-Z]/.test(m[0].slice(1)) || !/[a-z]/.test(m[0])) continue;
    const before = text.slice(0, m.index);
    if (/[A-Z]/.test(m[0][0]!) && /\S/.test(before) && !/[.!?]\s*$/.test(before)) continue;
    const word = m[0].toLowerCase();
    let fix = fixCache.get(word);
    if (fix === undefined) {
      fix = checkWord(word, vocab, (w) => englishWords().has(w));
      if (fixCache.size >= 10_000) fixCache.clear();
      fixCache.set(word, fix);
    }
    if (fix === KNOWN) continue;
    unknown++;
    if (fix !== UNFIXABLE) out.push({ index: m.index, word: m[0], fix });
  }
  // several unknown words are more likely another language ("analisis factorial confirmatorio")
  // than a careless hand, unless every one of them is a word one edit away ("pls dont halucinate
  // stuff in my reprots, alwyas add sourses")
  return unknown > 1 && out.length < unknown ? [] : out;
}

/** A query's probable English typos, found once per search: as tokenizer terms, and the corrected text. */
export interface QueryTypos {
  /** typo term → its correction's term */
  terms: Map<string, string>;
  /** the query with each typo replaced by its correction */
  text: string;
}

/** The typos of a query (memoized per word, bounded: the same misspellings recur). */
export function queryTypos(query: string, vocab: Vocabulary): QueryTypos {
  const typos = typoWords(query, vocab);
  const terms = new Map<string, string>();
  if (typos.length === 0) return { terms, text: query };
  let text = '';
  let at = 0;
  for (const { index, word, fix } of typos) {
    const [from] = tokenize(word.toLowerCase());
    const [to] = tokenize(fix);
    if (from !== undefined && to !== undefined && from !== to) terms.set(from, to);
    text += query.slice(at, index) + fix;
    at = index + word.length;
  }
  return { terms, text: text + query.slice(at) };
}

/** The query's probable typos as tokenizer terms: typo term → its correction's term. */
export function typoTerms(query: string, vocab: Vocabulary): Map<string, string> {
  return queryTypos(query, vocab).terms;
}

/** The text with its probable English typos corrected ("reprots under 600 words" → "reports under 600 words"). */
export function fixEnglishTypos(text: string, vocab: Vocabulary): string {
  return queryTypos(text, vocab).text;
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

/**
 * Chinese typos are homophones: the input method offers the wrong characters for the right
 * sound ("报高" for 报告). For a few task words, whose misspelling would hide the task itself, a
 * same-sounding pair (or triple) that shares at least one character with the word is read as
 * that word. The list leaves out words whose sound is also a common other word (简历/建立,
 * 汇报/回报, 翻译/反义, 格式/各式, 邮件/有件).
 */
const ZH_TASK_WORDS = ['报告', '周报', '日报', '月报', '摘要', '论文', '教案', '演讲稿', '幻灯片', '代码'];

interface Homophones {
  /** a character's usual reading, toneless (memoized: characters are few) */
  reading(ch: string): string;
  /** readings joined by a space → the task word */
  words: Map<string, string>;
}
let homophones: Homophones | undefined;

async function loadHomophones(): Promise<Homophones> {
  // loaded on first need: the reading dictionary is megabytes a server without Chinese never pays for
  const { pinyin } = await import('pinyin-pro');
  const words = new Map<string, string>();
  for (const w of ZH_TASK_WORDS) words.set(pinyin(w, { toneType: 'none', type: 'array' }).join(' '), w);
  const memo = new Map<string, string>();
  const reading = (ch: string): string => {
    let r = memo.get(ch);
    if (r === undefined) {
      r = pinyin(ch, { toneType: 'none' });
      memo.set(ch, r);
    }
    return r;
  };
  return { reading, words };
}

let loading: Promise<Homophones> | undefined;

/** Loads the reading dictionary (once); until it is loaded, `fixChineseTypos` changes nothing. */
export function prepareChineseTypos(): Promise<void> {
  loading ??= loadHomophones().then((h) => {
    homophones = h;
    return h;
  });
  return loading.then(() => undefined);
}

/** The text with each homophone typo of a task word replaced by the word ("写个…的报高" → "写个…的报告"). */
export function fixChineseTypos(text: string): string {
  if (!HAN.test(text)) return text;
  const h = homophones;
  if (!h) {
    void prepareChineseTypos();
    return text;
  }
  // a task word is named near the start of a request; pasted material after it needs no fixing
  const all = [...text];
  const chars = all.slice(0, MAX_FIX_CHARS);
  const rs = chars.map((c) => (HAN.test(c) ? h.reading(c) : ''));
  let changed = false;
  for (let i = 0; i + 1 < chars.length; i++) {
    if (rs[i] === '' || rs[i + 1] === '') continue;
    for (const n of [2, 3]) {
      if (i + n > chars.length || rs[i + n - 1] === '') continue;
      const word = h.words.get(rs.slice(i, i + n).join(' '));
      if (word === undefined) continue;
      const target = [...word];
      let same = 0;
      for (let k = 0; k < n; k++) if (chars[i + k] === target[k]) same++;
      if (same === n || same === 0) continue;
      chars.splice(i, n, ...target);
      changed = true;
    }
  }
  return changed ? chars.join('') + all.slice(MAX_FIX_CHARS).join('') : text;
}

const MAX_FIX_CHARS = 2000;
