import type { SearchOptions, SkillHit } from '../index/skill-index.js';

/**
 * The retrieval the learning loop needs, as a function: the facade passes
 * `(q, o) => index.search(q, o)` (the pinned `SkillIndex.search`). Only `skill` and `score` of a
 * hit are used, so a stand-in may return just those.
 */
export type LearnSearchOptions = SearchOptions;
export type LearnSkillHit = Pick<SkillHit, 'skill' | 'score'>;
export type SearchFn = (query: string, opts?: SearchOptions) => Promise<LearnSkillHit[]>;
