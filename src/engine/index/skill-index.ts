import { scopeFilter } from '../access.js';
import { isPending } from '../skill/review.js';
import type { Embedder } from '../ports/embedder.js';
import type { VectorStore } from './vector-store.js';
import { defaultBackground, type TermStats } from './background.js';
import { Bm25Index, type Bm25Field, type Bm25Matches, type Bm25Scope } from './bm25.js';
import { kthLargest } from './select.js';
import { FamilyIndex } from './family-index.js';
import { buildInWorkers, buildThreads, PARALLEL_MIN, type BuildResult, type BuildTask } from './build-pool.js';
import { docTokens } from './doc-terms.js';
import { tokenize } from './tokenize.js';
import { queryTerms } from './query-terms.js';
import { docText, embedText, FIELD_ORDER, retrievalHash } from './retrieval-text.js';
// the index's public helpers and types stay importable from here
export * from './search-options.js';
import { DEFAULT_RANKING, type RankingOptions, type SearchOptions, type SkillHit, type SkillIndexOptions } from './search-options.js';
export { containsRun, phraseTokens, queryTerms, wordPairs } from './query-terms.js';
export { retrievalFields, retrievalHash, retrievalText, textHash } from './retrieval-text.js';
import type { IndexSnapshot, TermCache } from './term-cache.js';
import { VectorIndex } from './vector-index.js';
import { TriggerMatcher, type MatchEntry } from './trigger-match.js';
import { isLibraryOwner, type Scope, type Skill } from '../skill/schema.js';
import { calibrate, modelFor, scriptOf, type CalibrationModel, type Evidence, type Script } from '../retrieve/calibration.js';
import { asksAboutWork, questionForm, remarkForm } from '../retrieve/query-form.js';
import { fixChineseTypos, queryTypos, withCorrections, type QueryTypos, type Vocabulary } from '../retrieve/spelling.js';

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
 * Candidates. Lexical matches are ranked by BM25 and the best `rerankDepth` are scored. For
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
/** the most a learned task skill scores for a request of another kind of task (see rank) */
const OFF_TASK_CAP = 0.45;

/** IDF mass (nats) at which absolute matched evidence counts as complete. */
const MASS_SCALE = 15;
/** about the IDF of a word seen once in the background table: the scale of `topMiss` */
const TOP_IDF = 8;

interface Entry extends MatchEntry {
  hash: string;
  /** held for review (review.ts), as of this entry's skill */
  pending: boolean;
  /** lowercase tags, for the tag filter */
  tags: Set<string>;
  /** the kind of task a learned skill is bound to (metadata.family; `general` is none) */
  family?: string;
}

/** What the persisted index keeps per document besides its terms (see SkillIndex.adopt). */
interface RestoredDoc {
  hash: string;
  group: string | undefined;
  triggerTokens: string[][];
  nameTokens: string[];
}

