import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PgDatabase } from '../../src/engine/store/postgres/db.js';
import { createPostgresBackends, type PostgresBackends } from '../../src/engine/store/postgres/index.js';
import { PostgresUsagePersistence } from '../../src/engine/store/postgres/usage.js';
import { AutoSkill } from '../../src/engine/autoskill.js';
import { UsageTracker } from '../../src/engine/usage/tracker.js';
import { createTestDatabase, type TestDatabase } from '../helpers/pg.js';

/**
 * Usage counters in PostgreSQL: replicas (each with its own pool) add up exactly, a failed flush
 * loses nothing and adds nothing twice, and the SDK facade's counts survive a restart.
 */

let tdb: TestDatabase;
const dbs: PgDatabase[] = [];

beforeAll(async () => {
  tdb = await createTestDatabase('pgusage');
});
afterAll(async () => {
  for (const db of dbs) await db.end();
  await tdb.drop();
});

/** A persistence with its own pool, as a separate replica would have. */
function persistence(opts: { batchRows?: number } = {}): PostgresUsagePersistence {
  const db = new PgDatabase({ url: tdb.url, max: 3 });
  dbs.push(db);
  return new PostgresUsagePersistence({ db, ...opts });
}

/** A clock that advances one second per reading, from `start`. */
function clock(start: string): { now: () => Date; last: () => string } {
  let t = Date.parse(start) - 1000;
  return { now: () => new Date((t += 1000)), last: () => new Date(t).toISOString() };
}

async function admin(sql: string): Promise<void> {
  const db = new PgDatabase({ url: tdb.url, max: 1 });
  try {
    await db.query(sql);
  } finally {
    await db.end();
  }
}

describe('PostgresUsagePersistence', () => {
  test('two replicas flushing concurrently add up to the exact sums; a third reads them with the latest times', async () => {
    const skills = Array.from({ length: 12 }, (_, i) => `rep-s${i}`);
    const clockA = clock('2024-03-01T10:00:00.000Z');
    const clockB = clock('2024-03-01T10:00:00.500Z');
    // A writes in many small batches (one transaction), B in one statement.
    const a = new UsageTracker({ persistence: persistence({ batchRows: 5 }), now: clockA.now, debounceMs: 60_000 });
    const b = new UsageTracker({ persistence: persistence(), now: clockB.now, debounceMs: 60_000 });
    await Promise.all([a.load(), b.load()]);
    const rounds = 8;
    for (let r = 0; r < rounds; r++) {
      a.recordRetrieved('rep-u1', skills);
      a.recordInjected('rep-u1', skills.slice(0, 2));
      b.recordRetrieved('rep-u1', [...skills].reverse());
      b.recordRetrieved('rep-u2', ['rep-s5', 'rep-s5']);
      b.recordInjected('rep-u1', ['rep-s1']);
      await Promise.all([a.flush(), b.flush(), a.flush(), b.flush()]);
    }
    // Each tracker sees at least its own counts without reloading.
    expect(a.get('rep-u1', 'rep-s0')).toMatchObject({ retrieved: rounds, injected: rounds });

    const c = new UsageTracker({ persistence: persistence() });
    await c.load();
    for (const id of skills) expect(c.get('rep-u1', id)?.retrieved).toBe(2 * rounds);
    expect(c.get('rep-u1', 'rep-s0')).toEqual({ retrieved: 2 * rounds, injected: rounds, lastRetrievedAt: expect.any(String), lastInjectedAt: expect.any(String) });
    expect(c.get('rep-u1', 'rep-s1')?.injected).toBe(2 * rounds);
    expect(c.get('rep-u2', 'rep-s5')).toEqual({ retrieved: rounds, injected: 0, lastRetrievedAt: expect.any(String) });
    expect(c.get('rep-u2', 'rep-s0')).toBeUndefined();
    expect(c.stats('rep-u2')).toEqual({ 'rep-s5': c.get('rep-u2', 'rep-s5') });
    expect(c.stats()['rep-s5']?.retrieved).toBe(2 * rounds + rounds);

    // Latest times: each record call reads its tracker's clock once (A twice per round, B three
    // times), so the newest time of every event is known.
    const aTimes = { retrieved: clockAt('2024-03-01T10:00:00.000Z', 2 * (rounds - 1)), injected: clockAt('2024-03-01T10:00:00.000Z', 2 * (rounds - 1) + 1) };
    const bTimes = {
      u1Retrieved: clockAt('2024-03-01T10:00:00.500Z', 3 * (rounds - 1)),
      u2Retrieved: clockAt('2024-03-01T10:00:00.500Z', 3 * (rounds - 1) + 1),
      u1Injected: clockAt('2024-03-01T10:00:00.500Z', 3 * (rounds - 1) + 2),
    };
    expect(clockB.last()).toBe(bTimes.u1Injected);
    expect(clockA.last()).toBe(aTimes.injected);
    // rep-s0: retrieved by both (B is later), injected by A only.
    expect(c.get('rep-u1', 'rep-s0')?.lastRetrievedAt).toBe(latest(aTimes.retrieved, bTimes.u1Retrieved));
    expect(c.get('rep-u1', 'rep-s0')?.lastInjectedAt).toBe(aTimes.injected);
    // rep-s1: injected by both.
    expect(c.get('rep-u1', 'rep-s1')?.lastInjectedAt).toBe(latest(aTimes.injected, bTimes.u1Injected));
    expect(c.get('rep-u2', 'rep-s5')?.lastRetrievedAt).toBe(bTimes.u2Retrieved);

    // A replica whose clock is behind adds its count but never moves a last-at time back.
    const behind = new UsageTracker({ persistence: persistence(), now: () => new Date('2020-01-01T00:00:00.000Z') });
    behind.recordRetrieved('rep-u1', ['rep-s0']);
    await behind.flush();
    await c.load();
    expect(c.get('rep-u1', 'rep-s0')).toMatchObject({ retrieved: 2 * rounds + 1, lastRetrievedAt: latest(aTimes.retrieved, bTimes.u1Retrieved) });

    // After a reload, a replica sees the other's counts too.
    await a.load();
    expect(a.get('rep-u1', 'rep-s0')).toEqual(c.get('rep-u1', 'rep-s0'));
  });

  test('a failed flush keeps the deltas and adds none of them; a later flush adds them exactly once', async () => {
    const single = new UsageTracker({ persistence: persistence(), debounceMs: 60_000 });
    const batched = new UsageTracker({ persistence: persistence({ batchRows: 1 }), debounceMs: 60_000 });
    single.recordRetrieved('fail-u', ['fail-a', 'fail-z']);
    // Rows are written in key order, one per statement here: fail-a goes in before fail-z fails.
    batched.recordRetrieved('fail-u2', ['fail-a', 'fail-z']);
    batched.recordInjected('fail-u2', ['fail-a']);
    // A real server-side failure: a constraint that rejects one of the rows.
    await admin(`ALTER TABLE autoskill_usage ADD CONSTRAINT usage_test_reject CHECK (skill_id <> 'fail-z')`);
    try {
      await expect(single.flush()).rejects.toThrow(/usage_test_reject/);
      await expect(batched.flush()).rejects.toThrow(/usage_test_reject/);
      // The tracker still counts them.
      expect(single.get('fail-u', 'fail-z')?.retrieved).toBe(1);
      expect(batched.get('fail-u2', 'fail-a')).toMatchObject({ retrieved: 1, injected: 1 });
      const probe = new UsageTracker({ persistence: persistence() });
      await probe.load();
      expect(probe.stats('fail-u')).toEqual({});
      expect(probe.stats('fail-u2')).toEqual({});
      // More counts arrive while the database refuses them.
      single.recordRetrieved('fail-u', ['fail-a']);
    } finally {
      await admin('ALTER TABLE autoskill_usage DROP CONSTRAINT usage_test_reject');
    }
    await single.flush();
    await batched.close();
    const check = new UsageTracker({ persistence: persistence() });
    await check.load();
    expect(check.get('fail-u', 'fail-a')?.retrieved).toBe(2);
    expect(check.get('fail-u', 'fail-z')?.retrieved).toBe(1);
    expect(check.get('fail-u2', 'fail-a')).toMatchObject({ retrieved: 1, injected: 1 });
    expect(check.get('fail-u2', 'fail-z')).toMatchObject({ retrieved: 1, injected: 0 });
  });

  test('a closed persistence refuses to add, and the tracker keeps the counts', async () => {
    const p = persistence();
    const t = new UsageTracker({ persistence: p, debounceMs: 60_000 });
    t.recordRetrieved('closed-u', ['closed-s']);
    await p.close();
    await expect(t.flush()).rejects.toThrow(/closed/);
    expect(t.get('closed-u', 'closed-s')?.retrieved).toBe(1);
  });
});

