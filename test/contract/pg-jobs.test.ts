import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PgDatabase } from '../../src/engine/store/postgres/db.js';
import { PostgresJobJournal } from '../../src/engine/store/postgres/jobs.js';
import { newRunnerId, registerRunner, unregisterRunner } from '../../src/engine/jobs/claim.js';
import type { JobRecord } from '../../src/engine/jobs/journal.js';
import { createTestDatabase, eventually, type TestDatabase } from '../helpers/pg.js';

let tdb: TestDatabase;
const dbs: PgDatabase[] = [];

beforeAll(async () => {
  tdb = await createTestDatabase('pgjobs');
});
afterAll(async () => {
  for (const db of dbs) await db.end();
  await tdb.drop();
});

/** A journal with its own pool, as a separate replica would have. */
function journal(): PostgresJobJournal {
  const db = new PgDatabase({ url: tdb.url, max: 4 });
  dbs.push(db);
  return new PostgresJobJournal({ db });
}

let seq = 0;
function job(userId: string, over: Partial<JobRecord> = {}): JobRecord {
  const t = new Date(Date.UTC(2024, 0, 1, 0, 0, 0, seq)).toISOString();
  return {
    id: `job-${++seq}`,
    userId,
    kind: 'extract',
    state: 'scheduled',
    payload: { messages: [{ role: 'user', content: `turn ${seq}` }] },
    createdAt: t,
    updatedAt: t,
    attempts: 0,
    ...over,
  };
}

describe('PostgresJobJournal', () => {
  test('add/get/list round trip; duplicate ids are refused', async () => {
    const j = journal();
    const a = job('list-u1');
    const b = job('list-u2');
    await j.add(a);
    await j.add(b);
    expect(await j.get(a.id)).toEqual(a);
    await expect(j.add(a)).rejects.toThrow(/already exists/);
    const recent = await j.list({ limit: 1000 });
    expect(recent.findIndex((r) => r.id === b.id)).toBeLessThan(recent.findIndex((r) => r.id === a.id));
    expect((await j.list({ userId: 'list-u1' })).map((r) => r.id)).toEqual([a.id]);
  });

  test('two journals claiming concurrently hand every job out exactly once, one job per user at a time', async () => {
    const users = Array.from({ length: 8 }, (_, i) => `conc-${i}`);
    const jobs = users.flatMap((u) => [job(u), job(u), job(u)]);
    const j1 = journal();
    const j2 = journal();
    for (const x of jobs) await j1.add(x);
    const claimedBy = new Map<string, string[]>();
    const running = new Map<string, string>();
    let overlap = 0;
    const worker = async (j: PostgresJobJournal, owner: string): Promise<void> => {
      let idle = 0;
      while (idle < 20) {
        const got = await j.claim({ owner, leaseMs: 60_000, userIds: users });
        if (!got) {
          idle++;
          await new Promise((r) => setTimeout(r, 5));
          continue;
        }
        idle = 0;
        claimedBy.set(got.id, [...(claimedBy.get(got.id) ?? []), owner]);
        if (running.has(got.userId)) overlap++;
        running.set(got.userId, got.id);
        expect(got).toMatchObject({ state: 'running', owner, attempts: 1 });
        await new Promise((r) => setTimeout(r, 1));
        running.delete(got.userId);
        expect(await j.finish(got.id, 'completed', { result: { by: owner } })).toBe(true);
      }
    };
    await Promise.all([worker(j1, 'w1'), worker(j1, 'w2'), worker(j2, 'w3'), worker(j2, 'w4')]);
    expect(claimedBy.size).toBe(jobs.length);
    expect([...claimedBy.values()].every((owners) => owners.length === 1)).toBe(true);
    expect(overlap).toBe(0);
    for (const x of jobs) expect((await j2.get(x.id))?.state).toBe('completed');
  });

  test('per-user FIFO: a later job waits while the oldest one is running', async () => {
    const j = journal();
    const first = job('fifo');
    const second = job('fifo');
    await j.add(first);
    await j.add(second);
    expect((await j.claim({ owner: 'w', leaseMs: 60_000, userIds: ['fifo'] }))?.id).toBe(first.id);
    expect(await j.claim({ owner: 'w2', leaseMs: 60_000, userIds: ['fifo'] })).toBeUndefined();
    await j.finish(first.id, 'failed', { error: 'boom' });
    expect((await j.claim({ owner: 'w2', leaseMs: 60_000, userIds: ['fifo'] }))?.id).toBe(second.id);
    expect(await j.get(first.id)).toMatchObject({ state: 'failed', error: 'boom' });
  });

  test('a replica that dies mid-job: another claims it after the lease; the late finisher loses', async () => {
    const dead = journal();
    const alive = journal();
    const x = job('lease');
    await dead.add(x);
    const first = await dead.claim({ owner: 'other-host:1:dead', leaseMs: 300, userIds: ['lease'] });
    expect(first?.id).toBe(x.id);
    expect(await alive.claim({ owner: 'other-host:2:alive', leaseMs: 60_000, userIds: ['lease'] })).toBeUndefined();
    // Poll until the lease has passed on the server's clock; no fixed sleep decides the result.
    let again: JobRecord | undefined;
    await eventually(async () => {
      again = await alive.claim({ owner: 'other-host:2:alive', leaseMs: 60_000, userIds: ['lease'] });
      return again !== undefined;
    }, 10_000, 'the expired lease to be reclaimable');
    expect(again).toMatchObject({ id: x.id, state: 'running', owner: 'other-host:2:alive', attempts: 2 });
    // The original owner's renew fails: the job is no longer its own.
    expect(await dead.renew(x.id, 'other-host:1:dead', 60_000)).toBe(false);
    expect(await alive.renew(x.id, 'other-host:2:alive', 60_000)).toBe(true);
    // Exactly one completion, whoever finishes first; repeats are no-ops.
    const results = await Promise.all([
      alive.finish(x.id, 'completed', { result: 'alive' }),
      dead.finish(x.id, 'completed', { result: 'dead' }),
      alive.finish(x.id, 'failed', { error: 'late' }),
    ]);
    expect(results.filter(Boolean).length).toBe(1);
    expect(await alive.finish(x.id, 'completed', {})).toBe(false);
    const final = await alive.get(x.id);
    expect(final?.state).toBe('completed');
  });

  test('a job whose owner process on this host is provably dead is reclaimed before its lease', async () => {
    const j = journal();
    const x = job('deadpid');
    await j.add(x);
    const runner = newRunnerId();
    registerRunner(runner);
    expect((await j.claim({ owner: runner, leaseMs: 600_000, userIds: ['deadpid'] }))?.id).toBe(x.id);
    expect(await j.claim({ owner: 'w', leaseMs: 60_000, userIds: ['deadpid'] })).toBeUndefined();
    unregisterRunner(runner); // this process's runner stopped without finishing
    expect(await j.claim({ owner: 'w', leaseMs: 60_000, userIds: ['deadpid'] })).toMatchObject({ id: x.id, attempts: 2 });
  });

  test('release hands a running job back; only its owner can', async () => {
    const j = journal();
    const x = job('rel');
    await j.add(x);
    await j.claim({ owner: 'a', leaseMs: 60_000, userIds: ['rel'] });
    expect(await j.release(x.id, 'b')).toBe(false);
    expect(await j.release(x.id, 'a')).toBe(true);
    const back = await j.get(x.id);
    expect(back?.state).toBe('scheduled');
    expect(back?.owner).toBeUndefined();
    expect((await j.claim({ owner: 'b', leaseMs: 60_000, userIds: ['rel'] }))?.attempts).toBe(2);
  });
});
