import { createHash } from 'node:crypto';
import type { Embedder } from '../index/embedder.js';
import type { VectorStore } from '../index/vector-store.js';
import { Bm25Index, type Bm25Field } from '../index/bm25.js';
import type { DocTerms, TermCache, TermCacheSnapshot } from '../index/term-cache.js';
import { tokenize } from '../index/tokenize.js';
import { VectorIndex } from '../index/vector-index.js';
import { isLibraryOwner, type Scope, type Skill } from '../skill/schema.js';

/**
 * Hybrid skill search: field-weighted BM25 fused with embedding similarity, all in memory.
 *
 * Scores. Every hit carries three numbers in [0, 1]:
 *  - `lexical`  = BM25F(q, d) / BM25F(q, ideal): the share of the query's attainable evidence the
 *    skill provides. The "ideal" document contains every query term (including terms no skill
 *    contains) with saturated frequency in every field, so 1.0 means "everything the query says,
 *    strongly", and a query whose words are unknown to the index cannot score high on the few
 *    skills it touches. Unlike upstream's divide-by-the-best-hit, this never promotes the best
 *    of a bad lot to 1.0. It is then damped for low-information queries (`informationFloor`).
 *  - `semantic` = the embedding cosine, rescaled so that the cosine expected between unrelated
 *    texts (`cosineFloor`) maps to 0: max(0, (cos − floor) / (1 − floor)).
 *  - `score`    = (1 − w)·lexical + w·semantic, a convex combination of the two calibrated
 *    scores (w = `semanticWeight`), raised when the query states one of the skill's trigger
 *    phrases (`triggerBoost`), so that "write a report about X" is a confident match for the
 *    skill triggered by "write a report" although X dilutes the word overlap.
 * Ranking and calibration are kept apart. Hits are ordered by the fused score, reordered only by
 * a trigger stated verbatim as a phrase inside a longer query (`triggerRankBoost`); the
 * trigger lift then only raises scores, monotonically: a hit's score is at least the lifted
 * score of every hit ranked below it (the ranker holds it to be at least as relevant), so scores
 * are non-increasing down the list and an absolute `minScore` keeps a prefix of the ranking.
 * Why a convex combination of calibrated scores rather than Reciprocal Rank Fusion: RRF discards
 * magnitudes, so its output cannot be compared with an absolute `minScore` (rank 1 of nonsense
 * looks like rank 1 of a perfect match). Calibrated scores keep "how good" and stay comparable
 * across queries, scopes and users. The weights were tuned on a held-out trigger set built from
 * the skill bank (bench/quality.ts): with the offline hashing embedder, whose "semantics" is
 * surface overlap, the vector side earns a small weight; a real embedding model deserves more
 * (pass `semanticWeight`).
 *
 * Candidates. Lexical matches are ranked by BM25 and the best `rerankDepth` are re-scored with
 * the vector. For semantic embedders, the vector top-`rerankDepth` (an exact scan) joins the
 * pool, so a skill with no word in common (another language, a paraphrase) can still be found.
 * The offline `LocalEmbedder` hashes the same tokens BM25 sees, so a skill with no lexical match
 * has no meaningful similarity; for it (`embedder.lexicalOnly === true`) the O(N·d) scan is skipped.
 *
 * Search does no I/O other than embedding the query, and never re-embeds a skill.
 */

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
   * Drop hits whose fused `score` is below this (0..1). Default 0. Hits with no evidence at all
   * (score 0) are never returned. As a guide with the default ranking: ≥ 0.5 is a strong match,
   * 0.25–0.5 a partial one, below 0.2 usually incidental word overlap.
   */
  minScore?: number;
  filters?: SearchFilters;
}

export interface SkillHit {
  skill: Skill;
  /** fused relevance in [0, 1]; comparable across queries */
  score: number;
  /** calibrated BM25F share in [0, 1] */
  lexical: number;
  /** rescaled embedding cosine in [0, 1] (0 when no vector is available) */
  semantic: number;
}