describe('SDK facade on PostgreSQL', () => {
  const open: PostgresBackends[] = [];
  afterAll(async () => {
    for (const pg of open) await pg.close().catch(() => undefined);
  });

  async function sdkOn(): Promise<{ sdk: AutoSkill; pg: PostgresBackends }> {
    const pg = createPostgresBackends(tdb.url, { poolSize: 3, applicationName: 'usage-facade' });
    open.push(pg);
    const sdk = await AutoSkill.open({ store: pg.store, vectorStore: pg.vectorStore, journal: pg.journal, usage: pg.usage, learning: { start: false } });
    return { sdk, pg };
  }

  test('retrievals are counted in the database and survive closing and reopening', async () => {
    const first = await sdkOn();
    const skill = await first.sdk.upsert(
      {
        name: 'Quarterly report format',
        description: 'Write quarterly reports as a table of numbers followed by three bullet points.',
        instructions: '# Goal\nQuarterly reports.\n\n# Constraints & Style\n- Table first, then three bullets.',
        triggers: ['quarterly report'],
      },
      { owner: 'user:facade-u' },
    );
    const turn = [{ role: 'user' as const, content: 'Please write the quarterly report for Q3' }];
    const res = await first.sdk.retrieveForTurn(turn, { userId: 'facade-u', minScore: 0, timeoutMs: 60_000 });
    expect(res.error).toBeUndefined();
    expect(res.hits.map((h) => h.skill.id)).toContain(skill.id);
    expect(res.context?.included.map((i) => i.id)).toContain(skill.id);
    await first.sdk.retrieveForTurn(turn, { userId: 'facade-u', minScore: 0, timeoutMs: 60_000 });
    await first.sdk.close();
    await first.pg.close();
    // Every holder released the shared pool, so it ended.
    expect(first.pg.db.pool.ended).toBe(true);

    const second = await sdkOn();
    expect(second.sdk.retrieval.usage({ userId: 'facade-u' }, skill.id)).toEqual({
      retrieved: 2,
      injected: 2,
      lastRetrievedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      lastInjectedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    await second.sdk.retrieveForTurn(turn, { userId: 'facade-u', minScore: 0, timeoutMs: 60_000 });
    await second.sdk.close();
    await second.pg.close();

    const check = new UsageTracker({ persistence: persistence() });
    await check.load();
    expect(check.get('facade-u', skill.id)).toMatchObject({ retrieved: 3, injected: 3 });
  });
});

function clockAt(start: string, reading: number): string {
  return new Date(Date.parse(start) + reading * 1000).toISOString();
}

function latest(x: string, y: string): string {
  return x > y ? x : y;
}
