/**
 * Field-weighted, incrementally updated BM25 (BM25F).
 *
 * One document is added or removed in O(its terms); each field has its own weight and length
 * normalization; tokens are ours (tokenize.ts). Why not a package: docs/decisions/own-bm25.md.
 *
 * Scoring (BM25F, Robertson & Zaragoza 2009): per document and term,
 *   tf̃ = Σ_f w_f · tf_f / (1 − b_f + b_f · len_f / avglen_f)
 *   score = Σ_t qf_t · idf_t · tf̃ · (k1 + 1) / (k1 + tf̃)
 *   idf_t = ln(1 + (N − df_t + 0.5) / (df_t + 0.5))
 * Without `stats`, N, df and avglen are taken over the whole index. With `stats` (the product:
 * a fixed background table, index/background.ts) they come from it, so a document's score is a
 * function of the query and the document alone: independent of the store's size and of the
 * other documents in it.
 *
 * Private groups. A document added with a `group` (for skills: its owning user) is kept out of the
 * shared posting lists and scored only by searches that name its group, from its own term list
 * (a forward index: sorted term ids and packed frequencies). A search then costs the shared
 * postings plus the named groups' documents, not every user's skills; the arithmetic per
 * document is the same, term by term in query order, so a score does not depend on whether its
 * document is shared or private.
 */
import type { TermStats } from './background.js';
import type { Bm25Snapshot } from './term-cache.js';
import { countTerms } from './doc-terms.js';

export interface Bm25Field {
  name: string;
  /** how much one occurrence in this field counts relative to the body (body = 1) */
  weight: number;
  /** length normalization strength in [0, 1] */
  b: number;
}

export interface Bm25Options {
  fields: Bm25Field[];
  /** term-frequency saturation; default 1.2 */
  k1?: number;
  /** fixed term statistics (idf, average field lengths); default: the index's own */
  stats?: TermStats;
  /**
   * The first `headFields` fields are the document's "head" (for skills: name, description,
   * triggers, tags): `Bm25Matches.headCoverage` counts the query mass matched there. Default 0.
   */
  headFields?: number;
}

/** Which documents a search scores. */
export interface Bm25Scope {
  /** score the shared (group-less) documents; default true */
  shared?: boolean;
  /** also score the documents of these private groups; default none */
  groups?: readonly string[];
  /**
   * Return the per-match arrays as views of buffers the index reuses, valid until its next
   * search (default false: fresh arrays). For a caller that reads the matches at once: a search
   * touches thousands of documents, and fresh arrays for each made ~60 KB of garbage per search.
   */
  reuse?: boolean;
}

export interface Bm25Matches {
  /** number of matched documents; `slots` and `scores` are valid up to this count */
  count: number;
  slots: Int32Array;
  scores: Float64Array;
  /** Σ over unique query terms of qf·idf·(k1+1): the score of an ideal document (tf̃ → ∞) */
  maxScore: number;
  /** the query's unique terms that exist in the index */
  knownTerms: number;
  /** Σ over unique query terms of qf·idf: the query's information */
  queryMass: number;
  /** per match: Σ qf·idf of the query terms the document contains (any field) */
  coverage: Float64Array;
  /** per match: the same over the head fields only */
  headCoverage: Float64Array;
  /** the query's unique terms in scoring order, with their idf and query weight (bit k of the masks below = terms[k]) */
  terms: Array<{ term: string; idf: number; q: number }>;
  /** per match: bit k set when the document contains terms[k] (k < 31) */
  termMask: Int32Array;
  /** per match: the same over the head fields only */
  headTermMask: Int32Array;
}

/** One document as term counts: per-field token counts, unique terms, per-term packed field frequencies. */
export interface Bm25DocCounts {
  lens: readonly number[];
  terms: readonly string[];
  /** per-field term frequencies of `terms[i]`, packed 8 bits per field (field 0 lowest) */
  packed: readonly number[];
}

const MAX_FIELDS = 6;