/** Tunable ranking constants. The defaults were tuned with bench/quality.ts on the real bank. */
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
  /** weight of the semantic score in the fused score (0..1) */
  semanticWeight: number;
  /** the cosine expected between unrelated texts; maps to semantic = 0 */
  cosineFloor: number;
  /**
   * Queries with little information (one common word, a greeting) cannot carry strong evidence:
   * lexical is multiplied by min(1, idealScore / informationFloor), where idealScore is the
   * BM25 score of a perfect match for the query. A two- or three-word specific query clears it.
   */
  informationFloor: number;
  /** how many lexical (and, for semantic embedders, vector) candidates are re-scored */
  rerankDepth: number;
  /**
   * Trigger-phrase matching, used for the calibrated score. BM25F sees a skill's triggers as one
   * bag of words; a query that says one trigger phrase nearly verbatim deserves a confident
   * score even when it also carries its own payload ("write a report about X"). For each
   * candidate, the best trigger gets match = c_t⁴ · c_q^⅛, where c_t is the share of the
   * trigger's IDF mass present in the query and c_q the share of the query's mass present in the
   * trigger (so "the query is the trigger" = 1, "the query contains the whole trigger plus more"
   * a little less, "the query shares part of a trigger" much less). Above `triggerThreshold` it
   * lifts the score by probabilistic OR: s = 1 − (1 − s)·(1 − triggerBoost·strength).
   * This lift does not reorder candidates (see `triggerRankBoost`): hits stay in ranking order
   * and a hit's score is at least the lifted score of any hit ranked below it.
   */
  triggerBoost: number;
  triggerThreshold: number;
  /**
   * Reordering by a stated trigger. Only a trigger that appears in the query as a phrase
   * (its words contiguous and in order, modulo stopwords and inflection) moves its skill, and only
   * by the share of the query the trigger does not explain: rank key = 1 − (1 − s)·(1 −
   * triggerRankBoost·(1 − c_q)). Why so narrow: the payload words of "write a report about
   * climate policy" pull in skills about climate, diluting the report skill's BM25 share, and this
   * restores it. A query that *is* a trigger is not diluted, and a bag-of-words trigger match is
   * weak evidence of intent; boosting those mostly promotes near-duplicate skills (other
   * extraction runs of the same conversation) over the one that fits best, which cost 3–4 points
   * of English hit@1 on the held-out set. 0 disables reordering.
   */
  triggerRankBoost: number;
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
  rerankDepth: 200,
  triggerBoost: 0.8,
  triggerThreshold: 0.7,
  triggerRankBoost: 0.8,
};

export interface SkillIndexOptions {
  embedder: Embedder;
  vectorStore?: VectorStore;
  /** override ranking constants (merged over DEFAULT_RANKING) */
  ranking?: Partial<Omit<RankingOptions, 'fields'>> & { fields?: Partial<RankingOptions['fields']> };
  /** texts per embedder call when (re)embedding skills; default 64 */
  embedBatchSize?: number;
  /**
   * Persisted tokenization (see index/term-cache.ts). With it, `load()` + `upsert(all)` reuse the
   * stored term counts of every skill whose retrieval text is unchanged instead of tokenizing.
   */
  termCache?: TermCache;
}

/** An upsert call that had to tokenize at least this many skills saves the term cache at once. */
const TERM_CACHE_SAVE_BATCH = 256;

const FIELD_ORDER = ['name', 'description', 'triggers', 'tags', 'instructions', 'resources'] as const;
/** Resource paths are a utility signal; a skill with hundreds of files must not drown in them. */
const MAX_RESOURCE_PATHS = 32;
/** Cap on the text sent to the embedder (remote models have input limits). */
const MAX_EMBED_CHARS = 8000;
const DEFAULT_LIMIT = 5;
/** how many of the best lexical candidates get the trigger-phrase check */
const TRIGGER_CHECK_DEPTH = 50;

/** The six retrieval fields of a skill, in BM25 field order. */
export function retrievalFields(skill: Skill): string[] {
  return [
    skill.name,
    skill.description,
    skill.triggers.join('\n'),
    skill.tags.join('\n'),
    skill.instructions,
    skill.resources.slice(0, MAX_RESOURCE_PATHS).join('\n'),
  ];
}

/** The text a skill is retrieved by (and whose hash decides whether to re-embed). */
export function retrievalText(skill: Skill): string {
  const f = retrievalFields(skill);
  return [
    `Name: ${f[0]}`,
    `Description: ${f[1]}`,
    `Triggers:\n${f[2]}`,
    `Tags: ${skill.tags.join(', ')}`,
    `Instructions:\n${f[4]}`,
    `Resources:\n${f[5]}`,
  ].join('\n');
}

