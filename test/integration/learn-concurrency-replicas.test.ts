import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { createPostgresBackends } from '../../src/engine/store/postgres/index.js';
import { MemoryJobJournal } from '../../src/engine/jobs/memory-journal.js';
import { Learner } from '../../src/engine/learn/learner.js';
import { parsePrompt } from '../../src/engine/learn/sections.js';
import { FsSkillStore } from '../../src/engine/store/fs/store.js';
import type { SkillStore } from '../../src/engine/store/store.js';
import { createTestDatabase } from '../helpers/pg.js';
import { reportBrain } from '../helpers/report-brain.js';
import { scriptedModel } from '../helpers/scripted-llm.js';
import { searchBackend } from '../helpers/search-backend.js';

/**
 * Concurrent learning for one user on two replicas (two stores over one folder, or two
 * PostgreSQL replicas). Maintenance plans outside the lock (model calls included) and writes
 * under it only if what it planned on still holds, so a replica that planned on a stale view
 * plans again: still one skill, every version recorded, no rule lost.
 */

const PER_REPLICA = 6;
const N = 2 * PER_REPLICA;
const conv = (i: number) => [
  { role: 'user', content: `Write a report about topic ${i}.` },
  { role: 'assistant', content: 'Report ...' },
  { role: 'user', content: `From now on, rule number ${i} applies to my reports.` },
];

type Pair = { stores: [SkillStore, SkillStore]; close: () => Promise<void> };

const setups: Array<[string, () => Promise<Pair>]> = [
  [
    'filesystem, two stores on one folder',
    async () => {
      const root = await mkdtemp(path.join(tmpdir(), 'autoskill-replicas-'));
      const a = new FsSkillStore({ root });
      const b = new FsSkillStore({ root });
      await a.open();
      await b.open();
      return { stores: [a, b], close: async () => (await a.close(), await b.close(), await rm(root, { recursive: true, force: true })) };
    },
  ],
  [
    'PostgreSQL, two replicas',
    async () => {
      const tdb = await createTestDatabase('learn_replicas');
      const a = createPostgresBackends(tdb.url, { applicationName: 'replica-a', poolSize: 4, store: { lockPoolSize: 2 } });
      const b = createPostgresBackends(tdb.url, { applicationName: 'replica-b', poolSize: 4, store: { lockPoolSize: 2 } });
      await a.store.open();
      await b.store.open();
      return { stores: [a.store, b.store], close: async () => (await a.close(), await b.close(), await tdb.drop()) };
    },
  ],
];

let pair: Pair | undefined;
afterEach(async () => {
  await pair?.close();
  pair = undefined;
});

describe.each(setups)('concurrent learning for one user (%s)', (_name, open) => {
  test(`${N} concurrent ingests split over two replicas: one skill, ${N} recorded versions, no lost rule`, async () => {
    pair = await open();
    const learners = await Promise.all(
      pair.stores.map(async (store) => {
        const backend = await searchBackend(store);
        // A small delay in the model makes the plans really overlap.
        const model = scriptedModel(async (call) => {
          await new Promise((r) => setTimeout(r, 2));
          return reportBrain(call);
        });
        return new Learner({ store, catalog: backend.catalog, search: backend.search, settled: backend.settled, llm: model.llm, journal: new MemoryJobJournal() });
      }),
    );
    const results = await Promise.all(Array.from({ length: N }, (_, i) => learners[i % 2]!.ingest('erin', conv(i))));
    expect(results.filter((r) => r.skills[0]?.action === 'created')).toHaveLength(1);
    expect(results.filter((r) => r.skills[0]?.action === 'merged')).toHaveLength(N - 1);

    const [a] = pair.stores;
    await a.refresh();
    const skills = (await a.list()).filter((s) => s.owner === 'user:erin');
    expect(skills).toHaveLength(1);
    const s = skills[0]!;
    expect((await a.history(s.id)).map((h) => h.version)).toEqual(Array.from({ length: N }, (_, i) => `0.1.${i}`));
    expect(parsePrompt(s.instructions).constraints.filter((r) => /rule number \d+/i.test(r))).toHaveLength(N);
    await Promise.all(learners.map((l) => l.close()));
  });
});
