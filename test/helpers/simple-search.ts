/**
 * TEST-ONLY stand-in for `SkillIndex.search`: cosine similarity of token counts (the engine's
 * tokenizer) over the store's skills, with the pinned scope rules (user = the user's own skills,
 * common = library skills, all = both). Reads the store on every call, so it never lags.
 */
import { tokenize } from '../../src/engine/index/tokenize.js';
import { isLibraryOwner, type Skill } from '../../src/engine/skill/schema.js';
import type { SkillStore } from '../../src/engine/store/store.js';
import type { LearnSearchOptions, LearnSkillHit, SearchFn } from '../../src/engine/learn/search-port.js';

function vector(text: string): Map<string, number> {
  const v = new Map<string, number>();
  for (const t of tokenize(text)) v.set(t, (v.get(t) ?? 0) + 1);
  return v;
}

function cosine(a: Map<string, number>, b: Map<string, number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [, x] of a) na += x * x;
  for (const [, y] of b) nb += y * y;
  for (const [t, x] of a) dot += x * (b.get(t) ?? 0);
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

function docText(s: Skill): string {
  return [s.name, s.description, ...s.triggers, ...s.tags, s.instructions].join('\n');
}

export function simpleSearch(store: SkillStore): SearchFn & { calls: Array<{ query: string; opts?: LearnSearchOptions }> } {
  const calls: Array<{ query: string; opts?: LearnSearchOptions }> = [];
  const fn = async (query: string, opts: LearnSearchOptions = {}): Promise<LearnSkillHit[]> => {
    calls.push({ query, opts });
    const scope = opts.scope ?? 'all';
    const q = vector(query);
    const hits = (await store.list())
      .filter((s) => {
        const mine = opts.userId !== undefined && s.owner === `user:${opts.userId}`;
        const common = isLibraryOwner(s.owner);
        return scope === 'user' ? mine : scope === 'common' ? common : mine || common;
      })
      .map((skill) => ({ skill, score: cosine(q, vector(docText(skill))) }))
      .filter((h) => h.score > 0)
      .sort((a, b) => b.score - a.score);
    return hits.slice(0, opts.limit ?? 5);
  };
  return Object.assign(fn, { calls });
}
