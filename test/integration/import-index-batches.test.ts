import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { AutoSkill } from '../../src/engine/autoskill.js';
import { indexProbe, type IndexUpdate } from '../../src/engine/testing.js';

/**
 * An import reaches the index in batches, not skill by skill: the filesystem store announces a
 * write batch's changes together once it is written (FsRecords.holding), so the index tokenizes
 * and embeds each batch at once, on its worker threads, while the next batch is read and written.
 * Skill by skill, every skill was tokenized and embedded on the main thread between the writes.
 */

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'autoskill-import-batches-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('an imported tree is indexed in a few large updates, on the build workers, and found', async () => {
  const root = path.join(dir, 'import');
  const n = 256;
  for (let i = 0; i < n; i++) {
    await mkdir(path.join(root, `field-guide-${i}`), { recursive: true });
    await writeFile(
      path.join(root, `field-guide-${i}`, 'SKILL.md'),
      `---\nname: field-guide-${i}\ndescription: Counting moth${i} traps at dusk. Use when asked to count moth${i} traps.\n---\n\n# Steps\nCount the moth${i} traps.\n`,
    );
  }
  const sdk = await AutoSkill.open({ storeDir: path.join(dir, 'store'), learning: { start: false } });
  try {
    const probe = indexProbe(sdk);
    const upserts: number[] = [];
    probe.onUpdate((u: IndexUpdate) => {
      if (u.type === 'upsert') upserts.push(u.skills.length);
    });
    const report = await sdk.importSkills(root, { scope: 'common' });
    await sdk.settled();
    expect(report.filter((r) => r.status === 'imported')).toHaveLength(n);
    // every skill reached the index exactly once, in updates of a whole write batch or more
    expect(upserts.reduce((a, b) => a + b, 0)).toBe(n);
    expect(upserts.length).toBeLessThanOrEqual(4);
    expect(Math.min(...upserts)).toBeGreaterThanOrEqual(64);
    expect(probe.buildStats.onWorkers).toBe(n);
    const [hit] = await sdk.search('count moth201 traps', { scope: 'all', limit: 1 });
    expect(hit?.skill.name).toBe('field-guide-201');
  } finally {
    await sdk.close();
  }
});
