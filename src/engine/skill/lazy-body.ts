import type { Skill } from './schema.js';

/**
 * Skills whose instructions stay on disk until something reads them.
 *
 * A store opened from files keeps every skill's record in memory (the catalog, the index, access
 * checks and learning decisions read them without I/O), but only rendering, a merge, an export or
 * an API read needs a skill's instructions: about 60% of a SKILL.md bank's text, and most of what
 * opening it allocated. A lazy skill is an ordinary `Skill` whose `instructions` property is an
 * enumerable getter; spreading, `JSON.stringify`, zod and structured cloning read it like any
 * other field, so no caller changes. The loader reads (and may cache) the body; it throws when the
 * file cannot be read, because an empty body would be a silent loss for a merge that rewrites it.
 *
 * The index decides whether a skill's retrieval text changed by hashing it (retrieval-text.ts),
 * which would read every body at open. So the store that built a lazy skill may also remember that
 * hash on it: a non-enumerable symbol property, which a spread or clone does not copy, so a
 * modified copy never carries a stale hash.
 */

const RETRIEVAL_HASH = Symbol('autoskill.retrievalHash');

/** `skill` (without instructions) plus an `instructions` getter backed by `load`. */
export function withLazyInstructions(skill: Omit<Skill, 'instructions'>, load: () => string): Skill {
  const out = skill as Skill;
  Object.defineProperty(out, 'instructions', { get: load, enumerable: true, configurable: true });
  return out;
}

/** Whether `skill.instructions` would be read from disk (diagnostics and tests). */
export function hasLazyInstructions(skill: Skill): boolean {
  return typeof Object.getOwnPropertyDescriptor(skill, 'instructions')?.get === 'function';
}

/** Remember the retrieval hash of `skill` as it is (see the module comment). */
export function rememberRetrievalHash(skill: Skill, hash: string): void {
  Object.defineProperty(skill, RETRIEVAL_HASH, { value: hash, enumerable: false, configurable: true });
}

export function rememberedRetrievalHash(skill: Skill): string | undefined {
  return (skill as unknown as Record<symbol, string | undefined>)[RETRIEVAL_HASH];
}

/**
 * The own enumerable fields of `skill` except `omit`, without reading the omitted ones (a rest
 * pattern would still run a lazy getter to bind the excluded key).
 */
export function skillFieldsWithout<K extends keyof Skill>(skill: Skill, omit: readonly K[]): Omit<Skill, K> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(skill)) {
    if ((omit as readonly string[]).includes(key)) continue;
    out[key] = (skill as unknown as Record<string, unknown>)[key];
  }
  return out as Omit<Skill, K>;
}
