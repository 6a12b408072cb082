/**
 * In-memory exact vector index: one contiguous row-major array, id ↔ row maps, swap-with-last
 * deletion (rows stay dense, so a scan touches only live data), and exact dot-product scoring. At
 * the sizes a skill bank reaches (thousands of rows) an exact scan is a few hundred microseconds
 * and needs no approximate-index machinery or tuning.
 *
 * Rows are stored as int8 with one float scale per row (symmetric, per-row max): a quarter of
 * float32's memory (512 dimensions: 0.5 KB a skill instead of 2 KB; 50 MB instead of 200 MB at 100k
 * skills). A cosine moves by about 1e-3, which the held-out quality bench does not see in its
 * top-5 (README, issue #15). Queries stay float32.
 */
export interface VectorHit {
  id: string;
  score: number;
}

export class VectorIndex {
  readonly dims: number;
  private data: Int8Array;
  private scale: Float32Array;
  private ids: string[] = [];
  private readonly rowById = new Map<string, number>();

  constructor(dims: number, initialCapacity = 64) {
    if (!Number.isInteger(dims) || dims <= 0) throw new RangeError('dims must be a positive integer');
    this.dims = dims;
    const cap = Math.max(1, initialCapacity);
    this.data = new Int8Array(cap * dims);
    this.scale = new Float32Array(cap);
  }

  get size(): number {
    return this.ids.length;
  }

  has(id: string): boolean {
    return this.rowById.has(id);
  }

  rowOf(id: string): number | undefined {
    return this.rowById.get(id);
  }

  /** Row → id, valid for rows `0 .. size-1` until the next mutation. */
  idAt(row: number): string | undefined {
    return this.ids[row];
  }

  /** The stored vector, as float32 (what the row holds after quantization). */
  get(id: string): Float32Array | undefined {
    const row = this.rowById.get(id);
    return row === undefined ? undefined : this.rowVector(row);
  }

  upsert(id: string, vector: Float32Array): void {
    if (vector.length !== this.dims) {
      throw new RangeError(`vector has ${vector.length} dims, index has ${this.dims}`);
    }
    let row = this.rowById.get(id);
    if (row === undefined) {
      row = this.ids.length;
      this.ensureCapacity(row + 1);
      this.ids.push(id);
      this.rowById.set(id, row);
    }
    let max = 0;
    for (let i = 0; i < vector.length; i++) {
      const a = Math.abs(vector[i]!);
      if (a > max) max = a;
    }
    // non-finite components would poison every score of this row: store it as zeros
    if (!Number.isFinite(max)) max = 0;
    const s = max / 127;
    this.scale[row] = s;
    const off = row * this.dims;
    for (let i = 0; i < vector.length; i++) this.data[off + i] = s === 0 ? 0 : Math.round(vector[i]! / s);
  }

  remove(id: string): boolean {
    const row = this.rowById.get(id);
    if (row === undefined) return false;
    const last = this.ids.length - 1;
    if (row !== last) {
      const lastId = this.ids[last]!;
      this.data.copyWithin(row * this.dims, last * this.dims, (last + 1) * this.dims);
      this.scale[row] = this.scale[last]!;
      this.ids[row] = lastId;
      this.rowById.set(lastId, row);
    }
    this.ids.pop();
    this.rowById.delete(id);
    return true;
  }

  /** Dot product of `query` with every row; `out[row]`. */
  scoreAll(query: Float32Array, out?: Float32Array): Float32Array {
    if (query.length !== this.dims) throw new RangeError(`query has ${query.length} dims, index has ${this.dims}`);
    const n = this.ids.length;
    const res = out && out.length >= n ? out : new Float32Array(n);
    const d = this.dims;
    for (let r = 0; r < n; r++) res[r] = this.scale[r]! * dot(this.data, r * d, query, d);
    return res;
  }

  /** Dot product with one stored row (or undefined when the id is absent). */
  score(id: string, query: Float32Array): number | undefined {
    const row = this.rowById.get(id);
    if (row === undefined) return undefined;
    return this.scale[row]! * dot(this.data, row * this.dims, query, this.dims);
  }

