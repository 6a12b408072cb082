import type { Skill } from '../skill/schema.js';
import type { RenderedContext, RenderOptions } from './render.js';
import type { SkillHit } from '../index/skill-index.js';

/**
 * Rendered context blocks, kept per (skills in order, query, budget), so that a block is built
 * once, not on every request that retrieves the same skills for the same query (rendering a
 * long skill within a budget cuts its instructions several times; on the bank that cost as much
 * as the search).
 *
 * Skills are identified by object: the stores hand out a new `Skill` object whenever a skill is
 * written and never change one in place, so an edited skill is a new key and its old blocks just
 * age out. Bounded in entries, least recently used dropped.
 */

const MAX_ENTRIES = 512;

let nextId = 1;
const ids = new WeakMap<Skill, number>();

function idOf(skill: Skill): number {
  let id = ids.get(skill);
  if (id === undefined) ids.set(skill, (id = nextId++));
  return id;
}

export class RenderCache {
  private readonly entries = new Map<string, RenderedContext>();

  constructor(private readonly maxEntries = MAX_ENTRIES) {}

  get(hits: readonly SkillHit[], opts: RenderOptions, render: () => RenderedContext): RenderedContext {
    const key = keyOf(hits, opts);
    const found = this.entries.get(key);
    if (found) {
      // Most recently used last, so the first key is the one to drop.
      this.entries.delete(key);
      this.entries.set(key, found);
      return found;
    }
    const value = render();
    this.entries.set(key, value);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}

function keyOf(hits: readonly SkillHit[], opts: RenderOptions): string {
  let key = '';
  for (const h of hits) key += `${idOf(h.skill)},`;
  key += '|';
  for (const s of opts.standing ?? []) key += `${idOf(s)},`;
  // The query last: it is the only free text, so it cannot blur the fields before it.
  return `${key}|${opts.maxChars ?? ''}|${opts.maxTokens ?? ''}|${opts.fullSkills ?? ''}|${opts.maxStandingChars ?? ''}|${opts.query ?? ''}`;
}
