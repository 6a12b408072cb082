import { createRequire } from 'node:module';
import { hashSlug } from './slug.js';

/**
 * The Agent Skills `name` rule exactly as the reference validator (agentskills `skills-ref`)
 * applies it, and the Unicode-aware folder names that follow from it.
 *
 * The reference reads `name` as a string, strips surrounding whitespace, applies Unicode NFKC,
 * and then requires: at most 64 characters (code points); equal to its own lowercase form; no
 * leading, trailing or doubled "-"; every character a letter or digit in Python's sense
 * (`str.isalnum`: Unicode categories L* and N*) or "-"; and equal to the NFKC form of the folder
 * name. So `机器翻译模型评估与bleu计算` and `café` are valid names, `Upper`, `a_b` and `हिन्दी`
 * (its vowel signs are combining marks, category M) are not.
 */

export const NAME_MAX = 64;

export type NameRule = 'name-required' | 'name-length' | 'name-lowercase' | 'name-hyphens' | 'name-chars' | 'name-folder';

export interface NameProblem {
  rule: NameRule;
  message: string;
}

/** Python's `str.strip()` whitespace (wider than JS `trim` for \x1c-\x1f and \x85). */
const PY_SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const PY_STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, 'g');

export function pyStrip(text: string): string {
  return text.replace(PY_STRIP, '');
}

/** Length in code points, as Python's `len` counts. */
export function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

const NAME_CHAR = /^[\p{L}\p{N}-]$/u;

/** Every problem the reference reports for `name` (as read from YAML) in folder `dirName`. */
export function nameProblems(raw: string, dirName?: string): NameProblem[] {
  if (pyStrip(raw) === '') return [{ rule: 'name-required', message: 'name is empty; it is required' }];
  const name = pyStrip(raw).normalize('NFKC');
  const out: NameProblem[] = [];
  const len = codePoints(name);
  if (len > NAME_MAX) out.push({ rule: 'name-length', message: `name is ${len} characters long; the maximum is ${NAME_MAX}` });
  if (name !== name.toLowerCase()) out.push({ rule: 'name-lowercase', message: `name "${name}" must be lowercase` });
  if (name.startsWith('-') || name.endsWith('-')) out.push({ rule: 'name-hyphens', message: 'name must not start or end with "-"' });
  if (name.includes('--')) out.push({ rule: 'name-hyphens', message: 'name must not contain consecutive dashes ("--")' });
  const bad = [...new Set([...name].filter((c) => !NAME_CHAR.test(c)))];
  if (bad.length) {
    out.push({
      rule: 'name-chars',
      message: `name contains characters that are not allowed (${bad.map((c) => JSON.stringify(c)).join(', ')}); use only lowercase letters, digits and "-"`,
    });
  }
  if (dirName !== undefined && dirName.normalize('NFKC') !== name) {
    out.push({ rule: 'name-folder', message: `name "${name}" must match the folder name "${dirName}"` });
  }
  return out;
}

/**
 * A name the reference accepts as written, that reads back unchanged (already stripped and in
 * NFKC), so it can be both the folder name and `name:` on every file system and host.
 */
export function isSpecName(name: string): boolean {
  return name === pyStrip(name).normalize('NFKC') && nameProblems(name, name).length === 0;
}

/** Hash fallbacks (`skill-1a2b3c4d`) and bare numbers are valid but say nothing about the skill. */
export function isMeaningfulName(name: string): boolean {
  return /\p{L}/u.test(name) && !/^skill-[0-9a-f]{8}$/.test(name);
}

/**
 * A spec name made from any text, keeping its script: `10 / 你是一个有着 / …` → `10-你是一个有着`,
 * `Gestion d'état React` → `gestion-d-état-react`. Undefined when nothing meaningful is left, or
 * when the text needs combining marks (Devanagari, Thai vowel signs): dropping them would
 * misspell every word, so another candidate is used instead.
 */