  /**
   * Dot products of one query with single rows, for scoring many candidates. A hashed query
   * vector is mostly zeros, so it is walked by its non-zero components: the same products added
   * in the same order per accumulator as `dot`, without the zero ones, so the result is
   * bit-identical to `score` (adding a zero product never changes a sum that starts at +0).
   */
  scorer(query: Float32Array): (id: string) => number | undefined {
    if (query.length !== this.dims) throw new RangeError(`query has ${query.length} dims, index has ${this.dims}`);
    const d = this.dims;
    const nz: number[] = [];
    for (let i = 0; i < d; i++) if (query[i] !== 0) nz.push(i);
    if (nz.length * 2 > d) return (id) => this.score(id, query);
    // dot's accumulator for component i: lanes 0..3 over the unrolled blocks, then lane 0 for the
    // tail; each lane's components ascending, as dot adds them
    const blocks = d - (d % 4);
    const lanes = [0, 1, 2, 3].map((l) => Int32Array.from(nz.filter((i) => (i < blocks ? i & 3 : 0) === l)));
    const vals = lanes.map((ix) => Float32Array.from(ix, (i) => query[i]!));
    const sum = (data: Int8Array, off: number, ix: Int32Array, v: Float32Array): number => {
      let acc = 0;
      for (let k = 0; k < ix.length; k++) acc += data[off + ix[k]!]! * v[k]!;
      return acc;
    };
    return (id) => {
      const row = this.rowById.get(id);
      if (row === undefined) return undefined;
      const off = row * d;
      const data = this.data;
      return this.scale[row]! * (sum(data, off, lanes[0]!, vals[0]!) + sum(data, off, lanes[1]!, vals[1]!) + sum(data, off, lanes[2]!, vals[2]!) + sum(data, off, lanes[3]!, vals[3]!));
    };
  }

  /** Exact top-k by dot product, best first, optionally restricted by a filter on id. */
  search(query: Float32Array, k: number, filter?: (id: string) => boolean): VectorHit[] {
    if (k <= 0 || this.ids.length === 0) return [];
    const scores = this.scoreAll(query);
    // Small k: a bounded sorted buffer beats sorting n scores.
    const best: VectorHit[] = [];
    for (let r = 0; r < this.ids.length; r++) {
      const s = scores[r]!;
      if (best.length === k && s <= best[k - 1]!.score) continue;
      const id = this.ids[r]!;
      if (filter && !filter(id)) continue;
      let i = best.length < k ? best.length : k - 1;
      if (best.length < k) best.push({ id, score: s });
      while (i > 0 && best[i - 1]!.score < s) {
        best[i] = best[i - 1]!;
        i--;
      }
      best[i] = { id, score: s };
    }
    return best;
  }

  /** Iterate (id, vector) pairs, float32 as stored; used for persistence. */
  *entries(): IterableIterator<[string, Float32Array]> {
    for (let r = 0; r < this.ids.length; r++) yield [this.ids[r]!, this.rowVector(r)];
  }

  private rowVector(row: number): Float32Array {
    const out = new Float32Array(this.dims);
    const s = this.scale[row]!;
    const off = row * this.dims;
    for (let i = 0; i < this.dims; i++) out[i] = this.data[off + i]! * s;
    return out;
  }

  private ensureCapacity(rows: number): void {
    let cap = this.scale.length;
    if (rows <= cap) return;
    while (cap < rows) cap *= 2;
    const data = new Int8Array(cap * this.dims);
    data.set(this.data.subarray(0, this.ids.length * this.dims));
    this.data = data;
    const scale = new Float32Array(cap);
    scale.set(this.scale.subarray(0, this.ids.length));
    this.scale = scale;
  }
}

function dot(data: Int8Array, off: number, q: Float32Array, d: number): number {
  // 4-way unrolled: V8 keeps the accumulators in registers, ~2x faster than the plain loop.
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < d; i += 4) {
    s0 += data[off + i]! * q[i]!;
    s1 += data[off + i + 1]! * q[i + 1]!;
    s2 += data[off + i + 2]! * q[i + 2]!;
    s3 += data[off + i + 3]! * q[i + 3]!;
  }
  for (; i < d; i++) s0 += data[off + i]! * q[i]!;
  return s0 + s1 + s2 + s3;
}
