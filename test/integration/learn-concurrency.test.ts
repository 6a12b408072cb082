import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryJobJournal } from '../../src/engine/jobs/memory-journal.js';
import { Learner } from '../../src/engine/learn/learner.js';
import { parsePrompt } from '../../src/engine/learn/sections.js';
import { FsSkillStore } from '../../src/engine/store/fs/store.js';
import { reportBrain } from '../helpers/report-brain.js';
import { scriptedModel } from '../helpers/scripted-llm.js';
import { searchBackend } from '../helpers/search-backend.js';

let root: string;
let store: FsSkillStore;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'autoskill-concurrency-'));
  store = new FsSkillStore({ root });
  await store.open();
});
afterEach(async () => {
  await store.close();
  await rm(root, { recursive: true, force: true });
});

const N = 20;
const conv = (i: number) => [
  { role: 'user', content: `Write a report about topic ${i}.` },
  { role: 'assistant', content: 'Report ...' },
  { role: 'user', content: `From now on, rule number ${i} applies to my reports.` },
];

async function expectOneSkillWithEveryBump(expectedRules: number) {
  const skills = (await store.list()).filter((s) => s.owner === 'user:dave');
  expect(skills).toHaveLength(1);
  const s = skills[0]!;
  const versions = (await store.history(s.id)).map((h) => h.version);
  expect(versions).toEqual(Array.from({ length: N }, (_, i) => `0.1.${i}`));
  expect(s.version).toBe(`0.1.${N - 1}`);
  expect(parsePrompt(s.instructions).constraints.filter((r) => /rule number \d+/i.test(r))).toHaveLength(expectedRules);
}

describe('concurrent extractions for one user', () => {
  it(`${N} concurrent ingests (scripted model): one skill, ${N} recorded versions, no lost rule`, async () => {
    const backend = await searchBackend(store);
    // A small delay in the model makes the extractions really overlap.
    const model = scriptedModel(async (call) => {
      await new Promise((r) => setTimeout(r, 2));
      return reportBrain(call);
    });
    const learner = new Learner({ store, catalog: backend.catalog, search: backend.search, llm: model.llm, journal: new MemoryJobJournal(), settled: backend.settled });
    const results = await Promise.all(Array.from({ length: N }, (_, i) => learner.ingest('dave', conv(i))));
    expect(results.filter((r) => r.skills[0]?.action === 'created')).toHaveLength(1);
    expect(results.filter((r) => r.skills[0]?.action === 'merged')).toHaveLength(N - 1);
    // Plans are made outside the lock and made again after a conflict, one re-plan at a time per
    // user: about one merge call per job, not one per job and round (~N²/2).
    expect(model.calls.filter((c) => c.mode === 'merge').length).toBeLessThanOrEqual(2 * N);
    await expectOneSkillWithEveryBump(N);
    await learner.close();
  });

  it(`${N} extraction jobs scheduled at once (offline extractor): same guarantees`, async () => {
    const backend = await searchBackend(store);
    const learner = new Learner({ store, catalog: backend.catalog, search: backend.search, journal: new MemoryJobJournal(), settled: backend.settled, concurrency: 4, pollMs: 0 });
    const jobs = await Promise.all(Array.from({ length: N }, (_, i) => learner.extractNow('dave', conv(i))));
    const finals = await Promise.all(jobs.map((j) => learner.waitForJob(j.id)));
    expect(finals.every((f) => f.state === 'completed')).toBe(true);
    await expectOneSkillWithEveryBump(N);
    await learner.close();
  });
});
