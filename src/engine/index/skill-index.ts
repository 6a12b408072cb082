import { isPending } from '../skill/review.js';
import type { Embedder } from '../ports/embedder.js';
import type { VectorStore } from './vector-store.js';
import { defaultBackground, type TermStats } from './background.js';
import { Bm25Index, type Bm25Field } from './bm25.js';
import { FamilyIndex } from './family-index.js';
import { buildInWorkers, buildThreads, PARALLEL_MIN, type BuildResult, type BuildTask } from './build-pool.js';
import { docTokens } from './doc-terms.js';
import { tokenize } from './tokenize.js';
import { docText, embedText, FIELD_ORDER, retrievalHash } from './retrieval-text.js';
// the index's public helpers and types stay importable from here
export * from './search-options.js';
import { DEFAULT_RANKING, type RankingOptions, type SearchOptions, type SkillHit, type SkillIndexOptions } from './search-options.js';
export { containsRun, phraseTokens, queryTerms } from './query-terms.js';
export { retrievalFields, retrievalHash, retrievalText, textHash } from './retrieval-text.js';
import type { IndexSnapshot, TermCache } from './term-cache.js';
import { VectorIndex } from './vector-index.js';
import { TriggerMatcher } from './trigger-match.js';
import type { Entry } from './entry.js';
import { plainEvidence } from './evidence-rows.js';
import { Ranker, type RankView } from './ranker.js';
import { isLibraryOwner, type Skill } from '../skill/schema.js';
import { modelFor, scriptOf, type CalibrationModel, type Evidence, type Script } from '../retrieve/calibration.js';
import type { Vocabulary } from '../retrieve/spelling.js';

/**
 * Hybrid skill search: field-weighted BM25 and embedding similarity, all in memory.
 *
 * Scores. A hit's `score` is a calibrated probability that the skill applies to the request
 * (calibration.ts): a logistic model, fitted per script on held-out triggers of the skill bank,
 * over the evidence for this (query, skill) pair: the BM25F share of the query's attainable
 * score, how much the query says, how much of the query the skill covers (anywhere, and in its
 * name/description/triggers/tags), how completely the query states one of the skill's triggers
 * (verbatim as a phrase or not), adjacent word pairs shared with the skill's head, and the
 * embedding cosine.
 *
 * Every input is a function of the query and the skill alone. BM25's IDF and average field
 * lengths come from a background table shipped with the package (index/background.ts), not from
 * the store: a score is the same in a 1-skill store and in a full bank, and a user's scores do
 * not move when another user adds skills. Ranking is by the same score, so scores are
 * non-increasing down a list without one hit lending its score to another, and an absolute
 * `minScore` keeps a prefix of the ranking (why absolute scores: docs/decisions/calibrated-scores.md).
 * `lexical` and `semantic` on a hit are kept for diagnostics: the BM25F share damped for
 * low-information queries, and the rescaled cosine.
 *
 * Candidates. Lexical matches are ranked by BM25 and the best `rerankDepth` are scored, with the
 * best `headRerankDepth` by the query mass their name, description, triggers and tags match. For
 * semantic embedders, the vector top-`rerankDepth` (an exact scan) joins the pool, so a skill with
 * no word in common (another language, a paraphrase) can still be found. The offline
 * `LocalEmbedder` hashes the same tokens BM25 sees, so a skill with no lexical match has no
 * meaningful similarity; for it (`embedder.capabilities.semantic === false`) the O(N·d) scan is skipped.
 *
 * Search does no I/O other than embedding the query, and never re-embeds a skill.
 */

/** An upsert call that had to tokenize at least this many skills saves the term cache at once. */
const TERM_CACHE_SAVE_BATCH = 256;
/** skills tokenized (on workers) per step of a large upsert */
const BUILD_SLICE = 1024;

const DEFAULT_LIMIT = 5;
/** What the persisted index keeps per document besides its terms (see SkillIndex.adopt). */
interface RestoredDoc {
  hash: string;
  group: string | undefined;
  triggerTokens: string[][];
  nameTokens: string[];
}

