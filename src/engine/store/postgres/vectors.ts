import { createHash } from 'node:crypto';
import type { StoredVectors, VectorStore } from '../../index/vector-store.js';
import { LOCK_NS_MIGRATIONS, sqlLiteral, type SqlDatabase } from './db.js';
import { ensureSchema, type MigrationOptions } from './migrations.js';

/**
 * Embeddings in `autoskill_vectors`, one row per (embedder signature, skill id) with the content
 * hash of the embedded text, so a replica re-embeds only what changed.
 *
 * Each replica still searches its own in-memory index (the engine's SkillIndex loads from here at
 * start and writes through on change); the table is the shared, durable copy. The column type was
 * chosen by the schema migration: pgvector's `vector` when the server has the extension, else
 * `real[]`. With pgvector, the first save for a signature adds a partial HNSW index (inner product;
 * the engine's vectors are L2-normalized, so that is cosine) and `search()` runs in the database,
 * for stores too large to hold in every replica's memory. With arrays, `search()` is an exact scan
 * in SQL: correct, but meant for tools and tests, not for the request path.
 *
 * Vectors are read in PostgreSQL's binary send format (`array_send` / `vector_send`, decoded
 * here with a DataView): exact, and several times cheaper than printing and parsing decimal text.
 * They are written pre-encoded in the binary format where the driver sends Buffer parameters
 * binary (node-postgres, `real[]` layout), and otherwise as text literals (`{..}` / `[..]`; JS's
 * shortest double text of a float32 value parses back to the same float32, so this is exact too).
 */

export interface PostgresVectorStoreOptions {
  db: SqlDatabase;
  migrations?: MigrationOptions;
  /** rows per INSERT statement; default 500 */
  batchSize?: number;
}

export interface VectorHit {
  id: string;
  /** inner product with the query (cosine for normalized vectors) */
  score: number;
}

/** Rows per keyset page on load: bounded memory per round trip. */
const LOAD_PAGE = 2000;

/** pgvector's HNSW index handles at most 2000 dimensions for the `vector` type. */
const HNSW_MAX_DIMS = 2000;

export class PostgresVectorStore implements VectorStore {
  private readonly db: SqlDatabase;
  private readonly migrations: MigrationOptions;
  private readonly batchSize: number;
  private layout: Promise<'pgvector' | 'array'> | undefined;
  private readonly indexed = new Set<string>();

  constructor(opts: PostgresVectorStoreOptions) {
    this.db = opts.db;
    this.migrations = opts.migrations ?? {};
    this.batchSize = Math.max(1, opts.batchSize ?? 500);
  }

  /** Which column type the vectors table uses (decided by the migration). */
  mode(): Promise<'pgvector' | 'array'> {
    this.layout ??= (async () => {
      await ensureSchema(this.db, this.migrations);
      const { rows } = await this.db.query<{ t: string }>(
        `SELECT format_type(atttypid, atttypmod) AS t FROM pg_attribute
          WHERE attrelid = 'autoskill_vectors'::regclass AND attname = 'embedding'`,
      );
      return rows[0]?.t === 'vector' ? 'pgvector' : 'array';
    })();
    this.layout.catch(() => (this.layout = undefined));
    return this.layout;
  }

  async load(signature: string): Promise<StoredVectors | undefined> {
    const entries = new Map<string, { hash: string; vector: Float32Array }>();
    let dims = 0;
    let after = '';
    // Keyset pages keep memory flat and never hold one huge result set.
    const send = (await this.mode()) === 'pgvector' ? 'vector_send(embedding)' : 'array_send(embedding)';
    const decode = send.startsWith('vector') ? decodeVectorSend : decodeArraySend;
    for (;;) {
      const { rows } = await this.db.query<{ id: string; hash: string; dims: number; v: Uint8Array }>(
        `SELECT id, hash, dims, ${send} AS v FROM autoskill_vectors
          WHERE signature = $1 AND id > $2 ORDER BY id LIMIT $3`,
        [signature, after, LOAD_PAGE],
      );
      for (const r of rows) {
        const vector = decode(r.v);
        dims ||= Number(r.dims);
        // Rows of another size cannot come from this signature's embedder: skip, they get re-embedded.
        if (vector.length === dims) entries.set(r.id, { hash: r.hash, vector });
      }
      if (rows.length < LOAD_PAGE) break;
      after = rows[rows.length - 1]!.id;
    }
    return entries.size ? { dims, entries } : undefined;
  }

