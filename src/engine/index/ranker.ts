import { hasTraditional, prepareTraditional, toSimplified } from '../retrieve/traditional.js';
import type { Embedder } from '../ports/embedder.js';
import { scopeFilter } from '../access.js';
import { userOwner, type Scope } from '../skill/schema.js';
import { calibrate, scriptOf, type CalibrationModel, type Evidence, type Script } from '../retrieve/calibration.js';
import { asksAboutMeaning, asksAboutWork, asksToProduce, questionForm, remarkForm } from '../retrieve/query-form.js';
import { fixChineseTypos, queryTypos, withCorrections, type QueryTypos, type Vocabulary } from '../retrieve/spelling.js';
import type { Bm25Index, Bm25Matches, Bm25Scope } from './bm25.js';
import type { Entry } from './entry.js';
import { EvidenceRows } from './evidence-rows.js';
import type { FamilyIndex } from './family-index.js';
import { kindMatcher } from './kind-match.js';
import { queryTerms } from './query-terms.js';
import type { RankingOptions, SearchOptions } from './search-options.js';
import { kthLargest } from './select.js';
import type { TriggerMatcher } from './trigger-match.js';
import type { VectorIndex } from './vector-index.js';

/** the most a learned task skill scores for a request of another kind of task (see rank) */
const OFF_TASK_CAP = 0.45;

/** IDF mass (nats) at which absolute matched evidence counts as complete. */
const MASS_SCALE = 15;
/** about the IDF of a word seen once in the background table: the scale of `topMiss` */
const TOP_IDF = 8;

/** What ranking reads of the index (SkillIndex owns and mutates it; a search only reads). */
export interface RankView {
  readonly ranking: RankingOptions;
  readonly calibration: Record<Script, CalibrationModel>;
  readonly bm25: Bm25Index;
  readonly entries: ReadonlyMap<string, Entry>;
  readonly vectors: VectorIndex;
  readonly embedder: Embedder;
  readonly byFamily: FamilyIndex;
  readonly taskOf: ((query: string) => string | undefined) | undefined;
  readonly questionTasks: ReadonlySet<string> | undefined;
  readonly vocabulary: Vocabulary | undefined;
  readonly triggers: TriggerMatcher;
  /** bumped whenever idf values may change */
  readonly idfGen: number;
}

export interface Candidate {
  entry: Entry;
  lexical: number;
  semantic: number;
  /** fused score; becomes the trigger-lifted, calibrated score */
  score: number;
  /** what candidates are ordered by */
  key: number;
  ev: Evidence;
}

/**
 * One search's candidates, their evidence and calibrated scores, best first (see SkillIndex for
 * what the scores mean and where the candidates come from).
 */
export class Ranker {
  private readonly buffers: Float64Array[] = [];

  constructor(private readonly ix: RankView) {}

