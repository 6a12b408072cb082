import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { createPostgresBackends } from '../../src/engine/store/postgres/index.js';
import { AutoSkill } from '../../src/engine/autoskill.js';
import { LocalEmbedder } from '../../src/engine/index/local-embedder.js';
import type { Embedder } from '../../src/engine/ports/embedder.js';
import { memoryBackends } from '../../src/engine/store/backends.js';
import { indexProbe } from '../../src/engine/testing.js';
import { makeSkill } from '../fixtures/store-helpers.js';
import { createTestDatabase } from '../helpers/pg.js';
import { reportBrain } from '../helpers/report-brain.js';
import { scriptedModel } from '../helpers/scripted-llm.js';

/**
 * One index path (issue #14): the index follows the store's change feed and nothing else, so a
 * skill learned through the real flow (observe → job → maintenance writes the skill) is indexed
 * exactly once per version written. Before, the learner also re-indexed every write itself
 * (`onSkillChanged`), so each learned version was indexed twice. On PostgreSQL the replica also
 * hears its own write back by NOTIFY; that echo must not index it again either.
 */

interface Opened {
  sdk: AutoSkill;
  close: () => Promise<void>;
}

const backends: Array<[string, (llm: ReturnType<typeof scriptedModel>['llm']) => Promise<Opened>]> = [
  [
    'filesystem store',
    async (llm) => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'autoskill-one-path-'));
      const sdk = await AutoSkill.open({ storeDir: dir, llm });
      return { sdk, close: async () => (await sdk.close(), await rm(dir, { recursive: true, force: true })) };
    },
  ],
  [
    'PostgreSQL store',
    async (llm) => {
      const tdb = await createTestDatabase('one_index_path');
      const be = createPostgresBackends(tdb.url, { applicationName: 'one-index-path', poolSize: 4, store: { lockPoolSize: 2 } });
      const sdk = await AutoSkill.open({ store: be.store, vectorStore: be.vectorStore, journal: be.journal, usage: be.usage, llm });
      return { sdk, close: async () => (await sdk.close(), await be.close(), await tdb.drop()) };
    },
  ],
];

const USER = 'probe';
const turn = (topic: string, rule: string) => [
  { role: 'user', content: `Write a report on ${topic}.` },
  { role: 'assistant', content: `Report on ${topic} ...` },
  { role: 'user', content: rule },
];
const turns = [
  turn('grain prices', 'From now on, cite sources for every claim in my reports.'),
  turn('port traffic', 'Use plain text, no markdown, in my reports.'),
  turn('rail freight', 'Never make things up in my reports.'),
];

let opened: Opened | undefined;
afterEach(async () => {
  await opened?.close();
  opened = undefined;
});

describe.each(backends)('index updates per learned skill (%s)', (_name, open) => {
  test('observe → job → skill written: each learned version reaches the index exactly once', async () => {
    const model = scriptedModel(reportBrain);
    const { sdk } = (opened = await open(model.llm));
    // The probe: every skill version handed to the index, from whichever path.
    // (testing.ts: the engine's only holder of the index reports each update it hands over)
    const indexed: string[] = [];
    indexProbe(sdk).onUpdate((update) => {
      if (update.type === 'upsert') for (const s of update.skills) indexed.push(`${s.id}@${s.version}`);
    });

    for (const messages of turns) {
      const outcome = await sdk.learning.observe({ userId: USER }, messages, { mode: 'always' });
      expect(outcome.job, outcome.reason).toBeDefined();
      expect((await sdk.jobs.wait(undefined, outcome.job!.id)).state).toBe('completed');
      // A completed job's skill is already searchable (the learner waits for the settled index).
      const hits = await sdk.search('write a report', { userId: USER, scope: 'user', consistency: 'available' });
      expect(hits.map((h) => h.skill.version)).toEqual([sdk.list({ userId: USER, scope: 'user' })[0]!.version]);
    }

    const learned = sdk.list({ userId: USER, scope: 'user' });
    expect(learned).toHaveLength(1);
    const versions = (await sdk.versions(learned[0]!.id)).map((v) => v.version);
    expect(versions).toEqual(['0.1.0', '0.1.1', '0.1.2']);
    await sdk.settled();
    expect(indexed.filter((u) => u.startsWith(`${learned[0]!.id}@`))).toEqual(versions.map((v) => `${learned[0]!.id}@${v}`));
  });
});

test('a skill written while the index is being built at open is indexed: the index follows the store from before its build', async () => {
  const backends = memoryBackends();
  await backends.store.open();
  await backends.store.put(makeSkill({ slug: 'weekly-status', name: 'Weekly status' }));
  // The build embeds the existing skill; hold that call until the second write has happened.
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let building!: () => void;
  const inBuild = new Promise<void>((r) => (building = r));
  const local = new LocalEmbedder();
  const embedder: Embedder = {
    signature: local.signature,
    dimensions: local.dimensions,
    capabilities: local.capabilities,
    embed: async (texts) => {
      building();
      await gate;
      return local.embed(texts);
    },
  };
  const opening = AutoSkill.open({ backends, embedder, learning: { start: false } });
  await inBuild;
  const late = await backends.store.put(
    makeSkill({ slug: 'incident-postmortem', name: 'Incident postmortem', description: 'Write incident postmortems with a timeline', triggers: ['incident postmortem'], tags: ['incident'] }),
  );
  release();
  const sdk = await opening;
  opened = { sdk, close: () => sdk.close() };
  await sdk.settled();
  expect(sdk.vectorStatus({ userId: 'alice', scope: 'user' })).toMatchObject({ skills: 2, indexed: 2, missing: 0 });
  const hits = await sdk.search('write the incident postmortem', { userId: 'alice', scope: 'user', minScore: 0 });
  expect(hits[0]?.skill.id).toBe(late.id);
});
