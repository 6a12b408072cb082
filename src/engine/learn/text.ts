import { tokenize } from '../index/tokenize.js';

/** Small text helpers shared by extraction and maintenance. */

const HAN = /\p{Script=Han}/gu;
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/gu;
const HANGUL = /\p{Script=Hangul}/gu;
const LATIN = /\p{Script=Latin}/gu;

export type TemplateLanguage = 'zh' | 'en';

/** what a piece made someone do or feel ("makes me cringe", "made us laugh"): no piece asked for */
export const FEEL_WORDS =
  'cringe|laugh|cry|smile|feel|want|think|wonder|look|sound|sick|happy|sad|mad|angry|nervous|crazy|sleepy|hungry|go|do|be|sleep|wait|lose|hate|love|like|regret|worry|nuts|uncomfortable';
export const EN_MADE_FEEL = String.raw`(?:me|us|you|him|her|them|it|people|everyone) (?:${FEEL_WORDS})\b`;

/** Dominant script of a text, used to pick the language of deterministic (offline) templates. */
export function detectLanguage(text: string): TemplateLanguage {
  const han = (text.match(HAN) ?? []).length;
  const other = (text.match(KANA) ?? []).length + (text.match(HANGUL) ?? []).length;
  const latin = (text.match(LATIN) ?? []).length;
  // A CJK character carries roughly a word's worth of meaning, Latin letters about a fifth.
  return han > 0 && han + other >= latin / 5 ? 'zh' : 'en';
}

/** Identity form of a name or description: NFKC, lowercase, letters and digits only. */
export function normalizeIdentity(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

export function tokenSet(text: string): Set<string> {
  return new Set(tokenize(text));
}

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let inter = 0;
  for (const t of a) if (b.has(t)) inter++;
  return inter / (a.size + b.size - inter);
}

/** Share of `part`'s tokens that appear in `whole` (how much of a rule is already covered). */
export function containment(part: ReadonlySet<string>, whole: ReadonlySet<string>): number {
  if (part.size === 0) return 1;
  let inter = 0;
  for (const t of part) if (whole.has(t)) inter++;
  return inter / part.size;
}

/** Trim, drop empties, de-duplicate case/punctuation-insensitively (first wins), cap. */
export function uniquePhrases(items: Iterable<string>, max = Infinity, maxChars = 120): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const raw of items) {
    let s = raw.replace(/\s+/g, ' ').trim();
    s = s.replace(/^[-*•·\d.)\s]+(?=\S)/u, '').trim();
    if (!s) continue;
    if (s.length > maxChars) s = s.slice(0, maxChars).trim();
    const key = normalizeIdentity(s);
    if (!key || seen.has(key)) continue;
    seen.add(key);
    out.push(s);
    if (out.length >= max) break;
  }
  return out;
}

/** Cut a text to `max` chars keeping the head and the tail (the end of a message often matters). */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = Math.floor(max * 0.7);
  const tail = max - head - 5;
  return `${text.slice(0, head)} […] ${text.slice(text.length - tail)}`;
}

export const QUOTE_RE = /[“「『《‘][^”」』》’]{0,300}[”」』》’]|"[^"\n]{0,300}"|`[^`\n]{0,300}`|(?<![A-Za-z])'[^'\n]{2,300}'(?![A-Za-z])/g;

/** Quoted spans blanked out, so a marker inside a quotation ("如“不得虚构信息”") is not the user's rule. */
export function withoutQuotes(text: string): string {
  return text.replace(QUOTE_RE, ' … ');
}
