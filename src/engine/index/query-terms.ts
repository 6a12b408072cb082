import { QUERY_FUNCTION_WORDS } from '../retrieve/query-form.js';
import type { Skill } from '../skill/schema.js';
import { crossingBigrams, tokenize, tokenizeWith } from './tokenize.js';

/** A query as the index reads it: weighted terms for BM25, and word sequences for phrase and trigger matching. */

/**
 * Query terms as a set (weight 1 each). A CJK two-character word is emitted both as a dictionary
 * word and as a bigram; counting it twice would let short Chinese queries claim double evidence.
 */
export function queryTerms(query: string): Map<string, number> {
  const m = new Map<string, number>();
  // Chinese question words and pronouns say what kind of utterance this is, not its topic, and so
  // do the character bigrams inside them ("明白了" → 白了)
  const tokens = tokenize(query);
  const masked = functionSpans(query, tokens);
  for (const t of tokens) if (!QUERY_FUNCTION_WORDS.has(t) && !(masked && insideOnly(query, t, masked))) m.set(t, 1);
  // Bigrams across a word boundary ("写一份关于咖啡" → 份关, 于咖) are mostly noise no text contains,
  // hence of the highest IDF: at full weight they would swamp the query's real words.
  for (const b of crossingBigrams(query)) if (m.has(b)) m.set(b, CROSSING_BIGRAM_WEIGHT);
  // A count or a duration ("ten minutes", "十分钟", "1 to 10") says how much, not what: a skill that
  // shares only that ("…演讲稿（10分钟版）" for "定一个十分钟的闹钟") is no match for the request.
  for (const [t, w] of m) if (QUANTITY.test(t)) m.set(t, Math.min(w, QUANTITY_WEIGHT));
  return m;
}

const QUANTITY_WEIGHT = 0.25;
const QUANTITY =
  /^[零一二两三四五六七八九十百千万半几]{1,2}$|^[零一二两三四五六七八九十百千万半几\d][分秒]$|^[零一二两三四五六七八九十百千万半几\d]*(?:分钟|小时|秒钟|个月)$/u;

const CJK_BIGRAM = /^[\p{Script=Han}]{2}$/u;

/** The character positions of the query covered by CJK function words it contains, if any. */
function functionSpans(query: string, tokens: readonly string[]): Uint8Array | undefined {
  let mask: Uint8Array | undefined;
  for (const t of new Set(tokens)) {
    if (t.length < 2 || !QUERY_FUNCTION_WORDS.has(t) || !/^\p{Script=Han}+$/u.test(t)) continue;
    for (let at = query.indexOf(t); at >= 0; at = query.indexOf(t, at + 1)) (mask ??= new Uint8Array(query.length)).fill(1, at, at + t.length);
  }
  return mask;
}

/** A CJK bigram every occurrence of which overlaps a function word's span. */
function insideOnly(query: string, t: string, mask: Uint8Array): boolean {
  if (!CJK_BIGRAM.test(t)) return false;
  let seen = false;
  for (let at = query.indexOf(t); at >= 0; at = query.indexOf(t, at + 1)) {
    if (mask[at] === 0 && mask[at + 1] === 0) return false;
    seen = true;
  }
  return seen;
}

/** query weight of a CJK bigram that straddles a word boundary */
const CROSSING_BIGRAM_WEIGHT = 0.25;

const CJK_SCRIPTS = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}';
/** a CJK run, or a run of other letters and digits ("用Python写" is three runs) */
const PHRASE_WORD = new RegExp(`[${CJK_SCRIPTS}]+|(?:(?![${CJK_SCRIPTS}])[\\p{L}\\p{N}])+`, 'gu');
const CJK_START = new RegExp(`^[${CJK_SCRIPTS}]`, 'u');

/**
 * A text as an ordered word sequence for phrase matching: Latin words through the tokenizer
 * (stemmed, identifiers split, stopwords dropped, so "writing the report" and "write a report"
 * agree) and CJK text as single characters (segmentation of a short trigger and of a longer
 * query can disagree; characters cannot).
 */
export function phraseTokens(text: string, keepStopwords = false): string[] {
  // Trigger phrases are tokenized again by every search whose query covers their words, so short
  // texts are memoized. The array is shared, hence frozen: a caller that writes to it throws
  // rather than corrupting later searches (typed mutable for existing callers, which only read).
  if (text.length > PHRASE_MEMO_TEXT_MAX) return phraseTokensOf(text, keepStopwords);
  const memo = phraseMemos[keepStopwords ? 1 : 0]!;
  let hit = memo.get(text);
  if (hit === undefined) {
    hit = Object.freeze(phraseTokensOf(text, keepStopwords)) as string[];
    if (memo.size >= PHRASE_MEMO_MAX) memo.clear();
    memo.set(text, hit);
  }
  return hit;
}

const phraseMemos = [new Map<string, string[]>(), new Map<string, string[]>()];
const PHRASE_MEMO_MAX = 20_000;
const PHRASE_MEMO_TEXT_MAX = 160;

/** phraseTokens without the memo, for texts seen once (queries). */
export function phraseTokensOf(text: string, keepStopwords = false): string[] {
  const out: string[] = [];
  for (const m of text.normalize('NFKC').matchAll(PHRASE_WORD)) {
    const w = m[0];
    if (CJK_START.test(w)) {
      for (const ch of w) out.push(ch.toLowerCase());
      continue;
    }
    const t = keepStopwords ? tokenizeWith(w, { stopwords: false }) : tokenize(w);
    // an identifier yields its compound first, then its parts; the parts are the sequence
    if (t.length > 1) out.push(...t.slice(1));
    else if (t.length === 1) out.push(t[0]!);
  }
  return out;
}

/** A skill's name (as words), description, triggers and tags: the texts whose word pairs count as its head. */
export function headTexts(skill: Skill): string[] {
  return [skill.name.replace(/[-_]+/g, ' '), skill.description, ...skill.triggers, ...skill.tags];
}

/** Whether `needle` occurs as a contiguous run in `hay`. */
export function containsRun(hay: readonly string[], needle: readonly string[]): boolean {
  const n = needle.length;
  if (n === 0 || n > hay.length) return false;
  outer: for (let i = 0; i + n <= hay.length; i++) {
    for (let j = 0; j < n; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}
