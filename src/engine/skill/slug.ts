import { createHash } from 'node:crypto';
import type { Skill } from './schema.js';
import { isSpecName } from './spec-name.js';

/**
 * Agent Skills `name` / folder slugs: lowercase a-z, 0-9 and single dashes, at most 64 chars.
 * Only texts that can be written in ASCII become slugs: a CJK or Cyrillic name would otherwise
 * leave a misleading fragment (`12位RAW数据处理` → `12-raw`), so such texts are skipped and the
 * next candidate (tags, triggers, a hash) is used instead.
 */

export const SLUG_MAX = 64;
const SPEC_SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export function isSpecSlug(text: string): boolean {
  return text.length <= SLUG_MAX && SPEC_SLUG.test(text);
}

/** The slug of one text, or undefined when it has no ASCII slug (non-ASCII letters, or nothing left). */
export function slugOf(text: string): string | undefined {
  // NFKD + dropping combining marks turns "Café" into "Cafe" and full-width "ＡＢＣ" into "ABC".
  const ascii = text.normalize('NFKD').replace(/\p{M}+/gu, '');
  if (/[^\x00-\x7f]/.test(ascii) && /[\p{L}\p{N}]/u.test(ascii.replace(/[\x00-\x7f]/g, ''))) return undefined;
  const slug = ascii
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, SLUG_MAX)
    .replace(/-+$/, '');
  return slug || undefined;
}

/** First non-empty spec slug from the texts, else `skill`. */
export function slugify(...candidates: string[]): string {
  for (const c of candidates) {
    const s = typeof c === 'string' ? slugOf(c) : undefined;
    if (s) return s;
  }
  return 'skill';
}

/** `skill-<8 hex>`: stable for an id, used when no text gives an ASCII slug. */
export function hashSlug(id: string): string {
  return `skill-${createHash('sha256').update(id).digest('hex').slice(0, 8)}`;
}

/**
 * The spec `name` written into a skill's SKILL.md: its folder slug when that already is a spec
 * slug, else a slug from the folder name, the title, the triggers, the first ASCII tags, and
 * finally `skill-<hash of id>`. The store should use this for the folder of a new skill so that
 * `name` matches the folder, as the spec asks.
 */
export function specNameFor(skill: Pick<Skill, 'id' | 'slug' | 'name' | 'tags' | 'triggers'>): string {
  // A folder the reference accepts as a name (ASCII or e.g. `机器翻译模型评估与bleu计算`) is kept,
  // so a re-rendered imported skill still has name == folder.
  if (isSpecSlug(skill.slug) || isSpecName(skill.slug)) return skill.slug;
  return asciiSlugFor(skill);
}

/** An ASCII slug from the folder name, the title, the triggers or the first ASCII tags, else `skill-<hash of id>`. */
export function asciiSlugFor(skill: Pick<Skill, 'id' | 'slug' | 'name' | 'tags' | 'triggers'>): string {
  const asciiTags = skill.tags.filter((t) => slugOf(t) !== undefined).slice(0, 3);
  for (const c of [skill.slug, skill.name, ...skill.triggers, asciiTags.join(' ')]) {
    const s = slugOf(c);
    if (s) return s;
  }
  return hashSlug(skill.id);
}
