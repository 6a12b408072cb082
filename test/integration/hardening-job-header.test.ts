/**
 * Issue 16, "X-AutoSkill-Job under load": the proxy answers with the job id as soon as it is
 * allocated, without waiting for the journal write (before, the answer waited at most 100 ms for
 * that write and under load the header was on 0 of 1,041 learning answers). Every advertised id
 * must then exist (the extraction route waits for the write), run exactly once, and survive a
 * graceful shutdown that comes right after the answers. Latencies are printed, not asserted.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createAutoskillApp } from '../../src/adapters/express/index.js';
import { AutoSkill } from '../../src/engine/autoskill.js';
import { FsJobJournal } from '../../src/engine/jobs/fs-journal.js';
import type { JobJournal, JobRecord } from '../../src/engine/jobs/journal.js';
import { fsBackends, type Backends } from '../../src/engine/store/backends.js';
import { call, readSse, startProxy, type Proxy } from '../helpers/express-harness.js';
import { startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream.js';

let up: FakeUpstream;

beforeAll(async () => {
  up = await startFakeUpstream();
});
afterAll(async () => {
  await up?.close();
});

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};

/** The preset with its journal's `add` watched: the ids whose write is still in flight. */
function withWatchedJournal(base: Backends): { backends: Backends; adding: Set<string> } {
  const adding = new Set<string>();
  const journal = new Proxy(base.journal, {
    get(target, key) {
      if (key === 'add')
        return async (job: JobRecord) => {
          adding.add(job.id);
          try {
            await target.add(job);
          } finally {
            adding.delete(job.id);
          }
        };
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as JobJournal;
  return { backends: { ...base, journal }, adding };
}

/** `n` learning turns at `concurrency`, each through the official client; returns the job header of each answer. */
async function learningTurns(base: string, n: number, concurrency: number): Promise<{ user: string; job: string | null; at: number }[]> {
  const out: { user: string; job: string | null; at: number }[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      const user = `load-${w % 16}`;
      const client = new OpenAI({ apiKey: 'k', baseURL: `${base}/v1`, maxRetries: 0, timeout: 30_000, defaultHeaders: { 'x-autoskill-user': user } });
      for (let i = next++; i < n; i = next++) {
        const { response } = await client.chat.completions
          .create({ model: 'fake-model', messages: [{ role: 'user', content: `From now on always cite a source for each claim in my reports (${i}).` }] })
          .withResponse();
        out.push({ user, job: response.headers.get('x-autoskill-job'), at: performance.now() });
      }
    }),
  );
  return out;
}

test('under load every learning answer carries X-AutoSkill-Job, and every advertised job exists and runs exactly once', async () => {
  // The production default time box (the harness raises it for slow disks); learning in every turn.
  const proxy: Proxy = await startProxy({ upstream: up, sdk: { learning: { mode: 'always' } }, app: { scheduleTimeoutMs: 100 } });
  try {
    const durableAt = new Map<string, number>();
    proxy.sdk.jobs.onEvent(undefined, (e) => {
      if (e.type === 'scheduled') durableAt.set(e.job.id, performance.now());
    });
    const t0 = performance.now();
    const answers = await learningTurns(proxy.base, 320, 64);
    const wall = performance.now() - t0;

    // A stream reports its job as an SSE comment before [DONE].
    const streamed = await fetch(`${proxy.base}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-autoskill-user': 'load-0' },
      body: JSON.stringify({ model: 'fake-model', stream: true, messages: [{ role: 'user', content: 'Never use bullet points in my emails.' }] }),
    });
    const comment = (await readSse(streamed)).find((e) => e.event === 'comment' && e.data.startsWith('autoskill-job '));
    const streamJob = comment?.data.slice('autoskill-job '.length);

    const missing = answers.filter((a) => !a.job).length;
    const ids = answers.map((a) => a.job!);
    expect(missing).toBe(0);
    expect(new Set(ids).size).toBe(ids.length);
    expect(streamJob).toMatch(/^job_/);

    // Every advertised id answers on the extraction route, for its own user.
    for (const a of [...answers, { user: 'load-0', job: streamJob!, at: 0 }]) {
      const res = await call(proxy.base, 'GET', `/v1/autoskill/extractions/${a.job}`, { user: a.user });
      expect(res.status, `${a.job} of ${a.user}`).toBe(200);
    }
    await proxy.sdk.jobs.idle();
    const jobs = await Promise.all(ids.map((id) => proxy.sdk.jobs.get(undefined, id)));
    expect(jobs.map((j) => j?.state)).toEqual(ids.map(() => 'completed'));
    expect(jobs.every((j) => j?.attempts === 1)).toBe(true);

    const lag = answers.map((a) => (durableAt.get(a.job!) ?? NaN) - a.at);
    console.log(
      `job header on ${answers.length - missing}/${answers.length} answers at concurrency 64 (${Math.round(wall)} ms wall); ` +
        `journal write landed relative to the answer: p50 ${pct(lag, 50).toFixed(1)} ms, p95 ${pct(lag, 95).toFixed(1)} ms, max ${Math.max(...lag).toFixed(1)} ms ` +
        '(negative: before the answer went out)',
    );
  } finally {
    await proxy.close();
  }
}, 180_000);

test('a graceful shutdown right after the answers keeps every advertised job: it runs after the restart', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'autoskill-job-header-'));
  try {
    // The fs preset (what `storeDir` means), its journal watched: which job writes have not landed.
    const { backends, adding } = withWatchedJournal(fsBackends(dir));
    const sdk = await AutoSkill.open({ backends, learning: { mode: 'always', start: false } });
    const upstream = new OpenAI({ apiKey: 'upstream-key', baseURL: up.url, maxRetries: 0, timeout: 5000 });
    const app = createAutoskillApp({ sdk, upstream, model: 'fake-model', scheduleTimeoutMs: 100 });
    const server: Server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const answers = await learningTurns(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, 96, 32);
    app.close();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    // No read of the jobs before closing: close() itself must let every write in flight land.
    const inFlight = answers.filter((a) => a.job && adding.has(a.job)).length;
    await sdk.close();
    console.log(`graceful shutdown: ${inFlight}/${answers.length} journal writes were still in flight when close() began`);

    const again = await AutoSkill.open({ storeDir: dir, learning: { mode: 'always' } });
    try {
      await again.jobs.idle();
      const jobs = await Promise.all(answers.map((a) => again.jobs.get(undefined, a.job!)));
      expect(answers.every((a) => a.job)).toBe(true);
      expect(jobs.map((j) => j?.state)).toEqual(answers.map(() => 'completed'));
    } finally {
      await again.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 180_000);

test('the filesystem journal commits concurrent adds together, in arrival order, and refuses a duplicate id alone', async () => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'autoskill-job-batch-'));
  try {
    const journal = new FsJobJournal({ root });
    const at = new Date().toISOString();
    const job = (i: number): JobRecord => ({ id: `job_b${i}`, userId: `u${i % 7}`, kind: 'extract', state: 'scheduled', payload: { i }, createdAt: at, updatedAt: at, attempts: 0 });
    const t0 = performance.now();
    const results = await Promise.allSettled([...Array.from({ length: 300 }, (_, i) => journal.add(job(i))), journal.add(job(5))]);
    console.log(`300 concurrent adds (+1 duplicate) recorded in ${(performance.now() - t0).toFixed(0)} ms`);
    expect(results.slice(0, 300).every((r) => r.status === 'fulfilled')).toBe(true);
    expect(results[300]).toMatchObject({ status: 'rejected', reason: expect.objectContaining({ message: 'job job_b5 already exists' }) });
    // A second journal on the same root (another process) reads them back, oldest last.
    const listed = await new FsJobJournal({ root }).list({ limit: 1000 });
    expect(listed.map((j) => j.id)).toEqual(Array.from({ length: 300 }, (_, i) => `job_b${299 - i}`));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