interface Candidate {
  entry: Entry;
  lexical: number;
  semantic: number;
  /** fused score; becomes the trigger-lifted, calibrated score */
  score: number;
  /** what candidates are ordered by */
  key: number;
  ev: Evidence;
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
    const ranked = await this.rank(query, opts, limit);
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
    const ranked = await this.rank(query, opts, Math.max(1, Math.floor(opts.limit ?? DEFAULT_LIMIT)));
    return ranked.map((c) => ({ skill: c.entry.skill, script, evidence: { ...c.ev }, score: c.score }));
  }

  /**
   * Candidates scored and ordered. The score is the calibrated probability that the skill applies
   * (calibration.ts), a function of the query and the skill alone, and the ranking is by that
   * score: no hit borrows its score from another, so scores are non-increasing down the list
   * and a trigger match lifts only its own hit.
   */
  private async rank(raw: string, opts: SearchOptions, limit: number): Promise<Candidate[]> {
    // a homophone typo of a task word ("报高") would hide the task itself (spelling.ts)
    const query = fixChineseTypos(raw);
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
    const model = this.calibration[scriptOf(query)];
    const own = opts.ownFirst && opts.userId ? `user:${opts.userId}` : undefined;
    // English typos, found once: corrected terms for BM25, corrected phrases for triggers, corrected text for the task
    const typos: QueryTypos = this.vocabulary ? queryTypos(query, this.vocabulary) : { terms: new Map(), text: query };
    // an information question about a kind of work ("what does the weather report mean?",
    // "开题报告和文献综述有什么区别？") asks for no piece of that work
    const task = this.byFamily.size > 0 && this.taskOf && !asksAboutWork(query) ? this.taskOf(typos.text) : undefined;
    const ranked = this.collect(query, typos.terms, qv, allowed, this.lexicalScope(opts), limit, own, task).filter(
      (c) => c.ev.coverage > 0 || c.ev.semantic > 0 || (task !== undefined && c.entry.family === task),
    );
    for (const c of ranked) {
      if (task !== undefined && c.entry.family === task) c.ev.triggerStated = 1;
      c.key = c.score = calibrate(c.ev, model);
      // A rule learned for one kind of task applies to that task: when the request is of another
      // kind (or of none: "how do I report a bug", "my kid's report card"), a shared word is not
      // enough; only one of the skill's own trigger phrases, stated, is.
      if (this.taskOf && c.entry.family !== undefined && c.entry.family !== task && c.ev.triggerStated === 0) c.key = c.score = Math.min(c.score, OFF_TASK_CAP);
    }
    ranked.sort((a, b) => b.score - a.score || b.lexical - a.lexical || a.entry.skill.id.localeCompare(b.entry.skill.id));
    if (!own) return ranked;
    const mine = ranked.filter((c) => c.entry.skill.owner === own);
    return mine.length === 0 ? ranked : [...mine, ...ranked.filter((c) => c.entry.skill.owner !== own)];
  }

  private collect(
    query: string,
    typos: ReadonlyMap<string, string>,
    qv: Float32Array | undefined,
    allowed: (e: Entry) => boolean,
    scope: Bm25Scope,
    limit: number,
    keepOwner?: string,
    task?: string,
  ): Candidate[] {
    const R = this.ranking;
    const depth = Math.max(R.rerankDepth, limit * 4);
    const pool = new Map<string, Candidate>();

    const terms = withCorrections(queryTerms(query), typos);
    const m = this.bm25.search(terms, scope);
    // How much the query says, measured on the background statistics: a perfect match for a
    // one-common-word query is weak evidence whatever the store holds.
    const info = m.maxScore > 0 ? Math.min(1, m.maxScore / R.informationFloor) : 0;
    const mass = m.queryMass;
    // Lexical candidates: allowed matches, best `depth` by BM25.
    const { lexIdx, lexEntries } = this.lexicalCandidates(m, allowed, depth, keepOwner);
    const question = questionForm(query);
    const remark = remarkForm(query);
    // the query's words (crossing bigrams excluded), as mask bits and their idf: which of the
    // query's most specific words a skill lacks
    const words: Array<[bit: number, idf: number]> = [];
    m.terms.forEach((t, k) => {
      if (k < 31 && t.q >= 1) words.push([1 << k, t.idf]);
    });
    const topMissing = (mask: number): number => {
      let top = 0;
      for (const [bit, idf] of words) if ((mask & bit) === 0 && idf > top) top = idf;
      return Math.min(1, top / TOP_IDF);
    };
    const blank = (): Evidence => ({
      lexical: 0, info, coverage: 0, headCoverage: 0, trigger: 0, triggerCover: 0, nameCover: 0, phrase: 0, headMass: 0, lexicalMass: 0,
      stated: 0, semantic: 0, triggerStated: 0, question, headMiss: Math.min(1, mass / MASS_SCALE), miss: Math.min(1, mass / MASS_SCALE),
      topMiss: topMissing(0), topHeadMiss: topMissing(0), remark, oneWord: 0, headWords: 0, headWordShare: 0, wordShare: 0,
    });
    const wordsIn = (mask: number): number => {
      let n = 0;
      for (const [bit] of words) if ((mask & bit) !== 0) n++;
      return n;
    };
    for (let k = 0; k < lexIdx.length; k++) {
      const e = lexEntries[k]!;
      const i = lexIdx[k]!;
      const ev = blank();
      if (m.maxScore > 0) ev.lexical = Math.min(1, m.scores[i]! / m.maxScore);
      if (mass > 0) {
        ev.coverage = Math.min(1, m.coverage[i]! / mass);
        ev.headCoverage = Math.min(1, m.headCoverage[i]! / mass);
      }
      ev.headMass = Math.min(1, m.headCoverage[i]! / MASS_SCALE);
      ev.headMiss = Math.min(1, Math.max(0, mass - m.headCoverage[i]!) / MASS_SCALE);
      ev.miss = Math.min(1, Math.max(0, mass - m.coverage[i]!) / MASS_SCALE);
      ev.topMiss = topMissing(m.termMask[i]!);
      ev.topHeadMiss = topMissing(m.headTermMask[i]!);
      const hw = wordsIn(m.headTermMask[i]!);
      ev.oneWord = hw === 1 ? 1 : 0;
      ev.headWords = Math.min(1, hw / 3);
      if (words.length > 0) {
        ev.headWordShare = hw / words.length;
        ev.wordShare = wordsIn(m.termMask[i]!) / words.length;
      }
      ev.lexicalMass = Math.min(1, m.scores[i]! / R.informationFloor);
      pool.set(e.skill.id, { entry: e, lexical: ev.lexical * info, semantic: 0, score: 0, key: 0, ev });
    }

    if (qv) {
      // `?.`: an embedder from plain JavaScript may predate declared capabilities; it counts as semantic.
      if (this.embedder.capabilities?.semantic !== false) {
        // Exact vector top-`depth` over the allowed skills joins the pool.
        const top = this.vectors.search(qv, depth, (id) => {
          const e = this.entries.get(id);
          return e !== undefined && allowed(e);
        });
        for (const h of top) {
          if (pool.has(h.id)) continue;
          const e = this.entries.get(h.id)!;
          pool.set(h.id, { entry: e, lexical: 0, semantic: 0, score: 0, key: 0, ev: blank() });
        }
      }
      const cosine = this.vectors.scorer(qv);
      for (const c of pool.values()) {
        const cos = cosine(c.entry.skill.id);
        if (cos !== undefined) c.ev.semantic = c.semantic = Math.max(0, Math.min(1, (cos - R.cosineFloor) / (1 - R.cosineFloor)));
      }
    }
    // skills learned for the request's kind of task join the pool whatever their words
    for (const id of task === undefined ? [] : this.byFamily.of(task, scope.shared !== false, scope.groups ?? [])) {
      const e = this.entries.get(id);
      if (e && !pool.has(id) && allowed(e)) pool.set(id, { entry: e, lexical: 0, semantic: 0, score: 0, key: 0, ev: blank() });
    }
    // Every candidate gets the trigger check: a score must not depend on which other skills
    // happen to outrank it lexically.
    const candidates = [...pool.values()];
    if (m.knownTerms > 0) this.triggers.apply(query, typos, terms, candidates, this.idfGen);
    return candidates;
  }

  /**
   * The allowed lexical matches that reach the rerank pool: the best `depth` by BM25 (all tied at
   * the cut-off are kept, so the pool does not depend on sort order), plus any of `keepOwner`'s.
   * As match indices in `m` and their entries, in match order.
   */
  private lexicalCandidates(m: Bm25Matches, allowed: (e: Entry) => boolean, depth: number, keepOwner: string | undefined): { lexIdx: number[]; lexEntries: Entry[] } {
    const lexIdx: number[] = [];
    const lexEntries: Entry[] = [];
    const entryAt = (i: number): Entry | undefined => {
      const id = this.bm25.idOf(m.slots[i]!);
      return id === undefined ? undefined : this.entries.get(id);
    };
    // Fast path: the cut-off over all matches. When every match at or above it is allowed, the
    // cut-off over the allowed ones is the same value and the matches below it are not needed.
    if (m.count > depth && keepOwner === undefined) {
      const cut = kthLargest(m.scores.slice(0, m.count), depth);
      let clean = true;
      for (let i = 0; i < m.count && clean; i++) {
        if (m.scores[i]! < cut) continue;
        const e = entryAt(i);
        if (e && allowed(e)) {
          lexIdx.push(i);
          lexEntries.push(e);
        } else clean = false;
      }
      if (clean) return { lexIdx, lexEntries };
      lexIdx.length = lexEntries.length = 0;
    }
    for (let i = 0; i < m.count; i++) {
      const e = entryAt(i);
      if (!e || !allowed(e)) continue;
      lexIdx.push(i);
      lexEntries.push(e);
    }
    if (lexIdx.length <= depth) return { lexIdx, lexEntries };
    const cut = kthLargest(Float64Array.from(lexIdx, (i) => m.scores[i]!), depth);
    const keep = (k: number): boolean => m.scores[lexIdx[k]!]! >= cut || lexEntries[k]!.skill.owner === keepOwner;
    const kept = lexIdx.map((_, k) => k).filter(keep);
    return { lexIdx: kept.map((k) => lexIdx[k]!), lexEntries: kept.map((k) => lexEntries[k]!) };
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

  /** The lexical index partitions a search can match: the library, the requesting user's own skills, or both. */
  private lexicalScope(opts: SearchOptions): Bm25Scope {
    const raw = opts.scope as string | undefined;
    const scope: Scope = raw === 'library' ? 'common' : raw === 'user' || raw === 'common' ? raw : 'all';
    const groups = opts.userId && scope !== 'common' ? [`user:${opts.userId}`] : [];
    return { shared: scope !== 'user', groups };
  }

  /** Build the scope + filter predicate; undefined when nothing can match. */
  private allowFilter(opts: SearchOptions): ((e: Entry) => boolean) | undefined {
    // `library` is accepted as an alias of `common`; anything unknown means `all`.
    const raw = opts.scope as string | undefined;
    const scope: Scope = raw === 'library' ? 'common' : raw === 'user' || raw === 'common' ? raw : 'all';
    if (scope === 'user' && !opts.userId) return undefined;
    const visible = scopeFilter(scope, opts.userId ? { userId: opts.userId } : {});
    const f = opts.filters ?? {};
    const ids = f.ids ? new Set(f.ids) : undefined;
    if (ids && ids.size === 0) return undefined;
    const tags = f.tags && f.tags.length > 0 ? f.tags.map((t) => t.toLowerCase()) : undefined;
    const meta = f.metadata ? Object.entries(f.metadata) : [];
    return (e) => {
      // The one scope rule (access.ts): own skills, Common skills, never another user's.
      if (!visible(e.skill.owner, e.library)) return false;
      // A skill held for review never reaches a prompt (review.ts).
      if (e.pending) return false;
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
