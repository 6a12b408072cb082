import type { MatchEntry } from './trigger-match.js';

/** One indexed skill: what ranking and filtering read per candidate, computed once per upsert. */
export interface Entry extends MatchEntry {
  hash: string;
  /** held for review (review.ts), as of this entry's skill */
  pending: boolean;
  /** lowercase tags, for the tag filter */
  tags: Set<string>;
  /** the kind of task a learned skill is bound to (metadata.family; `general` is none) */
  family?: string;
}