export function textHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/**
 * `textHash(retrievalText(skill))` without building the text: the same bytes are fed to the hash
 * piece by piece. Opening a store hashes every skill; concatenating each one first would copy the
 * whole bank (tens of MB of short-lived strings) just to throw it away.
 */
export function retrievalHash(skill: Skill): string {
  const f = retrievalFields(skill);
  const h = createHash('sha256');
  h.update('Name: ').update(f[0]!).update('\nDescription: ').update(f[1]!).update('\nTriggers:\n').update(f[2]!);
  h.update('\nTags: ').update(skill.tags.join(', ')).update('\nInstructions:\n').update(f[4]!).update('\nResources:\n').update(f[5]!);
  return h.digest('hex').slice(0, 32);
}

/**
 * Query terms as a set (weight 1 each). A CJK two-character word is emitted both as a dictionary
 * word and as a bigram; counting it twice would let short Chinese queries claim double evidence.
 */
export function queryTerms(query: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of tokenize(query)) m.set(t, 1);
  return m;
}

const CJK_SCRIPTS = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}';
/** a CJK run, or a run of other letters and digits ("用Python写" is three runs) */
const PHRASE_WORD = new RegExp(`[${CJK_SCRIPTS}]+|(?:(?![${CJK_SCRIPTS}])[\\p{L}\\p{N}])+`, 'gu');
const CJK_START = new RegExp(`^[${CJK_SCRIPTS}]`, 'u');

/**
 * A text as an ordered word sequence for phrase matching: Latin words through the tokenizer
 * (stemmed, identifiers split, stopwords dropped, so "writing the report" and "write a report"
 * agree) and CJK text as single characters (segmentation of a short trigger and of a longer
 * query can disagree; characters cannot).
 */
export function phraseTokens(text: string): string[] {
  const out: string[] = [];
  for (const m of text.normalize('NFKC').matchAll(PHRASE_WORD)) {
    const w = m[0];
    if (CJK_START.test(w)) {
      for (const ch of w) out.push(ch.toLowerCase());
      continue;
    }
    const t = tokenize(w);
    // an identifier yields its compound first, then its parts; the parts are the sequence
    if (t.length > 1) out.push(...t.slice(1));
    else if (t.length === 1) out.push(t[0]!);
  }
  return out;
}