  async save(
    signature: string,
    dims: number,
    upserts: Array<{ id: string; hash: string; vector: Float32Array }>,
    deletes: string[],
  ): Promise<void> {
    const mode = await this.mode();
    for (const u of upserts) {
      if (u.vector.length !== dims) throw new RangeError(`vector for ${u.id} has ${u.vector.length} dimensions, expected ${dims}`);
    }
    if (mode === 'pgvector' && upserts.length) await this.ensureHnsw(signature, dims);
    await this.db.transaction(async (tx) => {
      if (deletes.length) {
        await tx.query('DELETE FROM autoskill_vectors WHERE signature = $1 AND id = ANY($2::text[])', [signature, deletes]);
      }
      for (let i = 0; i < upserts.length; i += this.batchSize) {
        const batch = upserts.slice(i, i + this.batchSize);
        if (mode === 'array' && this.db.binaryParams) {
          await tx.query(...binaryArrayUpsert(signature, dims, batch));
          continue;
        }
        // One multi-row statement per batch (unnest of parallel arrays), not one per vector.
        await tx.query(
          `INSERT INTO autoskill_vectors (signature, id, hash, dims, embedding)
           SELECT $1, u.id, u.hash, $2, u.v::${mode === 'pgvector' ? 'vector' : 'real[]'}
             FROM unnest($3::text[], $4::text[], $5::text[]) AS u(id, hash, v)
           ${UPSERT_TAIL}`,
          [signature, dims, batch.map((u) => u.id), batch.map((u) => u.hash), batch.map((u) => formatVector(u.vector, mode))],
        );
      }
    });
  }

  async clear(signature: string): Promise<void> {
    await this.mode();
    await this.db.query('DELETE FROM autoskill_vectors WHERE signature = $1', [signature]);
  }

  /**
   * The k nearest stored vectors of `signature` to `query`, best first. With pgvector this uses
   * the HNSW index (approximate); with arrays it is an exact scan.
   */
  async search(signature: string, query: Float32Array, k: number): Promise<VectorHit[]> {
    const mode = await this.mode();
    const limit = Math.max(1, Math.floor(k));
    const dims = query.length;
    if (mode === 'pgvector') {
      // The expression and the signature literal must match the partial index's exactly for
      // the planner to use it, hence the inlined literal instead of a parameter.
      const expr = `embedding::vector(${dims})`;
      const { rows } = await this.db.query<{ id: string; d: number }>(
        `SELECT id, (${expr} <#> $1::vector(${dims}))::float8 AS d FROM autoskill_vectors
          WHERE signature = ${sqlLiteral(signature)} AND dims = ${dims}
          ORDER BY ${expr} <#> $1::vector(${dims}) LIMIT ${limit}`,
        [formatVector(query, 'pgvector')],
      );
      return rows.map((r) => ({ id: r.id, score: -Number(r.d) }));
    }
    const { rows } = await this.db.query<{ id: string; s: number }>(
      `SELECT id, s FROM (
         SELECT id, (SELECT sum(a::float8 * b::float8) FROM unnest(embedding, $2::real[]) AS t(a, b)) AS s
           FROM autoskill_vectors WHERE signature = $1 AND dims = $3) q
        ORDER BY s DESC, id LIMIT $4`,
      [signature, formatVector(query, 'array'), dims, limit],
    );
    return rows.map((r) => ({ id: r.id, score: Number(r.s) }));
  }

  /** Name of the HNSW index for a signature (signatures are free text; the name must be an identifier). */
  static hnswIndexName(signature: string): string {
    return 'autoskill_vectors_hnsw_' + createHash('sha256').update(signature).digest('hex').slice(0, 16);
  }