export class Bm25Index {
  readonly fields: readonly Bm25Field[];
  readonly k1: number;
  readonly stats: TermStats | undefined;
  private readonly headMask: number;

  /*
   * Memory layout. A skill bank has ~150k distinct terms, most of them in one or two documents,
   * so per-term overhead dominates: one object and two arrays per term cost more than the
   * postings themselves. So terms get small integer ids, the postings a snapshot brought are flat
   * typed arrays (baseFrom below), a list changed since is ONE array of interleaved (slot, packed
   * field frequencies) pairs, and each document's term list (needed only to remove it) is an
   * Int32Array of term ids rather than an array of string references.
   */
  private readonly termIds = new Map<string, number>();
  /** term id → term ('' while the id is free) */
  private termById: string[] = [];
  /**
   * term id → [slot, packed, slot, packed, …] of the shared documents added (or whose list changed)
   * since the index was restored; undefined while the id is free or the list is empty
   */
  private postings: (number[] | undefined)[] = [];
  /*
   * The shared postings a snapshot brought (restore), in one flat list per term: term t's
   * documents are baseSlots/basePacked[baseFrom[t] .. baseTo[t]). Typed arrays hold a posting in
   * 12 bytes and no object per term; a term whose list changes afterwards (a document removed)
   * moves to `postings` and its base range is emptied.
   */
  private baseFrom = new Int32Array(0);
  private baseTo = new Int32Array(0);
  private baseSlots = new Int32Array(0);
  private basePacked = new Float64Array(0);
  /** term id → number of documents (shared and private) containing it: its document frequency */
  private refs: number[] = [];
  private readonly freeTermIds: number[] = [];
  private readonly slotById = new Map<string, number>();
  private idBySlot: (string | undefined)[] = [];
  /** unique term ids per slot, to remove a document without scanning the dictionary */
  private termsBySlot: (Int32Array | undefined)[] = [];
  private readonly freeSlots: number[] = [];
  /** per private slot: its group, and its packed frequencies aligned with `termsBySlot` (sorted) */
  private groupBySlot: (string | undefined)[] = [];
  private packedBySlot: (Float64Array | undefined)[] = [];
  /** the result buffers of searches with `reuse` */
  private out: MatchArrays = matchArrays(0);
  private readonly groupSlots = new Map<string, Set<number>>();
  private lens: Float64Array[];
  private readonly totalLen: number[];
  /** per field, per slot: w_f / (1 − b_f + b_f·len/avglen); rebuilt lazily after changes */
  private norms: Float64Array[];
  private normsDirty = true;
  private acc: Float64Array;
  private cov: Float64Array;
  private headCov: Float64Array;
  private bits: Int32Array;
  private headBits: Int32Array;
  private seen: Uint8Array;
  private touched: Int32Array;
  private docCount = 0;

  constructor(opts: Bm25Options) {
    if (opts.fields.length === 0 || opts.fields.length > MAX_FIELDS) {
      throw new RangeError(`BM25 supports 1..${MAX_FIELDS} fields`);
    }
    this.fields = opts.fields.map((f) => ({ ...f }));
    this.k1 = opts.k1 ?? 1.2;
    this.stats = opts.stats;
    // packed frequencies of the head fields are the low 8·h bits: code % 256^h ≠ 0 ⇔ a head match
    this.headMask = 256 ** Math.max(0, Math.min(this.fields.length, opts.headFields ?? 0));
    const cap = 64;
    this.lens = this.fields.map(() => new Float64Array(cap));
    this.norms = this.fields.map(() => new Float64Array(cap));
    this.totalLen = this.fields.map(() => 0);
    this.acc = new Float64Array(cap);
    this.cov = new Float64Array(cap);
    this.headCov = new Float64Array(cap);
    this.bits = new Int32Array(cap);
    this.headBits = new Int32Array(cap);
    this.seen = new Uint8Array(cap);
    this.touched = new Int32Array(cap);
  }

  get size(): number {
    return this.docCount;
  }

  has(id: string): boolean {
    return this.slotById.has(id);
  }

