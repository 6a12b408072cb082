import { describe, expect, test } from 'vitest';
import type { JobJournal, JobRecord } from '../../../src/engine/jobs/journal.js';

/**
 * One `JobJournal` contract for every implementation (filesystem, PostgreSQL, memory). Owners
 * name a foreign host, so the dead-owner check (this host only) never interferes.
 */
export interface JournalHarness {
  journal: JobJournal;
  /** a second journal over the same storage, as another process would have (undefined: not shared) */
  peer?: () => Promise<JobJournal>;
}

let seq = 0;
export function job(userId: string, over: Partial<JobRecord> = {}): JobRecord {
  const t = new Date(Date.UTC(2024, 0, 1, 0, 0, 0, ++seq)).toISOString();
  return { id: `job-${process.pid}-${seq}`, userId, kind: 'extract', state: 'scheduled', payload: { turn: seq }, createdAt: t, updatedAt: t, attempts: 0, ...over };
}

const A = 'elsewhere:1:a';
const B = 'elsewhere:2:b';

export function jobJournalContract(name: string, open: () => Promise<JournalHarness>): void {
  describe(`JobJournal contract: ${name}`, () => {
    test('add, get and list (newest first, per user, limited) round trip the record', async () => {
      const { journal } = await open();
      const a = job('list-1');
      const b = job('list-2');
      const c = job('list-1');
      for (const j of [a, b, c]) await journal.add(j);
      expect(await journal.get(a.id)).toEqual(a);
      expect(await journal.get('missing')).toBeUndefined();
      expect((await journal.list({ userId: 'list-1' })).map((j) => j.id)).toEqual([c.id, a.id]);
      expect((await journal.list({ limit: 2 })).map((j) => j.id)).toEqual([c.id, b.id]);
    });

    test('claim: per-user FIFO, other users proceed, userIds narrows, attempts and lease are recorded', async () => {
      const { journal } = await open();
      const a1 = job('fifo-a');
      const a2 = job('fifo-a');
      const b1 = job('fifo-b');
      for (const j of [a1, a2, b1]) await journal.add(j);
      expect(await journal.claim({ owner: A, leaseMs: 60_000, userIds: ['nobody'] })).toBeUndefined();
      const first = await journal.claim({ owner: A, leaseMs: 60_000 });
      expect(first).toMatchObject({ id: a1.id, state: 'running', attempts: 1, owner: A });
      expect(Date.parse(first!.leaseUntil!)).toBeGreaterThan(Date.now() + 50_000);
      expect((await journal.claim({ owner: A, leaseMs: 60_000 }))?.id).toBe(b1.id);
      expect(await journal.claim({ owner: A, leaseMs: 60_000 })).toBeUndefined();
      expect(await journal.finish(a1.id, 'completed', { result: { ok: 1 } })).toBe(true);
      expect((await journal.claim({ owner: A, leaseMs: 60_000 }))?.id).toBe(a2.id);
    });

    test('finish is once; renew and release belong to the owner', async () => {
      const { journal } = await open();
      const j = job('own');
      await journal.add(j);
      await journal.claim({ owner: A, leaseMs: 60_000 });
      expect(await journal.renew(j.id, B, 60_000)).toBe(false);
      expect(await journal.renew(j.id, A, 60_000)).toBe(true);
      expect(await journal.release!(j.id, B)).toBe(false);
      expect(await journal.release!(j.id, A)).toBe(true);
      expect(await journal.get(j.id)).toMatchObject({ state: 'scheduled' });
      expect(await journal.claim({ owner: B, leaseMs: 60_000 })).toMatchObject({ id: j.id, attempts: 2, owner: B });
      expect(await journal.finish(j.id, 'failed', { error: 'boom' })).toBe(true);
      expect(await journal.finish(j.id, 'completed', {})).toBe(false);
      expect(await journal.get(j.id)).toMatchObject({ state: 'failed', error: 'boom' });
      expect(await journal.renew(j.id, B, 60_000)).toBe(false);
    });

    test('a running job whose lease expired is claimed again', async () => {
      const { journal } = await open();
      const j = job('lease');
      await journal.add(j);
      const lease = 1500; // long enough that a busy machine cannot expire it before the next line
      const claimedAt = Date.now();
      await journal.claim({ owner: A, leaseMs: lease });
      expect(await journal.claim({ owner: B, leaseMs: 60_000 })).toBeUndefined();
      let again: JobRecord | undefined;
      while (!again && Date.now() - claimedAt < lease + 5000) {
        await new Promise((r) => setTimeout(r, 50));
        again = await journal.claim({ owner: B, leaseMs: 60_000 });
      }
      expect(Date.now() - claimedAt).toBeGreaterThanOrEqual(lease - 50);
      expect(again).toMatchObject({ id: j.id, owner: B, attempts: 2 });
      expect(await journal.renew(j.id, A, 60_000)).toBe(false);
    });

    test('shared storage: what one journal records, another sees; a job is claimed once across them', async (ctx) => {
      const h = await open();
      if (!h.peer) return ctx.skip();
      const other = await h.peer();
      const jobs = [job('peer-1'), job('peer-2'), job('peer-3')];
      for (const j of jobs) await h.journal.add(j);
      expect(await other.get(jobs[0]!.id)).toEqual(jobs[0]);
      const claims = await Promise.all([0, 1, 2, 3].map((i) => (i % 2 ? other : h.journal).claim({ owner: i % 2 ? B : A, leaseMs: 60_000 })));
      expect(claims.filter(Boolean).map((c) => c!.id).sort()).toEqual(jobs.map((j) => j.id).sort());
      await other.close();
    });
  });
}
