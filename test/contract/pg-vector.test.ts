import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite/vector';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PgDatabase, type SqlDatabase, type SqlQueryable } from '../../src/engine/store/postgres/db.js';
import { migrate } from '../../src/engine/store/postgres/migrations.js';
import { decodeArraySend, encodeArrayRecv, formatVector, PostgresVectorStore } from '../../src/engine/store/postgres/vectors.js';
import { createTestDatabase, type TestDatabase } from '../helpers/pg.js';

/**
 * The vector store on both layouts: pgvector (`vector` + HNSW), exercised on PGlite (WASM
 * PostgreSQL 17 with the pgvector extension, since the Debian server here has no pgvector), and
 * `real[]`, on the real PostgreSQL server.
 */

function pgliteDatabase(db: PGlite): SqlDatabase {
  const wrap = (q: Pick<PGlite, 'query'>): SqlQueryable => ({
    query: async <R>(text: string, params: unknown[] = []) => {
      const r = await q.query<R>(text, params);
      return { rows: r.rows, rowCount: r.affectedRows ?? null };
    },
  });
  return { ...wrap(db), transaction: (fn) => db.transaction((tx) => fn(wrap(tx))) };
}

/** Deterministic pseudo-random unit vectors (the engine's vectors are L2-normalized). */
function unitVectors(n: number, dims: number, seed: number): Float32Array[] {
  let s = seed >>> 0;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  return Array.from({ length: n }, () => {
    const v = Float32Array.from({ length: dims }, rand);
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}

const dot = (a: Float32Array, b: Float32Array) => a.reduce((acc, x, i) => acc + x * b[i]!, 0);

async function roundTrip(store: PostgresVectorStore): Promise<void> {
  const sig = 'test-embedder-d32';
  const vecs = unitVectors(200, 32, 7);
  const upserts = vecs.map((vector, i) => ({ id: `s${i}`, hash: `h${i}`, vector }));
  await store.save(sig, 32, upserts, []);
  // A second signature with another size lives alongside.
  await store.save('other-d8', 8, [{ id: 's0', hash: 'x', vector: unitVectors(1, 8, 1)[0]! }], []);

  const loaded = await store.load(sig);
  expect(loaded?.dims).toBe(32);
  expect(loaded?.entries.size).toBe(200);
  for (const u of upserts) {
    const e = loaded!.entries.get(u.id)!;
    expect(e.hash).toBe(u.hash);
    expect([...e.vector]).toEqual([...u.vector]); // exact float32 round trip
  }

  // Incremental: change one, delete two.
  const changed = unitVectors(1, 32, 99)[0]!;
  await store.save(sig, 32, [{ id: 's5', hash: 'h5b', vector: changed }], ['s1', 's2']);
  const after = await store.load(sig);
  expect(after?.entries.size).toBe(198);
  expect(after?.entries.has('s1')).toBe(false);
  expect(after?.entries.get('s5')?.hash).toBe('h5b');
  expect([...after!.entries.get('s5')!.vector]).toEqual([...changed]);

  // Search: each stored vector finds itself first; scores match a brute-force dot product.
  const current = [...after!.entries].map(([id, e]) => ({ id, vector: e.vector }));
  for (const probe of [current[0]!, current[50]!, current[197]!]) {
    const hits = await store.search(sig, probe.vector, 5);
    expect(hits[0]!.id).toBe(probe.id);
    expect(hits[0]!.score).toBeCloseTo(1, 4);
    for (let i = 1; i < hits.length; i++) expect(hits[i]!.score).toBeLessThanOrEqual(hits[i - 1]!.score + 1e-6);
    const brute = current.map((c) => ({ id: c.id, s: dot(c.vector, probe.vector) })).sort((a, b) => b.s - a.s);
    expect(hits[1]!.score).toBeCloseTo(brute[1]!.s, 4);
  }

  await expect(store.save(sig, 32, [{ id: 'bad', hash: 'x', vector: new Float32Array(5) }], [])).rejects.toThrow(/dimensions/);
  await store.clear(sig);
  expect(await store.load(sig)).toBeUndefined();
  expect((await store.load('other-d8'))?.entries.size).toBe(1);
}

describe('vector encodings', () => {
  test('binary float4[] encoding decodes back exactly; text literals are well formed', () => {
    const v = Float32Array.from([0, -0, 1e-38, -3.4e38, 0.1, 1 / 3, -0.7071067690849304]);
    expect([...decodeArraySend(encodeArrayRecv(v))]).toEqual([...v]);
    expect(formatVector(Float32Array.from([0.5, -0, 2]), 'pgvector')).toBe('[0.5,0,2]');
    expect(formatVector(Float32Array.from([0.5, -0, 2]), 'array')).toBe('{0.5,0,2}');
    expect(() => formatVector(Float32Array.from([NaN]), 'array')).toThrow();
    expect(() => encodeArrayRecv(Float32Array.from([Infinity]))).toThrow();
  });
});

describe('pgvector layout (PGlite + vector extension)', () => {
  let lite: PGlite;
  let db: SqlDatabase;
  beforeAll(async () => {
    lite = await PGlite.create({ extensions: { vector } });
    db = pgliteDatabase(lite);
  });
  afterAll(async () => {
    await lite.close();
  });

  test('the migration picks `vector`; save/load/search/clear round trip', async () => {
    const result = await migrate(db);
    expect(result.applied.find((a) => a.name === 'vectors')?.note).toBe('pgvector');
    const store = new PostgresVectorStore({ db, batchSize: 64 });
    expect(await store.mode()).toBe('pgvector');
    await roundTrip(store);
  });

  test('each signature gets a partial HNSW index that the search query actually uses', async () => {
    const store = new PostgresVectorStore({ db });
    const sig = 'hnsw-check-d16';
    const vecs = unitVectors(300, 16, 3);
    await store.save(sig, 16, vecs.map((vector, i) => ({ id: `v${i}`, hash: 'h', vector })), []);
    const name = PostgresVectorStore.hnswIndexName(sig);
    const idx = await db.query<{ indexdef: string }>('SELECT indexdef FROM pg_indexes WHERE indexname = $1', [name]);
    expect(idx.rows[0]?.indexdef).toMatch(/USING hnsw/);
    await lite.exec('SET enable_seqscan = off');
    try {
      const q = formatVector(vecs[0]!, 'pgvector');
      const plan = await lite.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT id FROM autoskill_vectors WHERE signature = '${sig}' AND dims = 16
          ORDER BY embedding::vector(16) <#> '${q}'::vector(16) LIMIT 5`,
      );
      expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain(name);
    } finally {
      await lite.exec('RESET enable_seqscan');
    }
    expect((await store.search(sig, vecs[42]!, 3))[0]?.id).toBe('v42');
  });
});

describe('real[] layout (PostgreSQL server without pgvector)', () => {
  let tdb: TestDatabase;
  let pgdb: PgDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase('pgvec');
    pgdb = new PgDatabase({ url: tdb.url, max: 4 });
  });
  afterAll(async () => {
    await pgdb.end();
    await tdb.drop();
  });

  test('asking for pgvector where it is unavailable fails clearly and changes nothing', async () => {
    const available = await pgdb.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'vector'`);
    if (available.rows.length) return; // a server with pgvector: the other branch is covered by PGlite
    await expect(migrate(pgdb, { vectors: 'pgvector' })).rejects.toThrow(/vector extension is not available/);
    const t = await pgdb.query(`SELECT to_regclass('autoskill_migrations') AS t`);
    expect(t.rows[0]).toEqual({ t: null });
  });

  test('the migration picks real[]; save/load/search/clear round trip', async () => {
    const store = new PostgresVectorStore({ db: pgdb, migrations: { vectors: 'array' }, batchSize: 64 });
    expect(await store.mode()).toBe('array');
    await roundTrip(store);
  });
});