  /** Stable small integer for a document while it is indexed (reused after removal). */
  slotOf(id: string): number | undefined {
    return this.slotById.get(id);
  }

  /** The private group (a user's owner key) of the document in `slot`; undefined for a shared document. */
  groupOf(slot: number): string | undefined {
    // the list is as long as the last private slot: reading past its end is a slow path in V8
    return slot < this.groupBySlot.length ? this.groupBySlot[slot] : undefined;
  }

  idOf(slot: number): string | undefined {
    return this.idBySlot[slot];
  }

  /**
   * Add or replace one document. `fieldTokens[i]` are the tokens of `fields[i]`. With `group`, the
   * document is private to that group (see the class comment).
   */
  add(id: string, fieldTokens: readonly (readonly string[])[], group?: string): number {
    if (fieldTokens.length !== this.fields.length) {
      throw new RangeError(`expected ${this.fields.length} token lists, got ${fieldTokens.length}`);
    }
    return this.addCounts(id, countTerms(fieldTokens), group);
  }

  /**
   * Add or replace one document from its term counts (what `add` computes from tokens, and what
   * `documents()` returns), so a persisted index can be rebuilt without tokenizing again.
   * Indexing the same documents in the same order through `add` or `addCounts` yields identical
   * postings, hence identical scores.
   */
  addCounts(id: string, doc: Bm25DocCounts, group?: string): number {
    if (doc.lens.length !== this.fields.length) {
      throw new RangeError(`expected ${this.fields.length} field lengths, got ${doc.lens.length}`);
    }
    if (doc.terms.length !== doc.packed.length) throw new RangeError('terms and packed counts differ in length');
    let slot = this.slotById.get(id);
    if (slot !== undefined) this.unindex(slot);
    else {
      slot = this.freeSlots.pop() ?? this.idBySlot.length;
      this.ensureCapacity(slot + 1);
      this.slotById.set(id, slot);
      this.idBySlot[slot] = id;
      this.docCount++;
    }
    for (let f = 0; f < this.fields.length; f++) {
      const len = doc.lens[f]!;
      this.lens[f]![slot] = len;
      this.totalLen[f]! += len;
    }
    const terms = new Int32Array(doc.terms.length);
    for (let i = 0; i < doc.terms.length; i++) {
      const term = doc.terms[i]!;
      let t = this.termIds.get(term);
      if (t === undefined) {
        t = this.freeTermIds.pop() ?? this.termById.length;
        this.termIds.set(term, t);
        this.termById[t] = term;
        this.refs[t] = 0;
      }
      this.refs[t]!++;
      if (group === undefined) (this.postings[t] ??= []).push(slot, doc.packed[i]!);
      terms[i] = t;
    }
    if (group === undefined) this.termsBySlot[slot] = terms;
    else {
      // sorted by term id, so a search finds a query term by binary search
      const order = Array.from(terms.keys()).sort((a, b) => terms[a]! - terms[b]!);
      this.termsBySlot[slot] = Int32Array.from(order, (k) => terms[k]!);
      this.packedBySlot[slot] = Float64Array.from(order, (k) => doc.packed[k]!);
      this.groupBySlot[slot] = group;
      let set = this.groupSlots.get(group);
      if (!set) this.groupSlots.set(group, (set = new Set()));
      set.add(slot);
    }
    this.normsDirty = true;
    return slot;
  }

  /**
   * Term counts of every indexed document, by id (for persisting the index). Built from the
   * postings in one pass; the term strings are the dictionary's own.
   */
  documents(): Map<string, Bm25DocCounts> {
    const bySlot: Array<{ terms: string[]; packed: number[] } | undefined> = this.idBySlot.map((id) =>
      id === undefined ? undefined : { terms: [], packed: [] },
    );
    this.forEachPosting((t, slot, code) => {
      const d = bySlot[slot];
      if (!d) return;
      d.terms.push(this.termById[t]!);
      d.packed.push(code);
    });
    this.packedBySlot.forEach((packed, slot) => {
      const d = bySlot[slot];
      const terms = this.termsBySlot[slot];
      if (!packed || !d || !terms) return;
      for (let i = 0; i < terms.length; i++) {
        d.terms.push(this.termById[terms[i]!]!);
        d.packed.push(packed[i]!);
      }
    });
    const out = new Map<string, Bm25DocCounts>();
    bySlot.forEach((d, slot) => {
      const id = this.idBySlot[slot];
      if (!d || id === undefined) return;
      out.set(id, { lens: this.fields.map((_, f) => this.lens[f]![slot]!), terms: d.terms, packed: d.packed });
    });
    return out;
  }

