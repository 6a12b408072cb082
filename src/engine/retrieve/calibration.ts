import { CALIBRATION } from './calibration-constants.js';

/**
 * From evidence to "how likely this skill applies to this request".
 *
 * A hit's score is a logistic model over the evidence the index computes for one (query, skill)
 * pair, fitted per script (Latin vs CJK queries behave differently: CJK is matched through
 * character bigrams, Latin through stemmed words) by scripts/fit-calibration.ts on held-out
 * trigger queries built from the skill bank. Every input is a function of the query and the
 * skill alone (term statistics come from the shipped background table), so the score is too:
 * it means the same in a 1-skill store and in a full bank, for every user. Ranking uses the same
 * score, so scores are non-increasing down a result list without borrowing from other hits.
 *
 * Why logistic regression, hand-rolled: twenty inputs and a few thousand examples; a dependency
 * (e.g. ml-logistic-regression) would add a matrix library for what is 30 lines of gradient
 * descent in the fit script and one dot product at runtime.
 */

/** Evidence for one (query, skill) pair; all in [0, 1]. */
export interface Evidence {
  /** BM25F score / score of an ideal document for the query */
  lexical: number;
  /** min(1, ideal score / informationFloor): how much the query says */
  info: number;
  /** share of the query's IDF mass the skill contains (any field) */
  coverage: number;
  /** the same, in the skill's name, description, triggers or tags */
  headCoverage: number;
  /** best multi-word trigger match: c_t⁴ · c_q^⅛ (c_t: trigger mass in the query, c_q: query mass in the trigger) */
  trigger: number;
  /** best c_t over all triggers, one-word ones included: how completely the query states some trigger */
  triggerCover: number;
  /** share of the skill name's IDF mass the query contains */
  nameCover: number;
  /** share of the query's adjacent word pairs that occur adjacent in the skill's head */
  phrase: number;
  /** IDF mass of the query matched in the head, absolute (nats / 15, capped at 1) */
  headMass: number;
  /** BM25F score, absolute (/ informationFloor, capped at 1) */
  lexicalMass: number;
  /** a trigger stated verbatim as a phrase: the share of the query it explains (0 when none) */
  stated: number;
  /** rescaled embedding cosine */
  semantic: number;
  /** 1 when the query is an information question rather than a task request (query-form.ts) */
  question: number;
  /** IDF mass of the query the skill's head does not contain, absolute (nats / 15, capped at 1) */
  headMiss: number;
  /** the same for the whole skill */
  miss: number;
  /** IDF of the query's most specific word the skill does not contain (/ 8, capped at 1; 0 when it has them all) */
  topMiss: number;
  /** the same for the skill's head */
  topHeadMiss: number;
  /** 1 when the query is a remark ("I lost my wallet"), not a request or a question (query-form.ts) */
  remark: number;
  /** 1 when the skill's head shares a single word with the query: one shared topic word ("paper", "timer") */
  oneWord: number;
  /** how many of the query's words the skill's head contains (/ 3, capped at 1) */
  headWords: number;
  /** share of the query's words (counted, not weighted) the skill's head contains */
  headWordShare: number;
  /** share of the query's words the whole skill contains */
  wordShare: number;
  /**
   * 1 when the query states a whole trigger of the skill: a multi-word trigger as a phrase, or a
   * one-word trigger that is not a generic word (IDF ≥ 2). Not a model input: see `calibrate`.
   */
  triggerStated: number;
}

export type Script = 'latin' | 'cjk';

export interface CalibrationModel {
  bias: number;
  /** one weight per entry of FEATURE_NAMES */
  weights: readonly number[];
}

export const FEATURE_NAMES = [
  'lexical',
  'info',
  'lexical·info',
  'coverage',
  'headCoverage',
  'headCoverage·info',
  'trigger',
  'triggerCover',
  'triggerCover·info',
  'nameCover',
  'phrase',
  'headMass',
  'lexicalMass',
  'stated',
  'statedPayload',
  'semantic',
  'question',
  'question·headCoverage',
  'question·lexicalMass',
  'headMiss',
  'miss',
  'topMiss',
  'topHeadMiss',
  'remark',
  'oneWord',
  'headWords',
  'headWordShare',
  'wordShare',
] as const;

/** The model's inputs, in FEATURE_NAMES order. */
export function featureVector(e: Evidence): number[] {
  return Array.from(features(e, new Float64Array(FEATURE_NAMES.length)));
}

/** The model's inputs written into `x` (FEATURE_NAMES order). */
function features(e: Evidence, x: Float64Array): Float64Array {
  let i = 0;
  x[i++] = e.lexical;
  x[i++] = e.info;
  x[i++] = e.lexical * e.info;
  x[i++] = e.coverage;
  x[i++] = e.headCoverage;
  x[i++] = e.headCoverage * e.info;
  x[i++] = e.trigger;
  x[i++] = e.triggerCover;
  x[i++] = e.triggerCover * e.info;
  x[i++] = e.nameCover;
  x[i++] = e.phrase;
  x[i++] = e.headMass;
  x[i++] = e.lexicalMass;
  x[i++] = e.stated;
  // a stated trigger inside a longer request: the more payload, the more the BM25 share undersells it
  x[i++] = e.stated > 0 ? 1 - e.stated : 0;
  x[i++] = e.semantic;
  x[i++] = e.question;
  x[i++] = e.question * e.headCoverage;
  x[i++] = e.question * e.lexicalMass;
  x[i++] = e.headMiss;
  x[i++] = e.miss;
  x[i++] = e.topMiss;
  x[i++] = e.topHeadMiss;
  x[i++] = e.remark;
  x[i++] = e.oneWord;
  x[i++] = e.headWords;
  x[i++] = e.headWordShare;
  x[i++] = e.wordShare;
  return x;
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu;
const LATIN_WORD = /[\p{L}\p{N}]+/gu;

/** A query is CJK when it has at least as many CJK characters as other words. */
export function scriptOf(query: string): Script {
  const cjk = query.match(CJK)?.length ?? 0;
  if (cjk === 0) return 'latin';
  const words = query.replace(CJK, ' ').match(LATIN_WORD)?.length ?? 0;
  return cjk >= words ? 'cjk' : 'latin';
}

/**
 * How far a stated trigger lifts a score: p' = 1 − (1 − p)·(1 − TRIGGER_LIFT), so a request that
 * names one of the skill's own triggers clears the 0.5 injection threshold whatever its payload.
 * Why a fixed rule and not a fitted weight: triggers are the skill's own statement of when it
 * applies, and the held-out set cannot show this case (its query trigger is removed from the
 * skill). Learned skills are small and their later requests carry their own payload ("write a
 * report on coffee exports"), which dilutes every share-based input.
 */
export const TRIGGER_LIFT = 0.6;

/** calibrate's inputs (one search's candidates are calibrated one after another, synchronously) */
const scratch = new Float64Array(FEATURE_NAMES.length);

export function calibrate(e: Evidence, model: CalibrationModel): number {
  const x = features(e, scratch);
  let z = model.bias;
  for (let i = 0; i < x.length; i++) z += (model.weights[i] ?? 0) * x[i]!;
  const p = 1 / (1 + Math.exp(-z));
  return e.triggerStated > 0 ? 1 - (1 - p) * (1 - TRIGGER_LIFT) : p;
}

export function modelFor(script: Script): CalibrationModel {
  return CALIBRATION[script];
}
