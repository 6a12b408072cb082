import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsJobJournal } from '../../src/engine/jobs/fs-journal.js';
import { Learner } from '../../src/engine/learn/learner.js';
import { FsSkillStore } from '../../src/engine/store/fs/store.js';
import { reportBrain } from '../helpers/report-brain.js';
import { scriptedModel } from '../helpers/scripted-llm.js';
import { simpleSearch } from '../helpers/simple-search.js';
import { SkillCatalog } from '../../src/engine/store/catalog.js';

const CHILD = fileURLToPath(new URL('../fixtures/learn-crash-child.ts', import.meta.url));

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'autoskill-crash-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Run the child until its job is inside the model call, then SIGKILL it. Returns the job id. */
async function crashChild(): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, root], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const jobId = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = /SCHEDULED (\S+)/.exec(out);
      if (m && out.includes('MODEL_CALLED')) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`child exited early (${code}): ${out}\n${err}`)));
  });
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited; // reaped: its pid is gone
  return jobId;
}

describe('crash and restart', () => {
  it('a job running in a killed process runs again after restart, exactly once to completion', async () => {
    const jobId = await crashChild();
    const before = await new FsJobJournal({ root }).get(jobId);
    expect(before).toMatchObject({ state: 'running', attempts: 1 });

    // Restart: two runners share the store root (as two processes would); only one may run the job.
    const store = new FsSkillStore({ root });
    await store.open();
    const search = simpleSearch(store);
    const catalog = await SkillCatalog.open(store);
    const m1 = scriptedModel(reportBrain);
    const m2 = scriptedModel(reportBrain);
    const a = new Learner({ store, catalog, search, llm: m1.llm, journal: new FsJobJournal({ root }), pollMs: 0 });
    const b = new Learner({ store, catalog, search, llm: m2.llm, journal: new FsJobJournal({ root }), pollMs: 0 });
    a.start();
    b.start();
    const done = await a.waitForJob(jobId);
    await Promise.all([a.idle(), b.idle()]);

    expect(done).toMatchObject({ state: 'completed', attempts: 2, result: { status: 'upserted', skills: [{ action: 'created', version: '0.1.0' }] } });
    const extractCalls = [...m1.calls, ...m2.calls].filter((c) => c.mode === 'extract');
    expect(extractCalls).toHaveLength(1);
    expect((await store.list())).toHaveLength(1);
    expect((await store.list())[0]!.source).toMatchObject({ ref: jobId });
    expect((await store.history((await store.list())[0]!.id)).map((h) => h.version)).toEqual(['0.1.0']);
    expect((await a.listJobs('carol')).map((j) => j.state)).toEqual(['completed']);
    await a.close();
    await b.close();
    await store.close();
  });
});