  /**
   * The whole index as flat arrays (for persisting it): documents in slot order, each with its
   * terms ascending by (compacted) term id. `keep` selects the documents to include.
   */
  snapshot(keep: (id: string) => boolean = () => true): Bm25Snapshot & { slots: number[] } {
    const nFields = this.fields.length;
    const slots: number[] = [];
    for (let slot = 0; slot < this.idBySlot.length; slot++) {
      const id = this.idBySlot[slot];
      if (id !== undefined && keep(id)) slots.push(slot);
    }
    // Compacted term ids follow the index's own ids in ascending order (only terms a kept
    // document holds), so a document's terms, written in index-id order, come out ascending with
    // no sort, and one pass over the postings places every shared document's frequencies.
    const remap = new Int32Array(this.termById.length).fill(-1);
    for (const slot of slots) {
      const ts = this.termsBySlot[slot];
      if (ts) for (let i = 0; i < ts.length; i++) remap[ts[i]!] = 0;
    }
    const terms: string[] = [];
    for (let t = 0; t < remap.length; t++) if (remap[t] === 0) remap[t] = terms.push(this.termById[t]!) - 1;
    const docStart = new Uint32Array(slots.length + 1);
    /** slot → position in `slots` + 1 (0: not kept, or private) */
    const sharedDoc = new Int32Array(this.idBySlot.length);
    let total = 0;
    slots.forEach((slot, d) => {
      total += this.termsBySlot[slot]?.length ?? 0;
      docStart[d + 1] = total;
      if (this.groupBySlot[slot] === undefined) sharedDoc[slot] = d + 1;
    });
    const docTerms = new Int32Array(total);
    const docPacked = new Float64Array(total);
    const lens = new Uint32Array(slots.length * nFields);
    const cursor = docStart.slice(0, slots.length);
    this.forEachPosting((t, slot, code) => {
      const d = sharedDoc[slot]! - 1;
      if (d < 0) return;
      const o = cursor[d]!++;
      docTerms[o] = remap[t]!;
      docPacked[o] = code;
    });
    slots.forEach((slot, d) => {
      for (let f = 0; f < nFields; f++) lens[d * nFields + f] = this.lens[f]![slot]!;
      const packed = this.packedBySlot[slot];
      if (!packed) return;
      // a private document's terms are kept ascending by index id (addCounts), so remapped they stay ascending
      const ts = this.termsBySlot[slot]!;
      let o = docStart[d]!;
      for (let i = 0; i < ts.length; i++, o++) {
        docTerms[o] = remap[ts[i]!]!;
        docPacked[o] = packed[i]!;
      }
    });
    return {
      nFields,
      terms,
      ids: slots.map((slot) => this.idBySlot[slot]!),
      groups: slots.map((slot) => this.groupBySlot[slot]),
      lens,
      docStart,
      docTerms,
      docPacked,
      slots,
    };
  }

