import { afterAll, describe, expect, test } from 'vitest';
import { AutoSkill } from '../../src/engine/autoskill.js';
import { LocalEmbedder } from '../../src/engine/index/local-embedder.js';
import { fsBackends, memoryBackends, postgresBackends, type Backends } from '../../src/engine/store/backends.js';
import { tempDir } from '../fixtures/store-helpers.js';
import { createTestDatabase } from '../helpers/pg.js';

/**
 * `AutoSkill.open({ backends })`: whichever preset is chosen, the store, the job journal, the
 * vectors and the usage counters all come from it (before, a custom store silently got an
 * in-memory job queue and no vector persistence). Durable presets are checked by opening a fresh
 * preset over the same storage after the SDK closed.
 */

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

const presets: Array<{ name: string; make: () => Promise<{ open: () => Promise<Backends>; durable: boolean }> }> = [
  {
    name: 'fsBackends',
    make: async () => {
      const { dir, cleanup } = await tempDir('presets-');
      cleanups.push(cleanup);
      return { open: async () => fsBackends(dir), durable: true };
    },
  },
  {
    name: 'postgresBackends',
    make: async () => {
      const db = await createTestDatabase('presets');
      cleanups.push(() => db.drop());
      return { open: () => postgresBackends(db.url, { poolSize: 3 }), durable: true };
    },
  },
  { name: 'memoryBackends', make: async () => ({ open: async () => memoryBackends(), durable: false }) },
];

describe.each(presets)('AutoSkill.open({ backends: $name })', ({ make }) => {
  test('skills, jobs, vectors and usage all live in the preset', async () => {
    const { open, durable } = await make();
    const backends = await open();
    const embedder = new LocalEmbedder();
    const sdk = await AutoSkill.open({ backends, embedder, learning: { start: false } });
    const skill = await sdk.upsert(
      {
        name: 'Incident postmortem format',
        description: 'Write incident postmortems as a timeline table followed by three action items.',
        instructions: '# Goal\nIncident postmortems.\n\n# Constraints & Style\n- Timeline table first, then three action items.',
        triggers: ['incident postmortem'],
      },
      { owner: 'user:preset-u' },
    );
    const turn = [{ role: 'user' as const, content: 'Draft the incident postmortem for last night' }];
    const res = await sdk.retrieveForTurn(turn, { userId: 'preset-u', minScore: 0, timeoutMs: 60_000 });
    expect(res.hits.map((h) => h.skill.id)).toContain(skill.id);
    // The job is recorded in the preset's journal.
    const job = await sdk.extractNow('preset-u', [
      { role: 'user', content: 'From now on always end postmortems with an owner per action item.' },
      { role: 'assistant', content: 'Understood.' },
    ]);
    expect(await backends.journal.get(job.id)).toMatchObject({ userId: 'preset-u', kind: 'extract' });
    // Closing the SDK closes the preset (a pool ends), so durable presets are read back through a
    // fresh one over the same storage; memory is read from the closed preset's parts.
    await sdk.close();
    const check = durable ? await open() : backends;
    if (durable) cleanups.push(() => check.close());
    const vectors = await check.vectorStore!.load(embedder.signature);
    const usage = await check.usage!.read();
    expect(vectors?.entries.has(skill.id)).toBe(true);
    expect(usage.get('preset-u')?.get(skill.id)).toMatchObject({ retrieved: 1, injected: 1 });
    if (!durable) return;

    // A fresh preset over the same storage: everything is still there, and a new SDK picks it up.
    const again = await open();
    cleanups.push(() => again.close());
    const sdk2 = await AutoSkill.open({ backends: again, embedder, learning: { start: false } });
    expect((await again.store.get(skill.id))?.name).toBe('Incident postmortem format');
    expect((await again.journal.get(job.id))?.userId).toBe('preset-u');
    expect((await again.vectorStore!.load(embedder.signature))?.entries.has(skill.id)).toBe(true);
    await sdk2.close();
  });
});

test('the older options are sugar: storeDir is fsBackends, a bare store keeps jobs and usage in memory', async () => {
  const { dir, cleanup } = await tempDir('presets-legacy-');
  cleanups.push(cleanup);
  const sdk = await AutoSkill.open({ storeDir: dir, learning: { start: false } });
  const job = await sdk.extractNow('legacy-u', [{ role: 'user', content: 'Always answer in French.' }]);
  await sdk.close();
  expect(await fsBackends(dir).journal.get(job.id)).toMatchObject({ userId: 'legacy-u' });

  const mem = memoryBackends();
  const custom = await AutoSkill.open({ store: mem.store, learning: { start: false } });
  const job2 = await custom.extractNow('legacy-u', [{ role: 'user', content: 'Always answer in French.' }]);
  // The bare store did not take the memory preset's journal: it got its own, as it always did.
  expect(await mem.journal.get(job2.id)).toBeUndefined();
  await custom.close();
});
