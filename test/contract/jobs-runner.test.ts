import { describe, expect, it } from 'vitest';
import { MemoryJobJournal } from '../../src/engine/jobs/memory-journal.js';
import { JobRunner, type JobEvent } from '../../src/engine/jobs/runner.js';
import type { JobRecord } from '../../src/engine/jobs/journal.js';
import { ACCEPT_WINDOW_MS, acceptedAt, pendingUntil } from '../../src/engine/jobs/job-id.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('JobRunner', () => {
  it('runs jobs of one user one at a time in order, other users in parallel', async () => {
    const journal = new MemoryJobJournal();
    const log: string[] = [];
    const running = new Set<string>();
    let overlapSameUser = false;
    let maxParallel = 0;
    const runner = new JobRunner({
      journal,
      concurrency: 3,
      pollMs: 0,
      handler: async (job) => {
        const { n } = job.payload as { n: number };
        if ([...running].some((r) => r.startsWith(job.userId + ':'))) overlapSameUser = true;
        running.add(`${job.userId}:${n}`);
        maxParallel = Math.max(maxParallel, running.size);
        log.push(`start ${job.userId}:${n}`);
        await tick();
        running.delete(`${job.userId}:${n}`);
        log.push(`end ${job.userId}:${n}`);
        return { n };
      },
    });
    const jobs: JobRecord[] = [];
    for (let n = 0; n < 4; n++) jobs.push(await runner.schedule('u1', { n }));
    for (let n = 0; n < 3; n++) jobs.push(await runner.schedule('u2', { n }));
    for (const j of jobs) await runner.wait(j.id);
    expect(overlapSameUser).toBe(false);
    expect(maxParallel).toBe(2);
    const u1 = log.filter((l) => l.startsWith('start u1')).map((l) => l.slice(-1));
    expect(u1).toEqual(['0', '1', '2', '3']);
    expect((await runner.get(jobs[0]!.id))!).toMatchObject({ state: 'completed', result: { n: 0 }, attempts: 1 });
    await runner.close();
  });

  it('records a failure with its reason and keeps going', async () => {
    const journal = new MemoryJobJournal();
    const runner = new JobRunner({
      journal,
      pollMs: 0,
      handler: async (job) => {
        if ((job.payload as { bad?: boolean }).bad) throw new Error('model answer unusable: no JSON');
        return 'ok';
      },
    });
    const bad = await runner.schedule('u1', { bad: true });
    const good = await runner.schedule('u1', {});
    expect(await runner.wait(bad.id)).toMatchObject({ state: 'failed', error: 'model answer unusable: no JSON' });
    expect(await runner.wait(good.id)).toMatchObject({ state: 'completed', result: 'ok' });
    await runner.close();
  });

  it('schedule returns before the job runs', async () => {
    const gate = deferred();
    const runner = new JobRunner({ journal: new MemoryJobJournal(), pollMs: 0, handler: async () => gate.promise });
    const job = await runner.schedule('u1', {});
    expect(job.state).toBe('scheduled');
    gate.resolve();
    expect((await runner.wait(job.id)).state).toBe('completed');
    await runner.close();
  });

  it('streams events: subscribe(jobId) ends at the final state; events(userId) filters', async () => {
    const gate = deferred();
    const runner = new JobRunner({ journal: new MemoryJobJournal(), pollMs: 0, concurrency: 1, handler: async () => gate.promise.then(() => 42) });
    const all = runner.events('u1');
    const job = await runner.schedule('u1', {});
    await runner.schedule('u2', {});
    const seen: JobEvent[] = [];
    const sub = (async () => {
      for await (const e of runner.subscribe(job.id)) seen.push(e);
    })();
    await tick();
    gate.resolve();
    await sub;
    expect(seen.map((e) => e.type)).toEqual(['completed']);
    expect(seen[0]!.job).toMatchObject({ id: job.id, result: 42 });
    expect('payload' in seen[0]!.job).toBe(false);
    const first = await all.next();
    expect(first.value).toMatchObject({ type: 'scheduled', job: { userId: 'u1' } });
    const second = await all.next();
    expect(second.value).toMatchObject({ type: 'running', job: { userId: 'u1' } });
    await runner.close();
    expect((await all.next()).value).toMatchObject({ type: 'completed' });
    expect((await all.next()).done).toBe(true);
  });

  it('close() lets running jobs finish and leaves queued jobs for the next runner', async () => {
    const journal = new MemoryJobJournal();
    const gate = deferred();
    const ran: number[] = [];
    const handler = async (job: JobRecord) => {
      const { n } = job.payload as { n: number };
      ran.push(n);
      if (n === 0) await gate.promise;
      return n;
    };
    const a = new JobRunner({ journal, pollMs: 0, concurrency: 1, handler });
    const j0 = await a.schedule('u1', { n: 0 });
    const j1 = await a.schedule('u1', { n: 1 });
    await tick();
    const closing = a.close();
    gate.resolve();
    await closing;
    expect((await journal.get(j0.id))!.state).toBe('completed');
    expect((await journal.get(j1.id))!.state).toBe('scheduled');
    const b = new JobRunner({ journal, pollMs: 0, handler });
    b.start();
    expect((await b.wait(j1.id)).state).toBe('completed');
    expect(ran).toEqual([0, 1]);
    await b.close();
  });

  it('close() with a timeout aborts a stuck job and hands it back; it runs again later', async () => {
    const journal = new MemoryJobJournal();
    let calls = 0;
    const stuck = new JobRunner({
      journal,
      pollMs: 0,
      handler: (_job, signal) => {
        calls++;
        return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
      },
    });
    const job = await stuck.schedule('u1', {});
    await tick();
    await stuck.close({ timeoutMs: 20 });
    expect((await journal.get(job.id))!.state).toBe('scheduled');
    const next = new JobRunner({ journal, pollMs: 0, handler: async () => 'done' });
    next.start();
    expect(await next.wait(job.id)).toMatchObject({ state: 'completed', result: 'done', attempts: 2 });
    expect(calls).toBe(1);
    await next.close();
  });

  it('a job left running by a runner that is gone is claimed again; too many attempts fail it', async () => {
    const journal = new MemoryJobJournal();
    await journal.add({ id: 'j1', userId: 'u1', kind: 'extract', state: 'scheduled', payload: {}, createdAt: 't', updatedAt: 't', attempts: 0 });
    // A runner id of this process that is not registered any more counts as dead.
    await journal.claim({ owner: `${(await import('node:os')).hostname()}:${process.pid}:deadbeef`, leaseMs: 60_000 });
    const r = new JobRunner({ journal, pollMs: 0, maxAttempts: 1, handler: async () => 'x' });
    r.start();
    expect(await r.wait('j1')).toMatchObject({ state: 'failed', error: expect.stringContaining('gave up after 1 attempts') });
    await r.close();
  });

  it('an id accepted by another process is found once its write lands there, not reported missing', async () => {
    // Two runners on one journal, like two `serve --workers` processes; A's journal write is slow.
    const journal = new MemoryJobJournal();
    const landed = deferred();
    const slow = Object.create(journal) as MemoryJobJournal;
    slow.add = async (job) => {
      await landed.promise;
      return journal.add(job);
    };
    const a = new JobRunner({ journal: slow, pollMs: 0, handler: async () => 'done' });
    const b = new JobRunner({ journal, pollMs: 0, handler: async () => 'done' });
    const { job } = a.enqueue('u1', {});
    expect(acceptedAt(job.id)).toBeGreaterThan(Date.now() - 5_000);
    const seen = b.get(job.id);
    await new Promise((r) => setTimeout(r, 120));
    landed.resolve();
    expect(await seen).toMatchObject({ id: job.id, userId: 'u1' });
    // Ids that are not fresh (old random form, long ago, far future) answer at once.
    const t0 = Date.now();
    expect(await b.get('job_00000000-0000-4000-8000-000000000000')).toBeUndefined();
    const old = `job_${(Date.now() - ACCEPT_WINDOW_MS - 1).toString(16).padStart(12, '0').replace(/^(.{8})(.{4})$/, '$1-$2')}-7000-8000-000000000000`;
    expect(pendingUntil(old)).toBeUndefined();
    expect(await b.get(old)).toBeUndefined();
    const future = `job_${(Date.now() + 60_000).toString(16).padStart(12, '0').replace(/^(.{8})(.{4})$/, '$1-$2')}-7000-8000-000000000000`;
    expect(pendingUntil(future)).toBeUndefined();
    expect(Date.now() - t0).toBeLessThan(ACCEPT_WINDOW_MS);
    await a.close();
    await b.close();
  });
});
