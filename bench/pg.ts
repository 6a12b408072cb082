/**
 * PostgreSQL scale-out benchmark: the real skill bank plus synthetic user skills (default
 * 100,000 over 1,000 users) in one database, then:
 *   - bulk load (migrateStore of the bank, importRecords of the synthetic skills)
 *   - upsert throughput through put() and through withLock + put (what the SDK does)
 *   - replica cold start (load every skill from PostgreSQL; index with and without persisted vectors)
 *   - search latency through the engine's SkillIndex with a user scope
 *   - cross-replica propagation latency (put on A → visible on B via LISTEN/NOTIFY)
 * Prints a table; never asserts on time.
 *
 *   npx tsx bench/pg.ts [--users 1000] [--per-user 100] [--keep]
 *
 * The server: AUTOSKILL_BENCH_PG_URL, else AUTOSKILL_TEST_PG_URL, else the test server started by
 * .ci/services.sh. A fresh database is created (and dropped unless --keep).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { createPostgresBackends, type PostgresBackends } from '../src/engine/store/postgres/index.js';
import { migrateStore } from '../src/engine/store/postgres/migrate.js';
import type { SkillRecord } from '../src/engine/store/postgres/store.js';
import { LocalEmbedder } from '../src/engine/index/local-embedder.js';
import { SkillIndex } from '../src/engine/index/skill-index.js';
import type { Skill } from '../src/engine/skill/schema.js';
import { renderSkillMd } from '../src/engine/skill/skill-md.js';
import { nextVersion } from '../src/engine/skill/version.js';
import { FsSkillStore } from '../src/engine/store/fs/store.js';
import { mapLimit } from '../src/engine/store/scan.js';
import { createTestDatabase, layoutBankStoreRoot, testPgUrl } from '../test/helpers/pg.js';
import { readBankQueries } from './queries.js';

const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const USERS = arg('users', 1000);
const PER_USER = arg('per-user', 100);
const KEEP = process.argv.includes('--keep');
const bank = path.resolve(process.env.AUTOSKILL_BANK ?? path.join(import.meta.dirname, '../../shared/data/skillbank'));

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
sampler.unref();

const rows: Array<[string, string]> = [];
const note = (k: string, v: string): void => {
  rows.push([k, v]);
  console.error(`  ${k}: ${v}`);
};
const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const lat = (xs: number[]): string => {
  const s = [...xs].sort((a, b) => a - b);
  return `p50 ${pct(s, 50).toFixed(2)} ms · p95 ${pct(s, 95).toFixed(2)} ms · p99 ${pct(s, 99).toFixed(2)} ms`;
};

/** Deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Synthetic user skills built from the bank's own vocabulary (English words and Chinese phrases). */
function syntheticSkills(source: Skill[], users: number, perUser: number): SkillRecord[] {
  const words = [...new Set(source.flatMap((s) => [...s.tags, ...s.triggers.flatMap((t) => t.split(/\s+/))]).filter((w) => w.length > 1))];
  const phrases = source.flatMap((s) => s.triggers).filter((t) => t.length > 3);
  const r = rng(42);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]!;
  const sentence = (n: number): string => Array.from({ length: n }, () => pick(words)).join(' ');
  const out: SkillRecord[] = [];
  for (let u = 0; u < users; u++) {
    for (let k = 0; k < perUser; k++) {
      const triggers = [pick(phrases), pick(phrases), sentence(3)];
      const skill: Skill = {
        id: `bench-u${u}-s${k}`,
        slug: `bench-skill-${k}`,
        name: sentence(3 + Math.floor(r() * 3)),
        description: sentence(12 + Math.floor(r() * 10)),
        instructions: `# Goal\n${sentence(20)}\n\n# Rules\n- ${sentence(12)}\n- ${sentence(12)}\n- ${pick(phrases)}`,
        triggers,
        tags: [pick(words), pick(words), pick(words)].map((t) => t.toLowerCase()),
        examples: [],
        version: '0.1.0',
        owner: `user:bu${u}`,
        resources: [],
        metadata: {},
      };
      out.push({ skill, skillMd: renderSkillMd(skill), files: {} });
    }
  }
  return out;
}