/** A candidate's evidence, for fitting the calibration (scripts/fit-calibration.ts) and diagnostics. */
export interface SkillEvidence {
  skill: Skill;
  script: Script;
  evidence: Evidence;
  score: number;
}

export class SkillIndex {
  readonly embedder: Embedder;
  private readonly vectorStore: VectorStore | undefined;
  private readonly ranking: RankingOptions;
  private readonly calibration: Record<Script, CalibrationModel>;
  private readonly batchSize: number;
  private readonly buildThreads: number;
  private readonly bm25: Bm25Index;
  /** learned skills by the kind of task they are bound to (Entry.family) */
  private readonly byFamily = new FamilyIndex();
  private readonly taskOf: ((query: string) => string | undefined) | undefined;
  private readonly questionTasks: ReadonlySet<string> | undefined;
  /** where query typos are corrected from (spelling.ts): the background table's words, when it has them */
  private readonly vocabulary: Vocabulary | undefined;
  private vectors: VectorIndex;
  private readonly entries = new Map<string, Entry>();
  /** hash of the text each stored vector was computed from */
  private readonly vectorHash = new Map<string, string>();
  /** vectors loaded from the store and not yet claimed by an upserted skill */
  private persisted = new Map<string, { hash: string; vector: Float32Array }>();
  /** idf per term for the current corpus; cleared whenever documents change */
  private idfCache = new Map<string, number>();
  /** bumped whenever idf values may change (Entry.masses of older generations are stale) */
  private idfGen = 0;
  /** serializes writes to the vector store so saves land in call order */
  private saveChain: Promise<void> = Promise.resolve();
  private readonly termCache: TermCache | undefined;
  private readonly triggers = new TriggerMatcher((t) => this.idf(t));
  private readonly ranker = new Ranker(this.rankView());
  /**
   * Documents adopted from the persisted index by load(), not yet claimed by an upserted skill.
   * The first upsert after load() claims those whose retrieval text is unchanged and drops the rest.
   */
  private restored: Map<string, RestoredDoc> | undefined;
  /** skills tokenized since the term cache was last loaded or saved */
  private termMisses = 0;
  /** skills taken from the persisted index, skills tokenized, and of those on worker threads, since construction (diagnostics, tests) */
  readonly buildStats = { adopted: 0, tokenized: 0, onWorkers: 0 };

