import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsJobJournal } from '../../src/engine/jobs/fs-journal.js';
import type { JobRecord } from '../../src/engine/jobs/journal.js';
import { JobRunner } from '../../src/engine/jobs/runner.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'autoskill-journal-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const job = (id: string, userId = 'u1'): JobRecord => ({
  id,
  userId,
  kind: 'extract',
  state: 'scheduled',
  payload: { messages: [{ role: 'user', content: `hello ${id}` }] },
  createdAt: new Date().toISOString(),
  updatedAt: new Date().toISOString(),
  attempts: 0,
});

describe('FsJobJournal', () => {
  it('persists jobs and their states across instances, as JSON lines under .autoskill/jobs', async () => {
    const a = new FsJobJournal({ root });
    await a.add(job('j1'));
    await a.add(job('j2'));
    const claimed = await a.claim({ owner: 'x:1:a', leaseMs: 60_000 });
    expect(claimed).toMatchObject({ id: 'j1', state: 'running', attempts: 1, owner: 'x:1:a' });
    expect(await a.finish('j1', 'completed', { result: { ok: true } })).toBe(true);
    expect(await a.finish('j1', 'failed', { error: 'late' })).toBe(false);

    const b = new FsJobJournal({ root });
    expect(await b.get('j1')).toMatchObject({ state: 'completed', result: { ok: true }, attempts: 1 });
    expect(await b.get('j2')).toMatchObject({ state: 'scheduled', payload: { messages: [{ content: 'hello j2' }] } });
    expect((await b.list({ userId: 'u1' })).map((j) => j.id)).toEqual(['j2', 'j1']);
    const text = await readFile(path.join(root, '.autoskill', 'jobs', 'journal.jsonl'), 'utf8');
    expect(text.trim().split('\n').every((l) => JSON.parse(l).op)).toBe(true);
  });

  it('per-user FIFO: a user\'s next job is not claimable while the previous one runs', async () => {
    const j = new FsJobJournal({ root });
    await j.add(job('a1', 'a'));
    await j.add(job('a2', 'a'));
    await j.add(job('b1', 'b'));
    const first = await j.claim({ owner: 'h:1:x', leaseMs: 60_000 });
    const second = await j.claim({ owner: 'h:1:x', leaseMs: 60_000 });
    const third = await j.claim({ owner: 'h:1:x', leaseMs: 60_000 });
    expect([first?.id, second?.id, third]).toEqual(['a1', 'b1', undefined]);
    await j.finish('a1', 'completed', {});
    expect((await j.claim({ owner: 'h:1:x', leaseMs: 60_000 }))?.id).toBe('a2');
  });

  it('two journal instances (as two processes) never claim the same job', async () => {
    const setup = new FsJobJournal({ root });
    for (let i = 0; i < 12; i++) await setup.add(job(`j${i}`, `u${i}`));
    const x = new FsJobJournal({ root });
    const y = new FsJobJournal({ root });
    const claims = await Promise.all(
      Array.from({ length: 16 }, (_, i) => (i % 2 ? x : y).claim({ owner: `h:1:${i % 2}`, leaseMs: 60_000 })),
    );
    const ids = claims.filter(Boolean).map((c) => c!.id);
    expect(ids).toHaveLength(12);
    expect(new Set(ids).size).toBe(12);
  });

  it('an expired lease makes a running job claimable again', async () => {
    const j = new FsJobJournal({ root });
    await j.add(job('j1'));
    await j.claim({ owner: 'other-host:1:a', leaseMs: 1 });
    await new Promise((r) => setTimeout(r, 5));
    expect(await j.claim({ owner: 'me:2:b', leaseMs: 60_000 })).toMatchObject({ id: 'j1', attempts: 2, owner: 'me:2:b' });
    expect(await j.renew('j1', 'other-host:1:a', 1000)).toBe(false);
    expect(await j.renew('j1', 'me:2:b', 1000)).toBe(true);
    expect(await j.release('j1', 'me:2:b')).toBe(true);
    expect(await j.get('j1')).toMatchObject({ state: 'scheduled' });
    expect((await j.get('j1'))!.owner).toBeUndefined();
  });

  it('skips a torn last line and fences it off before the next append', async () => {
    const j = new FsJobJournal({ root });
    await j.add(job('j1'));
    await appendFile(path.join(root, '.autoskill', 'jobs', 'journal.jsonl'), '{"op":"add","job":{"id":"tor');
    const k = new FsJobJournal({ root });
    await k.add(job('j2'));
    const l = new FsJobJournal({ root });
    expect((await l.list({})).map((x) => x.id)).toEqual(['j2', 'j1']);
  });

  it('compacts: keeps unfinished jobs and the newest finished ones; other instances reload', async () => {
    const j = new FsJobJournal({ root, compactEvery: 10_000, keepFinished: 2 });
    const other = new FsJobJournal({ root });
    for (let i = 0; i < 5; i++) {
      await j.add(job(`done${i}`, `u${i}`));
      await j.claim({ owner: 'h:1:x', leaseMs: 60_000 });
      await j.finish(`done${i}`, 'completed', { result: i });
    }
    await j.add(job('open'));
    expect((await other.list({ limit: 100 })).length).toBe(6);
    await j.compactNow();
    const lines = (await readFile(j.file, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(3);
    expect((await other.list({ limit: 100 })).map((x) => x.id).sort()).toEqual(['done3', 'done4', 'open']);
    await other.add(job('after'));
    expect((await j.list({ limit: 100 })).map((x) => x.id)).toContain('after');
  });

  it('compacts automatically as lines accumulate', async () => {
    const j = new FsJobJournal({ root, compactEvery: 20, keepFinished: 3 });
    const runner = new JobRunner({ journal: j, pollMs: 0, handler: async () => 'ok' });
    const ids: string[] = [];
    for (let i = 0; i < 15; i++) ids.push((await runner.schedule(`u${i % 3}`, { i })).id);
    await runner.idle();
    await runner.close();
    const lines = (await readFile(j.file, 'utf8')).trim().split('\n');
    // 15 jobs × (add, claim, finish) = 45 lines without compaction
    expect(lines.length).toBeLessThan(45);
    const fresh = new FsJobJournal({ root });
    const kept = await fresh.list({ limit: 100 });
    // all 15 completed; compaction kept the newest finished ones (3) plus lines appended since
    expect(kept.every((k) => k.state === 'completed')).toBe(true);
    expect(kept.length).toBeLessThan(15);
    expect(kept.map((k) => k.id)).toContain(ids[14]);
  });
});
