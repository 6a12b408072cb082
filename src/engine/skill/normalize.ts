import type { SkillExample } from './schema.js';

/**
 * Field normalizers shared by the SKILL.md parser and renderer. Every one is idempotent, and the
 * parser applies them to whatever it reads (front matter or body), so that
 * parse → render → parse gives back exactly the same skill.
 */

const WS = /\s+/g;
const BLANK = /^\s*$/;

export const isBlank = (line: string): boolean => BLANK.test(line);

/** One line of text: all whitespace runs (newlines included) become one space. */
export function oneLine(text: string): string {
  return text.replace(WS, ' ').trim();
}

/** Count in Unicode code points, as the Agent Skills spec limits do. */
export function charLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/**
 * Cuts `text` to at most `max` code points, preferring a word boundary near the end and marking
 * the cut with an ellipsis. Deterministic, and a no-op for text that already fits.
 */
export function truncateChars(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  let cut = chars.slice(0, max - 1).join('');
  const space = cut.search(/\s\S*$/);
  if (space > cut.length - 200 && space > 0) cut = cut.slice(0, space);
  return `${cut.trimEnd()}…`;
}

/**
 * Multi-line text whose outer blank lines do not matter (description, example blocks):
 * LF only, whitespace-only lines become empty, leading blank lines and trailing whitespace go.
 * Inner indentation and trailing spaces inside lines are kept.
 */
export function normalizeBlock(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const out = lines.map((l) => (isBlank(l) ? '' : l));
  while (out.length && out[0] === '') out.shift();
  return out.join('\n').trimEnd();
}

/** The description: a block whose lines also lose trailing spaces (it is compared line by line with the body). */
export function normalizeDescription(text: string): string {
  return normalizeBlock(
    text
      .replace(/\r\n?/g, '\n')
      .split('\n')
      .map((l) => l.trimEnd())
      .join('\n'),
  );
}

/**
 * Instructions are Markdown, where trailing spaces and indentation can carry meaning, so only
 * outer blank lines and trailing whitespace are removed (and blank lines made empty).
 */
export function normalizeInstructions(text: string): string {
  return normalizeBlock(text);
}

function dedupeCaseInsensitive(items: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const item of items) {
    const key = item.toLowerCase();
    if (item === '' || seen.has(key)) continue;
    seen.add(key);
    out.push(item);
  }
  return out;
}

/**
 * Tags are written as one comma-separated `metadata.tags` string, so a tag can never contain a
 * comma: tags are split on commas here, trimmed, whitespace-collapsed and de-duplicated
 * case-insensitively (first spelling wins).
 */
export function normalizeTags(items: readonly string[]): string[] {
  return dedupeCaseInsensitive(items.flatMap((t) => t.split(',')).map(oneLine));
}

/** Triggers are one Markdown bullet each: one line, trimmed, de-duplicated case-insensitively. */
export function normalizeTriggers(items: readonly string[]): string[] {
  return dedupeCaseInsensitive(items.map(oneLine));
}

/** Drops examples without input; empty output/notes become absent. */
export function normalizeExamples(items: readonly Partial<Record<keyof SkillExample, string>>[]): SkillExample[] {
  const out: SkillExample[] = [];
  for (const item of items) {
    const input = normalizeBlock(item.input ?? '');
    if (!input) continue;
    const ex: SkillExample = { input };
    const output = normalizeBlock(item.output ?? '');
    const notes = normalizeBlock(item.notes ?? '');
    if (output) ex.output = output;
    if (notes) ex.notes = notes;
    out.push(ex);
  }
  return out;
}

/**
 * A resource path as listed under `## Files`: forward slashes, no empty or `.` segments. Returns
 * undefined for anything that is not a plain relative path inside the skill folder (absolute,
 * drive letter, `..`, control characters) and for SKILL.md itself; the store re-checks on use.
 */
export function normalizeResourcePath(raw: string): string | undefined {
  let p = raw.trim();
  if (p.length > 2 && p.startsWith('`') && p.endsWith('`')) p = p.slice(1, -1).trim();
  p = p.replace(/\\/g, '/');
  // eslint-disable-next-line no-control-regex
  if (!p || p.startsWith('/') || /^[A-Za-z]:/.test(p) || /[\u0000-\u001f\u007f]/.test(p)) return undefined;
  const segs = p.split('/').filter((s) => s !== '' && s !== '.');
  if (segs.length === 0 || segs.some((s) => s === '..')) return undefined;
  const joined = segs.join('/');
  return joined.toLowerCase() === 'skill.md' ? undefined : joined;
}

export function normalizeResources(items: readonly string[], warnings?: string[]): string[] {
  const out: string[] = [];
  for (const item of items) {
    const p = normalizeResourcePath(item);
    if (p === undefined) {
      if (item.trim()) warnings?.push(`resource path ${JSON.stringify(item)} ignored: not a plain relative path`);
      continue;
    }
    if (!out.includes(p)) out.push(p);
  }
  return out;
}