  private async ensureHnsw(signature: string, dims: number): Promise<void> {
    const key = `${signature}\u0000${dims}`;
    if (this.indexed.has(key) || dims > HNSW_MAX_DIMS) return;
    // Serialized with migrations: two replicas creating the same index concurrently would race
    // on the catalog even with IF NOT EXISTS.
    await this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1, 1)', [LOCK_NS_MIGRATIONS]);
      await tx.query(
        `CREATE INDEX IF NOT EXISTS ${PostgresVectorStore.hnswIndexName(signature)} ON autoskill_vectors
           USING hnsw ((embedding::vector(${dims})) vector_ip_ops)
           WHERE signature = ${sqlLiteral(signature)} AND dims = ${dims}`,
      );
    });
    this.indexed.add(key);
  }
}

const UPSERT_TAIL = `ON CONFLICT (signature, id) DO UPDATE
  SET hash = excluded.hash, dims = excluded.dims, embedding = excluded.embedding, updated_at = now()`;

/** A multi-row VALUES upsert whose vectors are Buffer parameters in float4[] binary format. */
function binaryArrayUpsert(
  signature: string,
  dims: number,
  batch: Array<{ id: string; hash: string; vector: Float32Array }>,
): [string, unknown[]] {
  const params: unknown[] = [signature, dims];
  const rows = batch.map((u) => {
    params.push(u.id, u.hash, encodeArrayRecv(u.vector));
    const n = params.length;
    return `($1, $${n - 2}, $${n - 1}, $2, $${n}::real[])`;
  });
  return [`INSERT INTO autoskill_vectors (signature, id, hash, dims, embedding) VALUES ${rows.join(', ')} ${UPSERT_TAIL}`, params];
}

/** float4[] in PostgreSQL's binary array format: ndim, flags, element oid, (size, lbound), then (len, value) pairs. */
export function encodeArrayRecv(v: Float32Array): Buffer {
  const b = Buffer.allocUnsafe(20 + 8 * v.length);
  b.writeInt32BE(1, 0);
  b.writeInt32BE(0, 4);
  b.writeInt32BE(700, 8); // float4
  b.writeInt32BE(v.length, 12);
  b.writeInt32BE(1, 16);
  for (let i = 0, o = 20; i < v.length; i++, o += 8) {
    if (!Number.isFinite(v[i]!)) throw new RangeError('vector contains a non-finite value');
    b.writeInt32BE(4, o);
    b.writeFloatBE(v[i]!, o + 4);
  }
  return b;
}

/** Decode `array_send(real[])` output (one dimension, no NULLs). */
export function decodeArraySend(bytes: Uint8Array): Float32Array {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ndim = dv.getInt32(0);
  if (ndim === 0) return new Float32Array(0);
  if (ndim !== 1 || dv.getInt32(8) !== 700) throw new Error('unexpected array layout for an embedding');
  const n = dv.getInt32(12);
  const out = new Float32Array(n);
  for (let i = 0, o = 20; i < n; i++, o += 8) out[i] = dv.getFloat32(o + 4);
  return out;
}

/** Decode `vector_send(vector)` output: uint16 dimensions, uint16 unused, then float4s. */
export function decodeVectorSend(bytes: Uint8Array): Float32Array {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = dv.getUint16(0);
  const out = new Float32Array(n);
  for (let i = 0, o = 4; i < n; i++, o += 4) out[i] = dv.getFloat32(o);
  return out;
}

/** `[1,2]` for pgvector, `{1,2}` for real[]; JS's shortest double text of a float32 value parses back exactly. */
export function formatVector(v: Float32Array, mode: 'pgvector' | 'array'): string {
  let s = '';
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (!Number.isFinite(x)) throw new RangeError('vector contains a non-finite value');
    s += (i ? ',' : '') + (x === 0 ? '0' : String(x));
  }
  return mode === 'pgvector' ? `[${s}]` : `{${s}}`;
}
