import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { AutoSkill } from '../../src/engine/autoskill.js';
import { indexProbe } from '../../src/engine/testing.js';

/**
 * The persisted lexical index (.autoskill/cache/index.bin) through the SDK: a store reopened
 * after other writers changed it serves what is in the store now, never what the snapshot
 * remembers, and a corrupt snapshot only costs a rebuild.
 */

let dir: string;
const open = (): Promise<AutoSkill> => AutoSkill.open({ storeDir: path.join(dir, 'store'), learning: { start: false } });
const snapshotFile = (): string => path.join(dir, 'store', '.autoskill', 'cache', 'index.bin');

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'autoskill-snapshot-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** 40 library guides (enough that closing the SDK saves the caches), each about its own animal. */
async function importTree(): Promise<string> {
  const root = path.join(dir, 'import');
  const animals = ['otter', 'heron', 'badger', 'lynx', 'marmot', 'ibis', 'tapir', 'okapi', 'quokka', 'gecko'];
  for (let i = 0; i < 40; i++) {
    const animal = `${animals[i % animals.length]}${i}`;
    const folder = path.join(root, `guide-${i}`);
    await mkdir(folder, { recursive: true });
    await writeFile(
      path.join(folder, 'SKILL.md'),
      `---\nname: guide-${i}\ndescription: Field notes about the ${animal} habitat survey. Use when the user asks about ${animal} surveys.\n---\n\n# Goal\nDescribe the ${animal} habitat survey ${i}.\n`,
    );
  }
  return root;
}

async function top(sdk: AutoSkill, query: string, userId?: string): Promise<string[]> {
  return (await sdk.search(query, { scope: 'all', limit: 3, ...(userId ? { userId } : {}) })).map((h) => h.skill.name);
}

describe('persisted lexical index', () => {
  test('changes made by other writers while closed are served on reopen; a corrupt snapshot is rebuilt', async () => {
    // 1. build: library guides (the import saves the caches) and one user's own skill (one change
    //    is not worth a save: it is tokenized again on the next open)
    let sdk = await open();
    await sdk.importSkills(await importTree(), { scope: 'common' });
    const mine = await sdk.upsert(
      { name: 'zebra-notes', description: 'How I want zebra survey notes written', instructions: 'Bullet points about zebra stripes.', triggers: ['zebra survey notes'], tags: [] },
      { owner: 'user:u1' },
    );
    await sdk.close();
    const saved = await stat(snapshotFile());
    expect(saved.size).toBeGreaterThan(0);

    // 2. another writer (a second process on the same store) edits one guide, deletes another and
    //    edits the user's skill; it changes too little to save the caches, so the snapshot is stale
    sdk = await open();
    expect(indexProbe(sdk).buildStats).toMatchObject({ adopted: 40, tokenized: 1 });
    const guide3 = sdk.skills.list({ admin: true }).find((s) => s.name === 'guide-3')!;
    const guide5 = sdk.skills.list({ admin: true }).find((s) => s.name === 'guide-5')!;
    await sdk.upsert({ ...guide3, description: 'Field notes about the narwhal migration count.', instructions: 'Count the narwhal migration.' }, { owner: guide3.owner });
    await sdk.delete(guide5.id);
    await sdk.upsert({ ...mine, description: 'How I want walrus survey notes written', instructions: 'Bullet points about walrus tusks.', triggers: ['walrus survey notes'] }, { owner: 'user:u1' });
    await sdk.close();
    expect((await stat(snapshotFile())).mtimeMs).toBe(saved.mtimeMs);

    // 3. reopen: the snapshot serves the unchanged skills, the changed ones are tokenized again
    sdk = await open();
    expect(indexProbe(sdk).buildStats).toMatchObject({ adopted: 38, tokenized: 2 });
    expect((await top(sdk, 'narwhal migration count'))[0]).toBe('guide-3');
    expect(await top(sdk, 'lynx3 habitat survey')).not.toContain('guide-3');
    expect(await top(sdk, 'ibis5 habitat survey')).not.toContain('guide-5');
    expect(await top(sdk, 'walrus survey notes', 'u1')).toContain('zebra-notes');
    expect(await top(sdk, 'stripes', 'u1')).not.toContain('zebra-notes');
    // another user never sees u1's skill, through the snapshot or not
    expect(await top(sdk, 'walrus survey notes', 'u2')).not.toContain('zebra-notes');
    const expected = await Promise.all(['narwhal migration count', 'otter0 habitat survey', 'walrus survey notes'].map((q) => sdk.search(q, { userId: 'u1', limit: 5 })));
    await sdk.close();

    // 4. a hand edit of a SKILL.md (no store involved) is seen on the next open
    const guide7 = path.join(dir, 'store', 'Common', 'guide-7', 'SKILL.md');
    await writeFile(guide7, (await readFile(guide7, 'utf8')).replace(/tapir7/g, 'axolotl7'));
    sdk = await open();
    expect((await top(sdk, 'axolotl7 surveys'))[0]).toBe('guide-7');
    expect(await top(sdk, 'tapir7 surveys')).not.toContain('guide-7');
    await sdk.close();

    // 5. a corrupt snapshot is ignored: everything is tokenized again, same answers
    await writeFile(guide7, (await readFile(guide7, 'utf8')).replace(/axolotl7/g, 'tapir7'));
    const bytes = await readFile(snapshotFile());
    await writeFile(snapshotFile(), bytes.subarray(0, Math.floor(bytes.length / 2)));
    sdk = await open();
    expect(indexProbe(sdk).buildStats).toMatchObject({ adopted: 0, tokenized: 40 });
    const again = await Promise.all(['narwhal migration count', 'otter0 habitat survey', 'walrus survey notes'].map((q) => sdk.search(q, { userId: 'u1', limit: 5 })));
    expect(again.map((hits) => hits.map((h) => [h.skill.id, h.score]))).toEqual(expected.map((hits) => hits.map((h) => [h.skill.id, h.score])));
    await sdk.close();
  });
});