  /**
   * Adopt a snapshot into this empty index in one pass: what adding its documents one by one
   * would build (the same postings, hence the same scores), without a dictionary look-up per term.
   */
  restore(s: Bm25Snapshot): void {
    if (this.docCount !== 0 || this.idBySlot.length !== 0) throw new Error('restore needs an empty index');
    if (s.nFields !== this.fields.length) throw new RangeError(`snapshot has ${s.nFields} fields, index has ${this.fields.length}`);
    // everything that can refuse a snapshot is checked before the documents go in
    if (new Set(s.ids).size !== s.ids.length) throw new Error('duplicate document in snapshot');
    const n = s.ids.length;
    const nFields = this.fields.length;
    this.ensureCapacity(n);
    const refs = new Int32Array(s.terms.length);
    for (let i = 0; i < s.docTerms.length; i++) refs[s.docTerms[i]!]!++;
    // snapshot term id → index term id (only terms some document holds)
    const local = new Int32Array(s.terms.length).fill(-1);
    let identity = true;
    for (let t = 0; t < s.terms.length; t++) {
      if (refs[t] === 0) continue;
      if (this.termIds.has(s.terms[t]!)) {
        // a term twice in the dictionary: not a snapshot this index wrote; leave the index empty
        this.termIds.clear();
        this.termById = [];
        this.refs = [];
        this.postings = [];
        throw new Error(`term ${JSON.stringify(s.terms[t])} twice in snapshot`);
      }
      const id = this.termById.length;
      local[t] = id;
      if (id !== t) identity = false;
      this.termIds.set(s.terms[t]!, id);
      this.termById.push(s.terms[t]!);
      this.refs.push(refs[t]!);
      this.postings.push(undefined);
    }
    // One copy of every document's term ids, and of the private documents' packed frequencies
    // (shared ones have theirs in the postings); documents get views of these, so nothing of the
    // snapshot's buffer is kept and there is no allocation per document.
    let allTerms: Int32Array;
    if (identity) allTerms = s.docTerms.slice();
    else {
      allTerms = new Int32Array(s.docTerms.length);
      for (let i = 0; i < allTerms.length; i++) allTerms[i] = local[s.docTerms[i]!]!;
    }
    let privateTotal = 0;
    for (let d = 0; d < n; d++) if (s.groups[d] !== undefined) privateTotal += s.docStart[d + 1]! - s.docStart[d]!;
    const privatePacked = new Float64Array(privateTotal);
    // the shared postings, flat per term (see baseFrom), in document order as adding them would
    const nTerms = this.termById.length;
    const baseFrom = new Int32Array(nTerms);
    const baseTo = new Int32Array(nTerms);
    for (let d = 0; d < n; d++) {
      if (s.groups[d] !== undefined) continue;
      for (let i = s.docStart[d]!; i < s.docStart[d + 1]!; i++) baseTo[allTerms[i]!]!++;
    }
    let sharedTotal = 0;
    for (let t = 0; t < nTerms; t++) {
      baseFrom[t] = sharedTotal;
      sharedTotal += baseTo[t]!;
      baseTo[t] = baseFrom[t]!;
    }
    const baseSlots = new Int32Array(sharedTotal);
    const basePacked = new Float64Array(sharedTotal);
    let po = 0;
    for (let d = 0; d < n; d++) {
      const id = s.ids[d]!;
      this.slotById.set(id, d);
      this.idBySlot[d] = id;
      for (let f = 0; f < nFields; f++) {
        const len = s.lens[d * nFields + f]!;
        this.lens[f]![d] = len;
        this.totalLen[f]! += len;
      }
      const from = s.docStart[d]!;
      const to = s.docStart[d + 1]!;
      const terms = allTerms.subarray(from, to);
      this.termsBySlot[d] = terms;
      const group = s.groups[d];
      if (group === undefined) {
        for (let i = from; i < to; i++) {
          const o = baseTo[terms[i - from]!]!++;
          baseSlots[o] = d;
          basePacked[o] = s.docPacked[i]!;
        }
      } else {
        // local ids follow snapshot ids in order, so the list stays ascending
        privatePacked.set(s.docPacked.subarray(from, to), po);
        this.packedBySlot[d] = privatePacked.subarray(po, po + to - from);
        po += to - from;
        this.groupBySlot[d] = group;
        let set = this.groupSlots.get(group);
        if (!set) this.groupSlots.set(group, (set = new Set()));
        set.add(d);
      }
    }
    this.baseFrom = baseFrom;
    this.baseTo = baseTo;
    this.baseSlots = baseSlots;
    this.basePacked = basePacked;
    this.docCount = n;
    this.normsDirty = true;
  }