/** Whether `needle` occurs as a contiguous run in `hay`. */
export function containsRun(hay: readonly string[], needle: readonly string[]): boolean {
  const n = needle.length;
  if (n === 0 || n > hay.length) return false;
  outer: for (let i = 0; i + n <= hay.length; i++) {
    for (let j = 0; j < n; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

interface Entry {
  skill: Skill;
  hash: string;
  /** unique tokens of each trigger phrase */
  triggerTokens: string[][];
  library: boolean;
  /** lowercase tags, for the tag filter */
  tags: Set<string>;
}

interface Candidate {
  entry: Entry;
  lexical: number;
  semantic: number;
  /** fused score; becomes the trigger-lifted, calibrated score */
  score: number;
  /** what candidates are ordered by */
  key: number;
}

export class SkillIndex {
  readonly embedder: Embedder;
  private readonly vectorStore: VectorStore | undefined;
  private readonly ranking: RankingOptions;
  private readonly batchSize: number;
  private readonly bm25: Bm25Index;
  private vectors: VectorIndex;
  private readonly entries = new Map<string, Entry>();
  /** hash of the text each stored vector was computed from */
  private readonly vectorHash = new Map<string, string>();
  /** vectors loaded from the store and not yet claimed by an upserted skill */
  private persisted = new Map<string, { hash: string; vector: Float32Array }>();
  /** idf per term for the current corpus; cleared whenever documents change */
  private idfCache = new Map<string, number>();
  /** serializes writes to the vector store so saves land in call order */
  private saveChain: Promise<void> = Promise.resolve();
  private readonly termCache: TermCache | undefined;
  /** the loaded term cache, consumed by the first upsert after load() and then released */
  private cachedTerms: TermCacheSnapshot | undefined;
  /** skills tokenized since the term cache was last loaded or saved */
  private termMisses = 0;

  constructor(opts: SkillIndexOptions) {
    this.embedder = opts.embedder;
    this.vectorStore = opts.vectorStore;
    this.termCache = opts.termCache;
    this.batchSize = Math.max(1, opts.embedBatchSize ?? 64);
    const r = opts.ranking ?? {};
    this.ranking = {
      ...DEFAULT_RANKING,
      ...r,
      fields: { ...DEFAULT_RANKING.fields, ...(r.fields ?? {}) },
    } as RankingOptions;
    const fields: Bm25Field[] = FIELD_ORDER.map((name) => ({ name, ...this.ranking.fields[name] }));
    this.bm25 = new Bm25Index({ fields, k1: this.ranking.k1 });
    this.vectors = new VectorIndex(this.embedder.dimensions);
  }

  size(): number {
    return this.entries.size;
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** Number of indexed skills that have a current vector (diagnostics, tests). */
  vectorCount(): number {
    return this.vectors.size;
  }

  /**
   * Load persisted vectors for `embedder.signature`. Vectors are adopted lazily by `upsert` when
   * the skill's retrieval-text hash matches, so load() and upsert() may come in either order.
   * A store failure or a dimension mismatch means "start empty", never a crash.
   */
  async load(): Promise<void> {
    if (this.termCache) {
      try {
        this.cachedTerms = await this.termCache.load(FIELD_ORDER.length);
      } catch {
        this.cachedTerms = undefined;
      }
    }
    if (!this.vectorStore) return;
    let stored;
    try {
      stored = await this.vectorStore.load(this.embedder.signature);
    } catch {
      stored = undefined;
    }
    if (!stored) return;
    if (stored.dims !== this.embedder.dimensions) {
      // Same signature, other size: the model changed under the same name. Rebuild.
      await this.enqueueSave(() => this.vectorStore!.clear(this.embedder.signature));
      return;
    }
    this.persisted = new Map(stored.entries);
    // Reserve room for every stored row at once: growing by doubling from 64 rows would allocate
    // (and drop) about twice the final matrix while the store opens.
    if (this.vectors.size === 0) this.vectors = new VectorIndex(this.embedder.dimensions, stored.entries.size + 64);
    // Skills upserted before load() finished can take their vectors now.
    const adopted: string[] = [];
    for (const [id, entry] of this.entries) {
      if (this.vectorHash.get(id) === entry.hash) continue;
      const p = this.persisted.get(id);
      if (p && p.hash === entry.hash && p.vector.length === this.vectors.dims) {
        this.vectors.upsert(id, p.vector);
        this.vectorHash.set(id, p.hash);
        adopted.push(id);
      }
    }
    for (const id of adopted) this.persisted.delete(id);
  }

  /**
   * Add or update skills. The lexical index is updated at once; a skill is (re-)embedded only when
   * its retrieval text changed and no persisted vector with the same hash exists. If embedding
   * fails the error is thrown after the lexical side is updated; calling upsert again retries
   * exactly the skills still missing a vector.
   */
  async upsert(skills: Skill[]): Promise<void> {
    const toEmbed: Array<{ id: string; hash: string; text: string }> = [];
    const adopted: Array<{ id: string; hash: string; vector: Float32Array }> = [];
    for (const skill of skills) {
      const hash = retrievalHash(skill);
      const prev = this.entries.get(skill.id);
      let triggerTokens: string[][];
      if (prev && prev.hash === hash) triggerTokens = prev.triggerTokens;
      else {
        this.idfCache.clear();
        const cached = this.cachedTerms?.get(hash);
        if (cached && cached.triggers.length === skill.triggers.length) {
          this.bm25.addCounts(skill.id, cached);
          triggerTokens = cached.triggers as string[][];
        } else {
          this.bm25.add(skill.id, retrievalFields(skill).map((f) => tokenize(f)));
          triggerTokens = skill.triggers.map((t) => [...new Set(tokenize(t))]);
          this.termMisses++;
        }
      }
      const entry: Entry = {
        skill,
        hash,
        library: isLibraryOwner(skill.owner),
        tags: new Set(skill.tags.map((t) => t.toLowerCase())),
        triggerTokens,
      };
      this.entries.set(skill.id, entry);
      if (this.vectorHash.get(skill.id) === hash) continue;
      const p = this.persisted.get(skill.id);
      if (p && p.hash === hash && p.vector.length === this.vectors.dims) {
        this.vectors.upsert(skill.id, p.vector);
        this.vectorHash.set(skill.id, hash);
        this.persisted.delete(skill.id);
        continue;
      }
      // A stale vector must not keep ranking the new text.
      if (this.vectors.remove(skill.id)) this.vectorHash.delete(skill.id);
      const text = retrievalText(skill);
      toEmbed.push({ id: skill.id, hash, text: text.length > MAX_EMBED_CHARS ? text.slice(0, MAX_EMBED_CHARS) : text });
    }

    // The cache has served the open; holding it longer would only keep its buffer alive.
    this.cachedTerms = undefined;
    if (skills.length >= TERM_CACHE_SAVE_BATCH) this.bm25.compact();
    // Each save rewrites the whole cache, so while the index grows (a bulk import) save only when
    // the unsaved part is large relative to it: O(log n) saves instead of one per batch.
    if (this.termMisses >= Math.max(TERM_CACHE_SAVE_BATCH, this.entries.size / 2)) await this.flush();

    // Duplicated ids within one call: only the last version is embedded.
    const last = new Map(toEmbed.map((t) => [t.id, t]));
    const work = [...last.values()];
    for (let i = 0; i < work.length; i += this.batchSize) {
      const batch = work.slice(i, i + this.batchSize);
      const vecs = await this.embedder.embed(batch.map((b) => b.text));
      if (vecs.length !== batch.length) throw new Error(`embedder returned ${vecs.length} vectors for ${batch.length} texts`);
      batch.forEach((b, j) => {
        const v = vecs[j]!;
        if (v.length !== this.vectors.dims) {
          throw new Error(`embedder ${this.embedder.signature} returned ${v.length} dims, expected ${this.vectors.dims}`);
        }
        // A newer upsert (or a remove) may have landed while we awaited the embedder.
        if (this.entries.get(b.id)?.hash !== b.hash) return;
        this.vectors.upsert(b.id, v);
        this.vectorHash.set(b.id, b.hash);
        adopted.push({ id: b.id, hash: b.hash, vector: v });
      });
    }
    if (adopted.length > 0 && this.vectorStore) {
      const store = this.vectorStore;
      await this.enqueueSave(() => store.save(this.embedder.signature, this.vectors.dims, adopted, []));
    }
  }

  /**
   * Persist the term counts of the indexed skills when some were tokenized since the last save,
   * so the next open can skip tokenizing them. Best effort: the cache is only an accelerator.
   */
  async flush(minUnsaved = 1): Promise<void> {
    if (!this.termCache || this.termMisses < Math.max(1, minUnsaved)) return;
    const misses = this.termMisses;
    const docs = this.bm25.documents();
    const out: Array<[string, DocTerms]> = [];
    for (const [id, d] of docs) {
      const e = this.entries.get(id);
      if (e) out.push([e.hash, { ...d, triggers: e.triggerTokens }]);
    }
    try {
      await this.termCache.save(FIELD_ORDER.length, out);
      this.termMisses = Math.max(0, this.termMisses - misses);
    } catch {
      // keep the count: the next flush tries again
    }
  }

  async remove(ids: string[]): Promise<void> {
    const deleted: string[] = [];
    this.idfCache.clear();
    for (const id of ids) {
      const had = this.entries.delete(id);
      this.bm25.remove(id);
      this.vectors.remove(id);
      this.vectorHash.delete(id);
      const hadPersisted = this.persisted.delete(id);
      if (had || hadPersisted) deleted.push(id);
    }
    if (deleted.length > 0 && this.vectorStore) {
      const store = this.vectorStore;
      await this.enqueueSave(() => store.save(this.embedder.signature, this.vectors.dims, [], deleted));
    }
  }

  async search(query: string, opts: SearchOptions = {}): Promise<SkillHit[]> {
    const limit = Math.max(1, Math.floor(opts.limit ?? DEFAULT_LIMIT));
    const minScore = opts.minScore ?? 0;
    const allowed = this.allowFilter(opts);
    if (!allowed || query.trim() === '' || this.entries.size === 0) return [];

    // Embed first: it is the only await, so everything after it sees one consistent index.
    let qv: Float32Array | undefined;
    if (this.vectors.size > 0 && this.ranking.semanticWeight > 0) {
      try {
        const [v] = await this.embedder.embed([query]);
        if (v && v.length === this.vectors.dims) qv = v;
      } catch {
        qv = undefined; // degrade to lexical-only ranking; never fail a search on the embedder
      }
    }
    const ranked = this.collect(query, qv, allowed, limit).filter((c) => c.key > 0);
    ranked.sort((a, b) => b.key - a.key || b.lexical - a.lexical || a.entry.skill.id.localeCompare(b.entry.skill.id));
    // Calibrated scores follow the ranking: each hit gets at least the lifted score of any hit
    // below it, so the list stays sorted by score and `minScore` cuts a prefix of the ranking.
    let floor = 0;
    for (let i = ranked.length - 1; i >= 0; i--) {
      const c = ranked[i]!;
      floor = Math.max(floor, c.score, c.key);
      c.score = Math.min(1, floor);
    }
    const hits: SkillHit[] = [];
    for (const c of ranked) {
      if (hits.length >= limit || c.score < minScore) break;
      hits.push({ skill: c.entry.skill, score: c.score, lexical: c.lexical, semantic: c.semantic });
    }
    return hits;
  }

  private collect(query: string, qv: Float32Array | undefined, allowed: (e: Entry) => boolean, limit: number): Candidate[] {
    const R = this.ranking;
    const depth = Math.max(R.rerankDepth, limit * 4);
    const w = qv ? R.semanticWeight : 0;
    const pool = new Map<string, Candidate>();

    const terms = queryTerms(query);
    const m = this.bm25.search(terms);
    const info = m.maxScore > 0 ? Math.min(1, m.maxScore / R.informationFloor) : 0;
    // Lexical candidates: allowed matches, best `depth` by BM25.
    const lexIdx: number[] = [];
    const lexEntries: Entry[] = [];
    for (let i = 0; i < m.count; i++) {
      const id = this.bm25.idOf(m.slots[i]!);
      const e = id === undefined ? undefined : this.entries.get(id);
      if (!e || !allowed(e)) continue;
      lexIdx.push(i);
      lexEntries.push(e);
    }
    let order = lexIdx.map((_, k) => k);
    if (order.length > depth) {
      // Keep the best `depth`: a native numeric sort of a score copy finds the cut-off, which is
      // several times cheaper than sorting thousands of indices with a comparator. Ties at the
      // cut-off are all kept, so the pool does not depend on sort stability.
      const scores = Float64Array.from(lexIdx, (i) => m.scores[i]!);
      const cut = scores.slice().sort()[scores.length - depth]!;
      order = order.filter((k) => scores[k]! >= cut);
    }
    for (const k of order) {
      const e = lexEntries[k]!;
      const lexical = m.maxScore > 0 ? (m.scores[lexIdx[k]!]! / m.maxScore) * info : 0;
      pool.set(e.skill.id, { entry: e, lexical, semantic: 0, score: 0, key: 0 });
    }

    if (qv) {
      const lexicalOnly = (this.embedder as { lexicalOnly?: boolean }).lexicalOnly === true;
      if (!lexicalOnly) {
        // Exact vector top-`depth` over the allowed skills joins the pool.
        const top = this.vectors.search(qv, depth, (id) => {
          const e = this.entries.get(id);
          return e !== undefined && allowed(e);
        });
        for (const h of top) {
          if (pool.has(h.id)) continue;
          const e = this.entries.get(h.id)!;
          pool.set(h.id, { entry: e, lexical: 0, semantic: 0, score: 0, key: 0 });
        }
      }
      for (const c of pool.values()) {
        const cos = this.vectors.score(c.entry.skill.id, qv);
        if (cos !== undefined) c.semantic = Math.max(0, Math.min(1, (cos - R.cosineFloor) / (1 - R.cosineFloor)));
      }
    }
    for (const c of pool.values()) c.key = c.score = (1 - w) * c.lexical + w * c.semantic;
    if ((R.triggerBoost > 0 || R.triggerRankBoost > 0) && m.knownTerms > 0) {
      // A query that states a trigger phrase matches that skill's trigger field strongly, so the
      // skill is among the best lexical candidates; checking those keeps this cheap.
      const top = [...pool.values()].sort((a, b) => b.lexical - a.lexical).slice(0, TRIGGER_CHECK_DEPTH + limit);
      this.applyTriggerMatch(query, terms, top);
    }
    return [...pool.values()];
  }

  /** Trigger-phrase evidence: lifts `score` (calibration) and, for a phrase stated inside a longer query, `key` (ranking). */
  private applyTriggerMatch(query: string, terms: ReadonlyMap<string, number>, candidates: Iterable<Candidate>): void {
    const R = this.ranking;
    let qMass = 0;
    for (const t of terms.keys()) qMass += this.idf(t);
    if (qMass <= 0) return;
    let qPhrase: string[] | undefined;
    for (const c of candidates) {
      let best = 0;
      /** largest query share explained by a trigger the query states as a phrase */
      let stated = 0;
      const triggers = c.entry.triggerTokens;
      for (let i = 0; i < triggers.length; i++) {
        const trig = triggers[i]!;
        // A one-word trigger ("python") is a topic, not a stated intent; BM25 already counts it.
        if (trig.length < 2 || (trig.length === 2 && trig[0] === trig[1])) continue;
        // Cheap pass first: most triggers share no term with the query.
        let shared = 0;
        for (const t of trig) if (terms.has(t)) shared += this.idf(t);
        if (shared === 0) continue;
        let tMass = 0;
        for (const t of trig) tMass += this.idf(t);
        const ct = shared / tMass;
        const cq = shared / qMass;
        const match = ct ** 4 * cq ** 0.125;
        if (match > best) best = match;
        // Every word of the trigger is in the query: is it said as a phrase?
        if (R.triggerRankBoost > 0 && shared >= tMass * (1 - 1e-9) && cq > stated) {
          const text = c.entry.skill.triggers[i];
          qPhrase ??= phraseTokens(query);
          if (text !== undefined && containsRun(qPhrase, phraseTokens(text))) stated = Math.min(1, cq);
        }
      }
      if (best <= R.triggerThreshold) continue;
      const strength = (best - R.triggerThreshold) / (1 - R.triggerThreshold);
      c.score = 1 - (1 - c.score) * (1 - R.triggerBoost * strength);
      if (stated > 0) c.key = 1 - (1 - c.key) * (1 - R.triggerRankBoost * strength * (1 - stated));
    }
  }

  /** BM25 idf of a term, cached until the corpus changes. */
  private idf(term: string): number {
    let v = this.idfCache.get(term);
    if (v === undefined) {
      const n = Math.max(1, this.bm25.size);
      const df = this.bm25.docFreq(term);
      v = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      this.idfCache.set(term, v);
    }
    return v;
  }

  /** Build the scope + filter predicate; undefined when nothing can match. */
  private allowFilter(opts: SearchOptions): ((e: Entry) => boolean) | undefined {
    // `library` is accepted as an alias of `common`; anything unknown means `all`.
    const raw = opts.scope as string | undefined;
    const scope: Scope = raw === 'library' ? 'common' : raw === 'user' || raw === 'common' ? raw : 'all';
    const owner = opts.userId ? `user:${opts.userId}` : undefined;
    if (scope === 'user' && !owner) return undefined;
    const f = opts.filters ?? {};
    const ids = f.ids ? new Set(f.ids) : undefined;
    if (ids && ids.size === 0) return undefined;
    const tags = f.tags && f.tags.length > 0 ? f.tags.map((t) => t.toLowerCase()) : undefined;
    const meta = f.metadata ? Object.entries(f.metadata) : [];
    return (e) => {
      if (scope === 'user') {
        if (e.skill.owner !== owner) return false;
      } else if (scope === 'common') {
        if (!e.library) return false;
      } else if (!e.library && e.skill.owner !== owner) return false;
      if (ids && !ids.has(e.skill.id)) return false;
      if (tags && !tags.some((t) => e.tags.has(t))) return false;
      for (const [k, v] of meta) if (e.skill.metadata[k] !== v) return false;
      return true;
    };
  }

  private enqueueSave(fn: () => Promise<void>): Promise<void> {
    const next = this.saveChain.then(fn, fn);
    // Keep the chain alive after a failure; the caller still sees the error.
    this.saveChain = next.catch(() => undefined);
    return next;
  }
}