  /**
   * Candidates scored and ordered. The score is the calibrated probability that the skill applies
   * (calibration.ts), a function of the query and the skill alone, and the ranking is by that
   * score: no hit borrows its score from another, so scores are non-increasing down the list
   * and a trigger match lifts only its own hit.
   */
  async rank(raw: string, opts: SearchOptions, limit: number): Promise<Candidate[]> {
    // a homophone typo of a task word ("报高") would hide the task itself (spelling.ts)
    // traditional characters searched as simplified (the bank and learned skills are mostly simplified)
    // (the search of a query with no traditional character never waits for it)
    if (hasTraditional(raw)) await prepareTraditional([raw]);
    const query = fixChineseTypos(toSimplified(raw));
    const allowed = this.allowFilter(opts);
    if (!allowed || query.trim() === '' || this.ix.entries.size === 0) return [];

    // The awaits (the converter above, the embedding) come first, so everything after them sees one consistent index.
    let qv: Float32Array | undefined;
    if (this.ix.vectors.size > 0 && this.ix.ranking.semanticWeight > 0) {
      try {
        const [v] = await this.ix.embedder.embed([query]);
        if (v && v.length === this.ix.vectors.dims) qv = v;
      } catch {
        qv = undefined; // degrade to lexical-only ranking; never fail a search on the embedder
      }
    }
    const model = this.ix.calibration[scriptOf(query)];
    const own = opts.ownFirst && opts.userId ? userOwner(opts.userId) : undefined;
    // English typos, found once: corrected terms for BM25, corrected phrases for triggers, corrected text for the task
    const typos: QueryTypos = this.ix.vocabulary ? queryTypos(query, this.ix.vocabulary) : { terms: new Map(), text: query };
    // an information question about a kind of work ("what does the weather report mean?",
    // "开题报告和文献综述有什么区别？") asks for no piece of that work
    // (unless the kind of work is one people ask for with questions: "我妈的血常规出来了…这严重吗")
    const named = this.ix.byFamily.size > 0 && this.ix.taskOf ? this.ix.taskOf(typos.text) : undefined;
    const asking = this.ix.byFamily.size > 0 && (named !== undefined && this.ix.questionTasks?.has(named) ? asksAboutMeaning(query) : asksAboutWork(query));
    const task = asking ? undefined : named;
    const ranked = this.collect(query, typos.terms, qv, allowed, this.lexicalScope(opts), limit, own, task).filter(
      (c) => c.ev.coverage > 0 || c.ev.semantic > 0 || (task !== undefined && c.entry.family === task),
    );
    const namesKind = kindMatcher(typos.text);
    // a request to make something that names no known kind ("can you make me some multiple
    // choice?") may be of the skill's kind: its own evidence decides, uncapped
    const unnamedWork = task === undefined && !asking && this.ix.byFamily.size > 0 && asksToProduce(typos.text);
    for (const c of ranked) {
      const family = c.entry.family;
      if (family !== undefined && ((task !== undefined && family === task) || (!asking && namesKind(family)))) c.ev.triggerStated = 1;
      c.key = c.score = calibrate(c.ev, model);
      // A rule learned for one kind of task applies to that task: when the request is of another
      // kind (or of none: "how do I report a bug", "my kid's report card"), a shared word is not
      // enough; only one of the skill's own trigger phrases, stated, is. A question about such work
      // ("who gave the 'I Have a Dream' speech?") asks for none, whatever it states.
      if (this.ix.taskOf && family !== undefined && (asking || (family !== task && c.ev.triggerStated === 0 && !unnamedWork))) c.key = c.score = Math.min(c.score, OFF_TASK_CAP);
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
    const R = this.ix.ranking;
    const depth = Math.max(R.rerankDepth, limit * 4);
    const headDepth = Math.max(R.headRerankDepth, limit * 2);
    const pool = new Map<string, Candidate>();

    const terms = withCorrections(queryTerms(query), typos);
    // (the matches are read before collect returns, so they may live in the index's reused buffers)
    const m = this.ix.bm25.search(terms, { ...scope, reuse: true });
    // How much the query says, measured on the background statistics: a perfect match for a
    // one-common-word query is weak evidence whatever the store holds.
    const info = m.maxScore > 0 ? Math.min(1, m.maxScore / R.informationFloor) : 0;
    const mass = m.queryMass;
    // Lexical candidates: allowed matches, best `depth` by BM25.
    const { lexIdx, lexEntries } = this.lexicalCandidates(m, allowed, depth, headDepth, keepOwner);
    const question = questionForm(query);
    const remark = remarkForm(query);
    // the query's words (crossing bigrams excluded), as mask bits and their idf: which of the
    // query's most specific words a skill lacks
    // (typed arrays and index loops: these run for every candidate, and pairs were garbage)
    let nWords = 0;
    const wordBit = new Int32Array(Math.min(31, m.terms.length));
    const wordIdf = new Float64Array(wordBit.length);
    m.terms.forEach((t, k) => {
      if (k < 31 && t.q >= 1) {
        wordBit[nWords] = 1 << k;
        wordIdf[nWords++] = t.idf;
      }
    });
    const topMissing = (mask: number): number => {
      let top = 0;
      for (let w = 0; w < nWords; w++) if ((mask & wordBit[w]!) === 0 && wordIdf[w]! > top) top = wordIdf[w]!;
      return Math.min(1, top / TOP_IDF);
    };
    // a skill with no word of the query misses all of it: the same for every candidate of this query
    const allMiss = Math.min(1, mass / MASS_SCALE);
    const topAllMiss = topMissing(0);
    const rows = new EvidenceRows({
      lexical: 0, info, coverage: 0, headCoverage: 0, trigger: 0, triggerCover: 0, nameCover: 0, phrase: 0, headMass: 0, lexicalMass: 0,
      stated: 0, semantic: 0, triggerStated: 0, question, headMiss: allMiss, miss: allMiss,
      topMiss: topAllMiss, topHeadMiss: topAllMiss, remark, oneWord: 0, headWords: 0, headWordShare: 0, wordShare: 0,
    });
    const wordsIn = (mask: number): number => {
      let n = 0;
      for (let w = 0; w < nWords; w++) if ((mask & wordBit[w]!) !== 0) n++;
      return n;
    };
    for (let k = 0; k < lexIdx.length; k++) {
      const e = lexEntries[k]!;
      const i = lexIdx[k]!;
      const ev = rows.row();
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
      if (nWords > 0) {
        ev.headWordShare = hw / nWords;
        ev.wordShare = wordsIn(m.termMask[i]!) / nWords;
      }
      ev.lexicalMass = Math.min(1, m.scores[i]! / R.informationFloor);
      pool.set(e.skill.id, { entry: e, lexical: ev.lexical * info, semantic: 0, score: 0, key: 0, ev });
    }

    if (qv) {
      // `?.`: an embedder from plain JavaScript may predate declared capabilities; it counts as semantic.
      if (this.ix.embedder.capabilities?.semantic !== false) {
        // Exact vector top-`depth` over the allowed skills joins the pool.
        const top = this.ix.vectors.search(qv, depth, (id) => {
          const e = this.ix.entries.get(id);
          return e !== undefined && allowed(e);
        });
        for (const h of top) {
          if (pool.has(h.id)) continue;
          const e = this.ix.entries.get(h.id)!;
          pool.set(h.id, { entry: e, lexical: 0, semantic: 0, score: 0, key: 0, ev: rows.row() });
        }
      }
      const cosine = this.ix.vectors.scorer(qv);
      for (const c of pool.values()) {
        const cos = cosine(c.entry.skill.id);
        if (cos !== undefined) c.ev.semantic = c.semantic = Math.max(0, Math.min(1, (cos - R.cosineFloor) / (1 - R.cosineFloor)));
      }
    }
    // skills learned for the request's kind of task join the pool whatever their words
    for (const id of task === undefined ? [] : this.ix.byFamily.of(task, scope.shared !== false, scope.groups ?? [])) {
      const e = this.ix.entries.get(id);
      if (e && !pool.has(id) && allowed(e)) pool.set(id, { entry: e, lexical: 0, semantic: 0, score: 0, key: 0, ev: rows.row() });
    }
    // Every candidate gets the trigger check: a score must not depend on which other skills
    // happen to outrank it lexically.
    const candidates = [...pool.values()];
    if (m.knownTerms > 0) this.ix.triggers.apply(query, typos, terms, candidates, this.ix.idfGen);
    return candidates;
  }

  /**
   * The allowed lexical matches that reach the rerank pool: the best `depth` by BM25 and the best
   * `headDepth` by head coverage (all tied at a cut-off are kept, so the pool does not depend on
   * sort order), plus any of `keepOwner`'s. As match indices in `m` and their entries, in match order.
   */
  private lexicalCandidates(m: Bm25Matches, allowed: (e: Entry) => boolean, depth: number, headDepth: number, keepOwner: string | undefined): { lexIdx: number[]; lexEntries: Entry[] } {
    const lexIdx: number[] = [];
    const lexEntries: Entry[] = [];
    // read once: the view's fields are getters, and the loops below run once per match
    const bm25 = this.ix.bm25;
    const entries = this.ix.entries;
    const entryAt = (i: number): Entry | undefined => {
      const id = bm25.idOf(m.slots[i]!);
      return id === undefined ? undefined : entries.get(id);
    };
    // Fast path: the cut-off over all matches. When every match at or above it is allowed, the
    // cut-off over the allowed ones is the same value and the matches below it are not needed,
    // but for `keepOwner`'s, found by their index group without looking their entries up (a user's
    // skills are the user's private group: SkillIndex.upsert).
    if (m.count > depth) {
      const cut = kthLargest(this.scratch(0, m.scores.subarray(0, m.count)), depth);
      const head = headKeys(m, undefined, this.scratch(1, undefined, m.count));
      const headCut = m.count > headDepth ? kthLargest(this.scratch(2, head), headDepth) : -Infinity;
      let clean = true;
      for (let i = 0; i < m.count && clean; i++) {
        const above = m.scores[i]! >= cut || (head[i]! > 0 && head[i]! >= headCut);
        if (!above && (keepOwner === undefined || bm25.groupOf(m.slots[i]!) !== keepOwner)) continue;
        const e = entryAt(i);
        if (e && allowed(e)) {
          lexIdx.push(i);
          lexEntries.push(e);
        } else if (above) clean = false;
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
    const head = headKeys(m, lexIdx);
    const headCut = lexIdx.length > headDepth ? kthLargest(head.slice(), headDepth) : -Infinity;
    const keep = (k: number): boolean => m.scores[lexIdx[k]!]! >= cut || (head[k]! > 0 && head[k]! >= headCut) || lexEntries[k]!.skill.owner === keepOwner;
    const kept = lexIdx.map((_, k) => k).filter(keep);
    return { lexIdx: kept.map((k) => lexIdx[k]!), lexEntries: kept.map((k) => lexEntries[k]!) };
  }

  /**
   * Buffer `i` of the ranker's own (one search runs its collect at a time, synchronously), holding a
   * copy of `from` or `n` values; kthLargest reorders what it is given, and a search's cut-offs ran
   * over fresh copies of thousands of scores each.
   */
  private scratch(i: number, from: Float64Array | undefined, n = from?.length ?? 0): Float64Array {
    let buf = this.buffers[i];
    if (!buf || buf.length < n) this.buffers[i] = buf = new Float64Array(Math.max(n, 2 * (buf?.length ?? 0)));
    const view = buf.subarray(0, n);
    if (from) view.set(from);
    return view;
  }

  /** The lexical index partitions a search can match: the library, the requesting user's own skills, or both. */
  private lexicalScope(opts: SearchOptions): Bm25Scope {
    const scope = scopeOf(opts);
    const groups = opts.userId && scope !== 'common' ? [userOwner(opts.userId)] : [];
    return { shared: scope !== 'user', groups };
  }

  /** Build the scope + filter predicate; undefined when nothing can match. */
  private allowFilter(opts: SearchOptions): ((e: Entry) => boolean) | undefined {
    const scope = scopeOf(opts);
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
}

/**
 * Head coverage of the matches `idx`, ties broken by BM25: many skills match the same head words,
 * and a cut-off that kept every tie would let one common word fill the pool.
 */
function headKeys(m: Bm25Matches, idx?: readonly number[], into?: Float64Array): Float64Array {
  const scale = m.maxScore > 0 ? 1e-6 / m.maxScore : 0;
  const n = idx ? idx.length : m.count;
  const out = into ?? new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const i = idx ? idx[k]! : k;
    out[k] = m.headCoverage[i]! + m.scores[i]! * scale;
  }
  return out;
}

/** The search's scope: `library` is accepted as an alias of `common`; anything unknown means `all`. */
function scopeOf(opts: SearchOptions): Scope {
  const raw = opts.scope as string | undefined;
  return raw === 'library' ? 'common' : raw === 'user' || raw === 'common' ? raw : 'all';
}
