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
 *    of a bad lot to 1.0. It is then damped for low-information queries (`informationFloor`)
 *    and raised when the query states one of the skill's trigger phrases (`triggerBoost`).
 *  - `semantic` = the embedding cosine, rescaled so that the cosine expected between unrelated
 *    texts (`cosineFloor`) maps to 0: max(0, (cos − floor) / (1 − floor)).
 *  - `score`    = (1 − w)·lexical + w·semantic, a convex combination of the two calibrated
 *    scores (w = `semanticWeight`).
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
   * Trigger-phrase matching. BM25F sees a skill's triggers as one bag of words; a query that
   * says one trigger phrase nearly verbatim deserves more. For each candidate, the best trigger
   * gets match = c_t⁴ · c_q^⅛, where c_t is the share of the trigger's IDF mass present in the
   * query and c_q the share of the query's mass present in the trigger (so "the query is the
   * trigger" = 1, "the query contains the whole trigger plus more" a little less, "the query
   * shares part of a trigger" much less). Above `triggerThreshold` it raises the lexical score by probabilistic
   * OR: lexical = 1 − (1 − lexical)·(1 − triggerBoost·strength).
   */
  triggerBoost: number;
  triggerThreshold: number;
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
  // Costs ~1.5–2.5 points of hit@1 on the held-out set (where the answer's own trigger was
  // removed, so the boost can only fire on near-duplicate skills from another extraction run),
  // and makes a query that states a skill's trigger land on it with a usable score. Set
  // triggerBoost to 0 for pure held-out tuning.
  triggerBoost: 0.8,
  triggerThreshold: 0.7,
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
  score: number;
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
  /** unique terms of the query being scored (set by collect, read by applyTriggerMatch) */
  private lastQueryTerms = new Set<string>();
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
    const candidates = this.collect(query, qv, allowed, limit);
    const hits: SkillHit[] = [];
    for (const c of candidates) {
      if (c.score <= 0 || c.score < minScore) continue;
      hits.push({ skill: c.entry.skill, score: c.score, lexical: c.lexical, semantic: c.semantic });
    }
    hits.sort((a, b) => b.score - a.score || b.lexical - a.lexical || a.skill.id.localeCompare(b.skill.id));
    return hits.slice(0, limit);
  }

  private collect(query: string, qv: Float32Array | undefined, allowed: (e: Entry) => boolean, limit: number): Candidate[] {
    const R = this.ranking;
    const depth = Math.max(R.rerankDepth, limit * 4);
    const w = qv ? R.semanticWeight : 0;
    const pool = new Map<string, Candidate>();

    const terms = queryTerms(query);
    this.lastQueryTerms = new Set(terms.keys());
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
      order.sort((a, b) => m.scores[lexIdx[b]!]! - m.scores[lexIdx[a]!]!);
      order = order.slice(0, depth);
    }
    for (const k of order) {
      const e = lexEntries[k]!;
      const lexical = m.maxScore > 0 ? (m.scores[lexIdx[k]!]! / m.maxScore) * info : 0;
      pool.set(e.skill.id, { entry: e, lexical, semantic: 0, score: 0 });
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
          pool.set(h.id, { entry: e, lexical: 0, semantic: 0, score: 0 });
        }
      }
      for (const c of pool.values()) {
        const cos = this.vectors.score(c.entry.skill.id, qv);
        if (cos !== undefined) c.semantic = Math.max(0, Math.min(1, (cos - R.cosineFloor) / (1 - R.cosineFloor)));
      }
    }
    if (R.triggerBoost > 0 && m.knownTerms > 0) {
      // A query that states a trigger phrase matches that skill's trigger field strongly, so the
      // skill is among the best lexical candidates; checking those keeps this cheap.
      const top = [...pool.values()].sort((a, b) => b.lexical - a.lexical).slice(0, TRIGGER_CHECK_DEPTH + limit);
      this.applyTriggerMatch(top);
    }
    for (const c of pool.values()) c.score = (1 - w) * c.lexical + w * c.semantic;
    return [...pool.values()];
  }

  private applyTriggerMatch(candidates: Iterable<Candidate>): void {
    const R = this.ranking;
    const q = this.lastQueryTerms;
    let qMass = 0;
    for (const t of q) qMass += this.idf(t);
    if (qMass <= 0) return;
    for (const c of candidates) {
      let best = 0;
      for (const trig of c.entry.triggerTokens) {
        // A one-word trigger ("python") is a topic, not a stated intent; BM25 already counts it.
        if (trig.length < 2 || (trig.length === 2 && trig[0] === trig[1])) continue;
        // Cheap pass first: most triggers share no term with the query.
        let shared = 0;
        for (const t of trig) if (q.has(t)) shared += this.idf(t);
        if (shared === 0) continue;
        let tMass = 0;
        for (const t of trig) tMass += this.idf(t);
        const ct = shared / tMass;
        const cq = shared / qMass;
        const match = ct ** 4 * cq ** 0.125;
        if (match > best) best = match;
      }
      if (best <= R.triggerThreshold) continue;
      const strength = (best - R.triggerThreshold) / (1 - R.triggerThreshold);
      c.lexical = 1 - (1 - c.lexical) * (1 - R.triggerBoost * strength);
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