  /** Every shared posting: term id, document slot, packed field frequencies (base lists first). */
  private forEachPosting(fn: (t: number, slot: number, code: number) => void): void {
    for (let t = 0; t < this.baseTo.length; t++) {
      for (let i = this.baseFrom[t]!; i < this.baseTo[t]!; i++) fn(t, this.baseSlots[i]!, this.basePacked[i]!);
    }
    this.postings.forEach((p, t) => {
      if (p) for (let i = 0; i < p.length; i += 2) fn(t, p[i]!, p[i + 1]!);
    });
  }

  /**
   * Release the spare capacity of the posting lists. Arrays grown by `push` keep room for more
   * (an array of one element reserves ~17 slots), which for the long tail of rare terms costs
   * more than the postings themselves; call this after adding many documents at once.
   */
  compact(): void {
    for (let t = 0; t < this.postings.length; t++) {
      const p = this.postings[t];
      if (p) this.postings[t] = p.slice();
    }
  }

  remove(id: string): boolean {
    const slot = this.slotById.get(id);
    if (slot === undefined) return false;
    this.unindex(slot);
    this.slotById.delete(id);
    this.idBySlot[slot] = undefined;
    this.freeSlots.push(slot);
    this.docCount--;
    this.normsDirty = true;
    return true;
  }

  /**
   * Score every document containing at least one query term. The query is a token list (each
   * occurrence counts once) or a map of term → query weight.
   */
  search(query: readonly string[] | ReadonlyMap<string, number>, scope: Bm25Scope = {}): Bm25Matches {
    let qf: ReadonlyMap<string, number>;
    if (Array.isArray(query)) {
      const m = new Map<string, number>();
      for (const t of query as readonly string[]) m.set(t, (m.get(t) ?? 0) + 1);
      qf = m;
    } else qf = query as ReadonlyMap<string, number>;
    if (this.normsDirty) this.rebuildNorms();

    const k1 = this.k1;
    const nFields = this.fields.length;
    const norms = this.norms;
    const acc = this.acc;
    const cov = this.cov;
    const headCov = this.headCov;
    const bits = this.bits;
    const headBits = this.headBits;
    const terms: Bm25Matches['terms'] = [];
    const headMask = this.headMask;
    const stats = this.stats;
    let queryMass = 0;
    const seen = this.seen;
    const touched = this.touched;
    const baseSlots = this.baseSlots;
    const basePacked = this.basePacked;
    let count = 0;
    let maxScore = 0;
    let knownTerms = 0;
    const n = this.docCount;
    const shared = scope.shared !== false;
    // the known query terms in query order, for scoring private documents afterwards
    const qIds: number[] = [];
    const qWeight: number[] = [];
    const qMass: number[] = [];
    const qBit: number[] = [];
    // One posting (document `slot` holds the term with packed field counts `code`): the same
    // update for a shared posting and for a private document found by its term list.
    const hit = (slot: number, code: number, mass: number, bit: number, weight: number): void => {
      cov[slot]! += mass;
      bits[slot]! |= bit;
      // (floor and multiply, not `%`: the codes are doubles beyond int32, and `%` on those is a
      // libm call several times slower; powers of two divide exactly, so the result is the same)
      if (code - Math.floor(code / headMask) * headMask !== 0) {
        headCov[slot]! += mass;
        headBits[slot]! |= bit;
      }
      let tfw = 0;
      // the fields a term is not in count nothing: stop at the last one it is in
      for (let f = 0; f < nFields && code !== 0; f++) {
        const rest = Math.floor(code / 256);
        const c = code - rest * 256;
        if (c !== 0) tfw += c * norms[f]![slot]!;
        code = rest;
      }
      if (seen[slot] === 0) {
        seen[slot] = 1;
        touched[count++] = slot;
      }
      acc[slot]! += (weight * tfw) / (k1 + tfw);
    };

    for (const [term, q] of qf) {
      const t = this.termIds.get(term);
      const p = t === undefined || !shared ? undefined : this.postings[t];
      const baseFrom = t === undefined || !shared || t >= this.baseTo.length ? 0 : this.baseFrom[t]!;
      const baseTo = t === undefined || !shared || t >= this.baseTo.length ? 0 : this.baseTo[t]!;
      const df = t === undefined ? 0 : this.refs[t]!;
      // A term absent from the index still counts towards the ideal score: a query whose words
      // are unknown to every skill must not look like a perfect match for the few it hits.
      const idf = stats ? stats.idf(term) : Math.log(1 + (n - df + 0.5) / (df + 0.5));
      const mass = q * idf;
      const weight = mass * (k1 + 1);
      maxScore += weight;
      queryMass += mass;
      const bit = terms.length < 31 ? 1 << terms.length : 0;
      terms.push({ term, idf, q });
      if (t === undefined) continue;
      knownTerms++;
      qIds.push(t);
      qWeight.push(weight);
      qMass.push(mass);
      qBit.push(bit);
      for (let i = baseFrom; i < baseTo; i++) hit(baseSlots[i]!, basePacked[i]!, mass, bit, weight);
      if (!p) continue;
      for (let i = 0; i < p.length; i += 2) hit(p[i]!, p[i + 1]!, mass, bit, weight);
    }

    // Private documents of the named groups: the same updates as above, per document in query
    // term order (as the postings loop applies them), found by binary search in its term list.
    for (const group of scope.groups ?? []) {
      const members = qIds.length === 0 ? undefined : this.groupSlots.get(group);
      if (!members) continue;
      for (const slot of members) {
        const ids = this.termsBySlot[slot]!;
        const packed = this.packedBySlot[slot]!;
        for (let k = 0; k < qIds.length; k++) {
          const at = findSorted(ids, qIds[k]!);
          if (at < 0) continue;
          hit(slot, packed[at]!, qMass[k]!, qBit[k]!, qWeight[k]!);
        }
      }
    }

    const { slots, scores, coverage, headCoverage, termMask, headTermMask } = scope.reuse ? this.scratch(count) : matchArrays(count);
    for (let i = 0; i < count; i++) {
      const s = touched[i]!;
      slots[i] = s;
      scores[i] = acc[s]!;
      coverage[i] = cov[s]!;
      headCoverage[i] = headCov[s]!;
      termMask[i] = bits[s]!;
      headTermMask[i] = headBits[s]!;
      bits[s] = 0;
      headBits[s] = 0;
      acc[s] = 0;
      cov[s] = 0;
      headCov[s] = 0;
      seen[s] = 0;
    }
    return { count, slots, scores, maxScore, knownTerms, queryMass, coverage, headCoverage, terms, termMask, headTermMask };
  }