export function unicodeNameOf(text: string): string | undefined {
  let t = text.normalize('NFKC').toLowerCase().normalize('NFKC');
  if (/\p{M}/u.test(t)) return undefined;
  t = t.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '');
  if ([...t].length > NAME_MAX) {
    const cut = [...t].slice(0, NAME_MAX).join('');
    const dash = cut.lastIndexOf('-');
    // Cut at a word boundary when that keeps most of the text; CJK runs have no dashes to cut at.
    t = (dash >= NAME_MAX / 2 ? cut.slice(0, dash) : cut).replace(/-+$/, '');
  }
  return t && isMeaningfulName(t) && isSpecName(t) ? t : undefined;
}

type PinyinPro = typeof import('pinyin-pro');
let pinyinPro: PinyinPro | undefined;

/** Loaded on first use: its dictionary costs ~30 ms and ~1 MB, and most processes never name in ASCII. */
function pinyinOf(han: string): string[] {
  pinyinPro ??= createRequire(import.meta.url)('pinyin-pro') as PinyinPro;
  // Whole runs, not single characters: pinyin-pro segments words to pick a polyphone's reading.
  return pinyinPro.pinyin(han, { toneType: 'none', type: 'array', v: true });
}

/** Latin letters NFKD does not decompose, spelled as their languages write them in ASCII. */
const LATIN_FOLD: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', đ: 'd', ð: 'd', ł: 'l', þ: 'th', ı: 'i', ŋ: 'ng' };

const HAN_RUN = /(\p{Script=Han}+)/u;

/**
 * The ASCII spelling of any text, keeping what can be read: Han characters as toneless pinyin, one
 * syllable per word (`你是一个` → `ni-shi-yi-ge`), accents dropped (`état` → `etat`), other scripts
 * (kana, Hangul, Cyrillic, ...) left out. Lowercase letters and digits joined by single "-".
 */
export function asciiSpelling(text: string): string {
  const words = text
    .normalize('NFKC')
    .split(HAN_RUN)
    .flatMap((part, i) => (i % 2 === 1 ? pinyinOf(part) : [part]))
    .join('-');
  return words
    .toLowerCase()
    .replace(/[ßæœøđðłþıŋ]/g, (c) => LATIN_FOLD[c] ?? c)
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Names hosts and installers that take only `[a-z0-9-]` keep as they are (see asciiNameOf). */
export function isAsciiName(name: string): boolean {
  return /^[a-z0-9-]+$/.test(name) && isSpecName(name);
}

/**
 * A spec name in ASCII only, for hosts and installers that strip everything else (the `skills`
 * installer turns `10-你是一个有着` into `10`): `10 / 你是一个有着 / …` → `10-ni-shi-yi-ge-you-zhe-…`.
 * Over 64 characters it is cut at the last "-" that fits (a single longer word is cut at 64).
 * Undefined when nothing meaningful is left (a title only in kana, say).
 */
export function asciiNameOf(text: string): string | undefined {
  let t = asciiSpelling(text);
  if (t.length > NAME_MAX) {
    const dash = t.slice(0, NAME_MAX + 1).lastIndexOf('-');
    const atWord = dash > 0 ? t.slice(0, dash) : '';
    t = (isMeaningfulName(atWord) ? atWord : t.slice(0, NAME_MAX)).replace(/-+$/, '');
  }
  return t && isMeaningfulName(t) && isAsciiName(t) ? t : undefined;
}

export interface ExportNameOptions {
  /** only `[a-z0-9-]` (see asciiNameOf); Latin names are kept, others transliterated */
  ascii?: boolean;
}

/**
 * The folder/`name` of a skill in a spec-valid export: its folder name when that is already a
 * meaningful spec name; else a name from its title, triggers or tags in their own script (with
 * `ascii`, spelled in ASCII); else `skill-<hash of id>`. Never a bare number: `10` is valid but
 * means nothing.
 */
export function exportNameFor(skill: { id: string; slug: string; name: string; triggers: string[]; tags: string[] }, opts: ExportNameOptions = {}): string {
  const valid = opts.ascii ? isAsciiName : isSpecName;
  if (valid(skill.slug) && isMeaningfulName(skill.slug)) return skill.slug;
  const nameOf = opts.ascii ? asciiNameOf : unicodeNameOf;
  for (const text of [skill.name, skill.slug, ...skill.triggers, skill.tags.slice(0, 3).join(' ')]) {
    const name = nameOf(text);
    if (name) return name;
  }
  return hashSlug(skill.id);
}
