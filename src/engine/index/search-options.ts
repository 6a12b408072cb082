import type { Embedder } from '../ports/embedder.js';
import type { CalibrationModel, Script } from '../retrieve/calibration.js';
import type { Scope, Skill } from '../skill/schema.js';
import type { TermStats } from './background.js';
import type { TermCache } from './term-cache.js';
import type { VectorStore } from './vector-store.js';

/** The search's options and results, and the ranking constants (index/skill-index.ts runs them). */

export interface SearchFilters {
  /** keep skills having at least one of these tags (case-insensitive) */
  tags?: string[];
  /** keep skills whose metadata has every one of these key/value pairs (exact) */
  metadata?: Record<string, string>;
  /** restrict to these skill ids */
  ids?: string[];
}

export interface SearchOptions {
  /**
   * The requesting user. Scope `user` = this user's skills; `all` = this user's skills plus every
   * Common (library) skill; never another user's. Without a user id, `user` finds nothing and
   * `all` is the same as `common`.
   */
  userId?: string;
  /** default `all` */
  scope?: Scope;
  /** the maximum number of hits (top-k); default 5, values below 1 count as 1 */
  limit?: number;
  /**
   * Drop hits whose `score` is below this (0..1). Default 0: the best `limit` hits are returned
   * whatever their scores (hits with no evidence at all are never returned). Scores are
   * calibrated probabilities that the skill applies; the SDK injects hits scoring at least
   * `DEFAULT_RETRIEVAL.minScore` (0.5), the fitted operating point.
   */
  minScore?: number;
  filters?: SearchFilters;
  /**
   * Put the user's own skills first: they join the candidates whatever their lexical rank among
   * thousands of library skills, and every own hit is listed before every library hit (each
   * group best first). Injection uses it: a preference the user stated outranks a generic guide
   * on the same task. Scores are unchanged.
   */
  ownFirst?: boolean;
  /**
   * Which state of the index the search reads, for callers that keep the index in step with a
   * store (the SDK facade; `SkillIndex.search` itself always reads the index as it is).
   * `settled`: first wait until every store change seen so far is indexed (read your writes;
   * learning decides on it). `available`: the index as it is now, never waiting behind a
   * pending index update such as a bulk import's (the chat request path).
   */
  consistency?: SearchConsistency;
}

export type SearchConsistency = 'settled' | 'available';

export interface SkillHit {
  skill: Skill;
  /** how likely the skill applies, in [0, 1]; comparable across queries, stores and users */
  score: number;
  /** calibrated BM25F share in [0, 1] */
  lexical: number;
  /** rescaled embedding cosine in [0, 1] (0 when no vector is available) */
  semantic: number;
}

/**
 * Tunable ranking constants. The defaults were tuned with bench/quality.ts on the real bank; the
 * calibration (calibration-constants.ts) was fitted with them, so changing one calls for a refit.
 */
export interface RankingOptions {
  /** BM25 k1 (term-frequency saturation) */
  k1: number;
  /** BM25F field weights and length normalization */
  fields: {
    name: FieldParams;
    description: FieldParams;
    triggers: FieldParams;
    tags: FieldParams;
    instructions: FieldParams;
    resources: FieldParams;
  };
  /** 0 turns the embedding side off (no query embedding, semantic = 0); any other value keeps it */
  semanticWeight: number;
  /** the cosine expected between unrelated texts; maps to semantic = 0 */
  cosineFloor: number;
  /**
   * Queries with little information (one common word, a greeting) cannot carry strong evidence:
   * the evidence `info` = min(1, idealScore / informationFloor), where idealScore is the BM25
   * score of a perfect match for the query on the background statistics (so it does not depend
   * on the store). A two- or three-word specific query clears it.
   */
  informationFloor: number;
  /** how many lexical (and, for semantic embedders, vector) candidates are re-scored */
  rerankDepth: number;
  /**
   * how many more lexical candidates join by the query mass their head fields (name,
   * description, triggers, tags) match: a request that states a skill's trigger plus a long
   * payload ("write a rebuttal letter about the roman empire") can rank low on BM25, whose
   * trigger field weighs little, while its head coverage is among the best
   */
  headRerankDepth: number;
}

export interface FieldParams {
  weight: number;
  b: number;
}

export const DEFAULT_RANKING: RankingOptions = {
  k1: 1.2,
  fields: {
    name: { weight: 2.25, b: 0.75 },
    description: { weight: 2, b: 0.625 },
    triggers: { weight: 0.25, b: 0.875 },
    tags: { weight: 1.5, b: 0.75 },
    instructions: { weight: 0.5, b: 1 },
    resources: { weight: 1, b: 0.75 },
  },
  semanticWeight: 0.15,
  cosineFloor: 0.05,
  informationFloor: 30,
  rerankDepth: 48,
  headRerankDepth: 32,
};

export interface SkillIndexOptions {
  embedder: Embedder;
  vectorStore?: VectorStore;
  /** override ranking constants (merged over DEFAULT_RANKING) */
  ranking?: Partial<Omit<RankingOptions, 'fields'>> & { fields?: Partial<RankingOptions['fields']> };
  /** texts per embedder call when (re)embedding skills; default 64 */
  embedBatchSize?: number;
  /**
   * Worker threads for tokenizing many skills at once (index/build-pool.ts); default one per
   * core (2–4); 0 tokenizes on the calling thread.
   */
  buildThreads?: number;
  /**
   * Term statistics BM25 scores with; default: the background table shipped with the package
   * (index/background.ts), which makes a score independent of the store's size and contents.
   */
  background?: TermStats;
  /** override the fitted score calibration per script (calibration.ts) */
  calibration?: Partial<Record<Script, CalibrationModel>>;
  /**
   * The kind of task a request asks for ("report", "code"), as the learner files its skills
   * (`metadata.family`). A skill learned for that kind counts as named by the request, like a
   * stated trigger: "I need a python helper…" reaches a rule learned while writing code, though
   * it shares no word with it. Without it only words and vectors decide.
   */
  taskOf?: (query: string) => string | undefined;
  /**
   * Kinds of task (as `taskOf` names them) whose requests are usually questions ("这严重吗" about a lab
   * result, "is this sentence correct?"): for these a yes/no or who/when question still asks for the
   * work. For any other kind such a question asks about work, never for a piece of it.
   */
  questionTasks?: ReadonlySet<string>;
  /**
   * Persisted lexical index (see index/term-cache.ts). With it, `load()` + `upsert(all)` adopt the
   * stored term counts of every skill whose retrieval text is unchanged instead of tokenizing.
   */
  termCache?: TermCache;
}