  /** Views of length `count` of the reused result buffers (Bm25Scope.reuse), grown as needed. */
  private scratch(count: number): MatchArrays {
    if (this.out.slots.length < count) this.out = matchArrays(Math.max(count, 2 * this.out.slots.length));
    const o = this.out;
    return {
      slots: o.slots.subarray(0, count),
      scores: o.scores.subarray(0, count),
      coverage: o.coverage.subarray(0, count),
      headCoverage: o.headCoverage.subarray(0, count),
      termMask: o.termMask.subarray(0, count),
      headTermMask: o.headTermMask.subarray(0, count),
    };
  }

  /** The idf a term is scored with (from `stats` when given, else from the index). */
  idf(term: string): number {
    if (this.stats) return this.stats.idf(term);
    const n = this.docCount;
    const df = this.docFreq(term);
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** Document frequency of a term (tests, diagnostics). */
  docFreq(term: string): number {
    const t = this.termIds.get(term);
    return t === undefined ? 0 : this.refs[t]!;
  }

  private unindex(slot: number): void {
    const terms = this.termsBySlot[slot];
    const group = this.groupBySlot[slot];
    for (const t of terms ?? []) {
      if (group === undefined) this.unbase(t, slot);
      const p = group === undefined ? this.postings[t] : undefined;
      if (p) {
        let i = 0;
        while (i < p.length && p[i] !== slot) i += 2;
        if (i < p.length) {
          // swap-delete the pair: posting order carries no meaning
          const last = p.length - 2;
          p[i] = p[last]!;
          p[i + 1] = p[last + 1]!;
          p.length = last;
          if (last === 0) this.postings[t] = undefined;
        }
      }
      if (--this.refs[t]! === 0) {
        this.termIds.delete(this.termById[t]!);
        this.termById[t] = '';
        this.postings[t] = undefined;
        if (t < this.baseTo.length) this.baseTo[t] = this.baseFrom[t]!;
        this.freeTermIds.push(t);
      }
    }
    this.termsBySlot[slot] = undefined;
    if (group !== undefined) {
      const set = this.groupSlots.get(group);
      set?.delete(slot);
      if (set?.size === 0) this.groupSlots.delete(group);
      this.groupBySlot[slot] = undefined;
      this.packedBySlot[slot] = undefined;
    }
    for (let f = 0; f < this.fields.length; f++) {
      this.totalLen[f]! -= this.lens[f]![slot]!;
      this.lens[f]![slot] = 0;
    }
  }

  /** When `slot` is in term `t`'s base list: move the rest of that list to `postings` (see baseFrom). */
  private unbase(t: number, slot: number): void {
    if (t >= this.baseTo.length) return;
    const from = this.baseFrom[t]!;
    const to = this.baseTo[t]!;
    let at = from;
    while (at < to && this.baseSlots[at] !== slot) at++;
    if (at === to) return;
    const moved: number[] = [];
    for (let i = from; i < to; i++) if (i !== at) moved.push(this.baseSlots[i]!, this.basePacked[i]!);
    for (const x of this.postings[t] ?? []) moved.push(x);
    this.baseTo[t] = from;
    this.postings[t] = moved.length > 0 ? moved : undefined;
  }

  private rebuildNorms(): void {
    const n = Math.max(1, this.docCount);
    this.fields.forEach((field, f) => {
      const avg = (this.stats ? this.stats.avgLen(f) : this.totalLen[f]! / n) || 1;
      const lens = this.lens[f]!;
      const norm = this.norms[f]!;
      for (let s = 0; s < this.idBySlot.length; s++) {
        norm[s] = field.weight / (1 - field.b + (field.b * lens[s]!) / avg);
      }
    });
    this.normsDirty = false;
  }

  private ensureCapacity(needed: number): void {
    if (needed <= this.acc.length) return;
    let cap = this.acc.length;
    while (cap < needed) cap *= 2;
    const grow = <T extends Float64Array | Uint8Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a as never);
      return b;
    };
    this.lens = this.lens.map((a) => grow(a, (k) => new Float64Array(k)));
    this.norms = this.norms.map((a) => grow(a, (k) => new Float64Array(k)));
    this.acc = grow(this.acc, (k) => new Float64Array(k));
    this.cov = grow(this.cov, (k) => new Float64Array(k));
    this.headCov = grow(this.headCov, (k) => new Float64Array(k));
    this.bits = grow(this.bits, (k) => new Int32Array(k));
    this.headBits = grow(this.headBits, (k) => new Int32Array(k));
    this.seen = grow(this.seen, (k) => new Uint8Array(k));
    this.touched = grow(this.touched, (k) => new Int32Array(k));
  }
}

type MatchArrays = Pick<Bm25Matches, 'slots' | 'scores' | 'coverage' | 'headCoverage' | 'termMask' | 'headTermMask'>;

function matchArrays(n: number): MatchArrays {
  return {
    slots: new Int32Array(n),
    scores: new Float64Array(n),
    coverage: new Float64Array(n),
    headCoverage: new Float64Array(n),
    termMask: new Int32Array(n),
    headTermMask: new Int32Array(n),
  };
}

/** Index of `v` in the ascending `a`, or -1. */
function findSorted(a: Int32Array, v: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const x = a[mid]!;
    if (x < v) lo = mid + 1;
    else if (x > v) hi = mid - 1;
    else return mid;
  }
  return -1;
}