  constructor(opts: SkillIndexOptions) {
    this.embedder = opts.embedder;
    this.vectorStore = opts.vectorStore;
    this.termCache = opts.termCache;
    this.batchSize = Math.max(1, opts.embedBatchSize ?? 64);
    this.buildThreads = Math.max(0, Math.floor(opts.buildThreads ?? buildThreads()));
    const r = opts.ranking ?? {};
    this.ranking = {
      ...DEFAULT_RANKING,
      ...r,
      fields: { ...DEFAULT_RANKING.fields, ...(r.fields ?? {}) },
    } as RankingOptions;
    const fields: Bm25Field[] = FIELD_ORDER.map((name) => ({ name, ...this.ranking.fields[name] }));
    // head fields = name, description, triggers, tags (the first four of FIELD_ORDER)
    this.taskOf = opts.taskOf;
    this.questionTasks = opts.questionTasks;
    const stats = opts.background ?? defaultBackground();
    this.bm25 = new Bm25Index({ fields, k1: this.ranking.k1, stats, headFields: 4 });
    this.vocabulary = 'docFreq' in stats ? (stats as TermStats & Vocabulary) : undefined;
    this.calibration = { latin: opts.calibration?.latin ?? modelFor('latin'), cjk: opts.calibration?.cjk ?? modelFor('cjk') };
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
    if (this.termCache && this.entries.size === 0 && this.bm25.size === 0) {
      let snap: IndexSnapshot | undefined;
      try {
        snap = await this.termCache.load(FIELD_ORDER.length);
      } catch {
        snap = undefined;
      }
      if (snap && this.entries.size === 0 && this.bm25.size === 0) {
        try {
          this.adopt(snap);
        } catch {
          this.restored = undefined; // a snapshot the index refuses leaves it empty: tokenize everything
        }
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
    const hashes = skills.map((s) => retrievalHash(s));
    // in slices, so a large build holds the tokens of one slice at a time, not of the whole store
    for (let from = 0; from < skills.length; from += BUILD_SLICE) {
      const built = await this.tokenizeMany(skills.slice(from, from + BUILD_SLICE), hashes.slice(from, from + BUILD_SLICE));
      for (let k = from; k < Math.min(skills.length, from + BUILD_SLICE); k++) {
        const skill = skills[k]!;
        const hash = hashes[k]!;
        const prev = this.entries.get(skill.id);
        let triggerTokens: string[][];
        let nameTokens: string[];
        // A user's skills are private to that user in the lexical index: a search scores the shared
        // (library) skills and the requesting user's own, never every user's (index/bm25.ts).
        const group = isLibraryOwner(skill.owner) ? undefined : skill.owner;
        const restored = this.restored?.get(skill.id);
        if (restored) this.restored!.delete(skill.id);
        if (prev && prev.hash === hash && prev.skill.owner === skill.owner) [triggerTokens, nameTokens] = [prev.triggerTokens, prev.nameTokens];
        else if (!prev && restored && restored.hash === hash && restored.group === group && restored.triggerTokens.length === skill.triggers.length) {
          // the lexical index already holds this document as it was persisted
          [triggerTokens, nameTokens] = [restored.triggerTokens, restored.nameTokens];
          this.buildStats.adopted++;
        } else {
          this.idfCache.clear();
          this.idfGen++;
          const doc = built?.[k - from]?.tokens ?? docTokens(docText(skill), tokenize);
          this.bm25.addCounts(skill.id, doc, group);
          ({ triggerTokens, nameTokens } = doc);
          this.termMisses++;
          this.buildStats.tokenized++;
        }
        const entry: Entry = {
          skill,
          hash,
          library: isLibraryOwner(skill.owner),
          pending: isPending(skill),
          tags: new Set(skill.tags.map((t) => t.toLowerCase())),
          triggerTokens,
          nameTokens,
        };
        const family = skill.metadata.family?.trim();
        if (family && family !== 'general' && skill.metadata.applies !== 'always') entry.family = family;
        this.entries.set(skill.id, entry);
        this.byFamily.set(skill.id, entry.family, group);
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
        const ready = built?.[k - from]?.vector;
        if (ready && ready.length === this.vectors.dims) {
          // computed by a build worker from the same text (tokenizeMany)
          this.vectors.upsert(skill.id, ready);
          this.vectorHash.set(skill.id, hash);
          adopted.push({ id: skill.id, hash, vector: ready });
          continue;
        }
        toEmbed.push({ id: skill.id, hash, text: embedText(skill) });
      }
      // persist vectors slice by slice: holding a whole store's worth until the end costs ~2 KB a skill
      if (adopted.length >= BUILD_SLICE && this.vectorStore) {
        const store = this.vectorStore;
        const batch = adopted.splice(0);
        await this.enqueueSave(() => store.save(this.embedder.signature, this.vectors.dims, batch, []));
      }
    }

    // The persisted index has served the open: documents no skill claimed are gone from the store.
    if (this.restored) {
      for (const id of this.restored.keys()) this.bm25.remove(id);
      if (this.restored.size > 0) this.termMisses++;
      this.restored = undefined;
    }
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
    // saved slice by slice above: leave the vectors in the form the next open reads fastest
    if (skills.length > BUILD_SLICE && this.vectorStore?.settle) {
      const store = this.vectorStore;
      await this.enqueueSave(() => store.settle!(this.embedder.signature));
    }
  }

  /**
   * Tokens of the skills an upsert must tokenize, computed on worker threads when there are many
   * (a first open, an import: index/build-pool.ts); undefined entries (and an undefined result)
   * mean "tokenize inline". The same functions run either way, so the index is the same.
   */
  private async tokenizeMany(skills: Skill[], hashes: string[]): Promise<(BuildResult | undefined)[] | undefined> {
    if (this.buildThreads < 1) return undefined;
    // The LocalEmbedder's vectors can be computed by the same workers (index/hash-embed.ts).
    const spec = (this.embedder as { workerSpec?: { dimensions: number; ngramWeight: number } }).workerSpec;
    const embedHere = spec && spec.dimensions === this.vectors.dims ? spec : undefined;
    const todo: number[] = [];
    const tasks: BuildTask[] = [];
    skills.forEach((skill, k) => {
      const hash = hashes[k]!;
      const prev = this.entries.get(skill.id);
      const r = this.restored?.get(skill.id);
      const group = isLibraryOwner(skill.owner) ? undefined : skill.owner;
      const haveTokens =
        (prev && prev.hash === hash && prev.skill.owner === skill.owner) ||
        (!prev && r && r.hash === hash && r.group === group && r.triggerTokens.length === skill.triggers.length);
      const p = this.persisted.get(skill.id);
      const haveVector = this.vectorHash.get(skill.id) === hash || (p && p.hash === hash && p.vector.length === this.vectors.dims);
      const task: BuildTask = {};
      if (!haveTokens) task.doc = docText(skill);
      if (!haveVector && embedHere) task.embed = { text: embedText(skill), ...embedHere };
      if (!task.doc && !task.embed) return;
      todo.push(k);
      tasks.push(task);
    });
    if (todo.length < PARALLEL_MIN) return undefined;
    try {
      const results = await buildInWorkers(tasks, this.buildThreads);
      const out = new Array<BuildResult | undefined>(skills.length);
      todo.forEach((k, i) => (out[k] = results[i]));
      this.buildStats.onWorkers += todo.length;
      return out;
    } catch {
      return undefined; // workers unavailable: tokenize inline, same result
    }
  }

  /**
   * Persist the term counts of the indexed skills when some were tokenized since the last save,
   * so the next open can skip tokenizing them. Best effort: the cache is only an accelerator.
   */
  async flush(minUnsaved = 1): Promise<void> {
    // Vectors saved batch by batch (an import) are folded into their snapshot too (a no-op when
    // the log is short), so the next open does not parse them one JSON line at a time.
    if (this.vectorStore?.settle) {
      const store = this.vectorStore;
      await this.enqueueSave(() => store.settle!(this.embedder.signature)).catch(() => undefined);
    }
    if (!this.termCache || this.termMisses < Math.max(1, minUnsaved)) return;
    const misses = this.termMisses;
    try {
      await this.termCache.save(this.snapshot());
      this.termMisses = Math.max(0, this.termMisses - misses);
    } catch {
      // keep the count: the next flush tries again
    }
  }

  /** The indexed skills as a persisted-index snapshot (see index/term-cache.ts). */
  private snapshot(): IndexSnapshot {
    const b = this.bm25.snapshot((id) => this.entries.has(id));
    const termIndex = new Map<string, number>();
    b.terms.forEach((t, i) => termIndex.set(t, i));
    const idOf = (t: string): number => {
      let i = termIndex.get(t);
      if (i === undefined) termIndex.set(t, (i = b.terms.push(t) - 1));
      return i;
    };
    const hashes: string[] = [];
    const trigStart = new Uint32Array(b.ids.length + 1);
    const trigTermStart: number[] = [0];
    const trigTerms: number[] = [];
    const nameStart = new Uint32Array(b.ids.length + 1);
    const nameTerms: number[] = [];
    b.ids.forEach((id, d) => {
      const e = this.entries.get(id)!;
      hashes.push(e.hash);
      for (const trig of e.triggerTokens) {
        for (const t of trig) trigTerms.push(idOf(t));
        trigTermStart.push(trigTerms.length);
      }
      trigStart[d + 1] = trigTermStart.length - 1;
      for (const t of e.nameTokens) nameTerms.push(idOf(t));
      nameStart[d + 1] = nameTerms.length;
    });
    return {
      ...b,
      hashes,
      trigStart,
      trigTermStart: Uint32Array.from(trigTermStart),
      trigTerms: Int32Array.from(trigTerms),
      nameStart,
      nameTerms: Int32Array.from(nameTerms),
    };
  }

  /** Take a persisted index into this empty index; its documents wait in `restored` for their skills. */
  private adopt(snap: IndexSnapshot): void {
    this.bm25.restore(snap);
    const restored = new Map<string, RestoredDoc>();
    const terms = snap.terms;
    snap.ids.forEach((id, d) => {
      const triggerTokens: string[][] = [];
      for (let k = snap.trigStart[d]!; k < snap.trigStart[d + 1]!; k++) {
        const trig: string[] = [];
        for (let i = snap.trigTermStart[k]!; i < snap.trigTermStart[k + 1]!; i++) trig.push(terms[snap.trigTerms[i]!]!);
        triggerTokens.push(trig);
      }
      const nameTokens: string[] = [];
      for (let i = snap.nameStart[d]!; i < snap.nameStart[d + 1]!; i++) nameTokens.push(terms[snap.nameTerms[i]!]!);
      restored.set(id, { hash: snap.hashes[d]!, group: snap.groups[d], triggerTokens, nameTokens });
    });
    this.restored = restored;
  }

  async remove(ids: string[]): Promise<void> {
    const deleted: string[] = [];
    this.idfCache.clear();
    this.idfGen++;
    for (const id of ids) {
      this.restored?.delete(id);
      this.byFamily.delete(id);
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
    const ranked = await this.ranker.rank(query, opts, limit);
    const hits: SkillHit[] = [];
    for (const c of ranked) {
      if (hits.length >= limit) break;
      // ownFirst lists two groups, each best first: a weak own hit does not end the library's
      if (c.score < minScore) {
        if (opts.ownFirst) continue;
        break;
      }
      hits.push({ skill: c.entry.skill, score: c.score, lexical: c.lexical, semantic: c.semantic });
    }
    return hits;
  }

  /** Every candidate of a search with its evidence and calibrated score, best first (no limit). */
  async evidence(query: string, opts: SearchOptions = {}): Promise<SkillEvidence[]> {
    const script = scriptOf(query);
    const ranked = await this.ranker.rank(query, opts, Math.max(1, Math.floor(opts.limit ?? DEFAULT_LIMIT)));
    return ranked.map((c) => ({ skill: c.entry.skill, script, evidence: plainEvidence(c.ev), score: c.score }));
  }

  /** The index as ranking reads it: live getters, since upserts replace the vector index and bump the idf generation. */
  private rankView(): RankView {
    const ix = this;
    return {
      get ranking() { return ix.ranking; },
      get calibration() { return ix.calibration; },
      get bm25() { return ix.bm25; },
      get entries() { return ix.entries; },
      get vectors() { return ix.vectors; },
      get embedder() { return ix.embedder; },
      get byFamily() { return ix.byFamily; },
      get taskOf() { return ix.taskOf; },
      get questionTasks() { return ix.questionTasks; },
      get vocabulary() { return ix.vocabulary; },
      get triggers() { return ix.triggers; },
      get idfGen() { return ix.idfGen; },
    };
  }

  /** The idf a term is scored with (background statistics), memoized. */
  private idf(term: string): number {
    let v = this.idfCache.get(term);
    if (v === undefined) {
      v = this.bm25.idf(term);
      if (this.idfCache.size >= 50_000) this.idfCache.clear();
      this.idfCache.set(term, v);
    }
    return v;
  }

  private enqueueSave(fn: () => Promise<void>): Promise<void> {
    const next = this.saveChain.then(fn, fn);
    // Keep the chain alive after a failure; the caller still sees the error.
    this.saveChain = next.catch(() => undefined);
    return next;
  }
}