async function dbSize(url: string): Promise<string> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows: r } = await c.query<{ db: string; skills: string; hist: string; vec: string }>(
      `SELECT pg_size_pretty(pg_database_size(current_database())) AS db,
              pg_size_pretty(pg_total_relation_size('autoskill_skills')) AS skills,
              pg_size_pretty(pg_total_relation_size('autoskill_history')) AS hist,
              pg_size_pretty(pg_total_relation_size('autoskill_vectors')) AS vec`,
    );
    const x = r[0]!;
    return `database ${x.db} (skills ${x.skills}, history ${x.hist}, vectors ${x.vec})`;
  } finally {
    await c.end();
  }
}

async function main(): Promise<void> {
  const server = process.env.AUTOSKILL_BENCH_PG_URL ?? testPgUrl();
  process.env.AUTOSKILL_TEST_PG_URL ??= server;
  const db = await createTestDatabase('autoskill_bench');
  const work = await mkdtemp(path.join(existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), 'autoskill-pgbench-'));
  const opened: PostgresBackends[] = [];
  const backends = (name: string): PostgresBackends => {
    const b = createPostgresBackends(db.url, { applicationName: name });
    opened.push(b);
    return b;
  };
  try {
    console.error(`PostgreSQL benchmark: bank ${bank}, ${USERS} users × ${PER_USER} synthetic skills`);
    // 1. the real bank, fs → pg through migrateStore (multi-row batches)
    const root = path.join(work, 'bank');
    await layoutBankStoreRoot(bank, root);
    const fs = new FsSkillStore({ root });
    await fs.open();
    let A = backends('bench-a');
    await A.store.open();
    let t = performance.now();
    const rep = await migrateStore(fs, A.store);
    note(`migrate bank fs → pg (${rep.skills} skills, ${rep.historyEntries} versions, ${rep.resourceFiles} files)`, secs(performance.now() - t));
    const bankSkills = (await fs.list());
    await fs.close();

    // 2. synthetic user skills, bulk
    t = performance.now();
    const synth = syntheticSkills(bankSkills, USERS, PER_USER);
    const genMs = performance.now() - t;
    t = performance.now();
    for (let i = 0; i < synth.length; i += 2000) await A.store.importRecords(synth.slice(i, i + 2000));
    const bulkMs = performance.now() - t;
    note(`bulk load ${synth.length} synthetic skills (importRecords, 2000/statement batch)`, `${secs(bulkMs)} (${Math.round(synth.length / (bulkMs / 1000))} skills/s; generation ${secs(genMs)})`);

    // 3. upsert throughput through the normal write path
    const r = rng(7);
    const targets = Array.from({ length: 2000 }, () => synth[Math.floor(r() * synth.length)]!.skill.id);
    const putTimes: number[] = [];
    t = performance.now();
    await mapLimit(targets, 8, async (id, i) => {
      const cur = (await A.store.get(id))!;
      const s = performance.now();
      await A.store.put({ ...cur, version: nextVersion(cur.version, []), instructions: cur.instructions + `\n- edit ${i}` });
      putTimes.push(performance.now() - s);
    });
    let ms = performance.now() - t;
    note(`put() × ${targets.length} (8 in flight, history + NOTIFY each)`, `${Math.round(targets.length / (ms / 1000))} upserts/s · ${lat(putTimes)}`);

    const lockTimes: number[] = [];
    const lockTargets = targets.slice(0, 1000);
    t = performance.now();
    await mapLimit(lockTargets, 8, async (id) => {
      const s = performance.now();
      const owner = (await A.store.get(id))!.owner;
      await A.store.withLock(owner, async () => {
        const cur = (await A.store.get(id))!;
        const versions = (await A.store.history(id)).map((h) => h.version);
        await A.store.put({ ...cur, version: nextVersion(cur.version, versions), description: cur.description + '.' }, { expectedVersion: cur.version });
      });
      lockTimes.push(performance.now() - s);
    });
    ms = performance.now() - t;
    note(`withLock(user) + history + put × ${lockTargets.length} (SDK edit path, 8 in flight)`, `${Math.round(lockTargets.length / (ms / 1000))} upserts/s · ${lat(lockTimes)}`);

    const synthIds = synth.map((x) => x.skill.id);
    synth.length = 0;
    // Writer closed: each cold start below is measured with one replica in the process.
    await A.close();

    // 4. a replica builds the index the first time (embeds everything, persists the vectors);
    // it is closed afterwards so the next replica's cold start is measured on its own.
    const embedder = new LocalEmbedder();
    {
      const B = backends('bench-b');
      await B.store.open();
      t = performance.now();
      const indexB = new SkillIndex({ embedder, vectorStore: B.vectorStore });
      await indexB.load();
      await indexB.upsert((await B.store.list()));
      note(`first index build (embed ${indexB.vectorCount()} skills + save to autoskill_vectors, ${await B.vectorStore.mode()})`, secs(performance.now() - t));
      await B.close();
    }

    // 5. another replica: cold start with persisted vectors
    const C = backends('bench-c');
    t = performance.now();
    await C.store.open();
    const openMs = performance.now() - t;
    const index = new SkillIndex({ embedder, vectorStore: C.vectorStore });
    let t2 = performance.now();
    await index.load();
    const vecMs = performance.now() - t2;
    t2 = performance.now();
    await index.upsert((await C.store.list()));
    const upMs = performance.now() - t2;
    note(
      `replica cold start with persisted vectors (index ${index.size()}, ${index.vectorCount()} vectors)`,
      `${secs(performance.now() - t)} = skills ${secs(openMs)} + vectors ${secs(vecMs)} + lexical index ${secs(upMs)}`,
    );

    // 6. search latency, per user scope
    const queries = await readBankQueries(bank, 1000);
    const q = rng(11);
    for (const query of queries.slice(0, 50)) await index.search(query, { userId: `bu${Math.floor(q() * USERS)}`, scope: 'all', limit: 5 });
    for (const scope of ['all', 'user'] as const) {
      const times: number[] = [];
      let hits = 0;
      for (const query of queries) {
        const s = performance.now();
        const res = await index.search(query, { userId: `bu${Math.floor(q() * USERS)}`, scope, limit: 5 });
        times.push(performance.now() - s);
        hits += res.length;
      }
      note(`search, scope ${scope} (user's ${PER_USER} ${scope === 'all' ? '+ Common' : 'only'}; ${times.length} bank queries, ${(hits / times.length).toFixed(1)} hits avg)`, lat(times));
    }

    // 7. cross-replica propagation: put on A (reopened), poll C's memory until it shows the new version
    A = backends('bench-a2');
    await A.store.open();
    const prop: number[] = [];
    for (let i = 0; i < 200; i++) {
      const id = synthIds[Math.floor(q() * synthIds.length)]!;
      const cur = (await A.store.get(id))!;
      const saved = await A.store.put({ ...cur, version: nextVersion(cur.version, []), description: `${cur.description} #${i}` });
      const s = performance.now();
      while ((await C.store.get(id))?.version !== saved.version) await new Promise((res) => setImmediate(res));
      prop.push(performance.now() - s);
    }
    note('propagation: A.put returns → visible in C (LISTEN/NOTIFY, 200 samples)', lat(prop));
    note('storage', await dbSize(db.url));
  } finally {
    for (const b of opened) await b.close().catch(() => undefined);
    if (!KEEP) await db.drop();
    else console.error(`kept database: ${db.url}`);
    await rm(work, { recursive: true, force: true });
  }
  note('peak RSS (replicas A and C in one process)', `${(peakRss / 1024 / 1024).toFixed(0)} MB`);

  const w = Math.max(...rows.map((x) => x[0].length));
  console.log(`\nautoskill PostgreSQL benchmark — ${USERS} users × ${PER_USER} synthetic skills + the bank (${bank})\n`);
  console.log(`| ${'measure'.padEnd(w)} | result |`);
  console.log(`|${'-'.repeat(w + 2)}|--------|`);
  for (const [k, v] of rows) console.log(`| ${k.padEnd(w)} | ${v} |`);
}

await main();
