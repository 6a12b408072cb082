import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { AutoSkill } from '../../src/engine/autoskill.js';
import { memoryBackends } from '../../src/engine/store/backends.js';
import { indexProbe, type IndexUpdate } from '../../src/engine/testing.js';
import * as root from '../../src/index.js';

/**
 * Issue #14, "Its internals are private": not only to TypeScript. The facade keeps the store, the
 * index, the learner and the usage counters in ES `#private` fields, so plain JavaScript (or a
 * test with a cast) cannot read or patch them; callers get the use-case services. What tests
 * need instead are seams: the backends, embedder and model given to `open`, and the read-only
 * index probe of src/engine/testing.ts, which no package entry point exports.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
let sdk: AutoSkill | undefined;
afterEach(async () => {
  await sdk?.close();
  sdk = undefined;
});

describe('the facade at runtime', () => {
  test('holds only its services and settings as own properties; the internals cannot be reached', async () => {
    sdk = await AutoSkill.open({ backends: memoryBackends(), learning: { start: false } });
    expect(Object.getOwnPropertyNames(sdk).sort()).toEqual(['jobs', 'learning', 'logger', 'retrieval', 'retrievalDefaults', 'skills']);
    const loose = sdk as unknown as Record<string, unknown>;
    for (const internal of ['store', 'index', 'learner', 'usage', 'standing', 'indexSync', 'pendingChanges', 'live', 'writeLocked', 'saveCaches']) {
      expect(internal in sdk, internal).toBe(false);
      expect(loose[internal], internal).toBeUndefined();
    }
    // The services hold the engine's parts the same way.
    for (const service of [sdk.skills, sdk.retrieval, sdk.learning, sdk.jobs]) expect(Object.getOwnPropertyNames(service)).toEqual([]);
  });

  test('the index probe reports updates read-only and is not part of any package entry point', async () => {
    sdk = await AutoSkill.open({ backends: memoryBackends(), learning: { start: false } });
    const updates: IndexUpdate[] = [];
    const stop = indexProbe(sdk).onUpdate((u) => updates.push(u));
    const skill = await sdk.upsert({ name: 'Plain text', description: 'Answer in plain text.', instructions: 'No markdown.' }, { owner: 'user:u1' });
    await sdk.delete(skill.id);
    await sdk.settled();
    expect(updates.map((u) => (u.type === 'upsert' ? `upsert ${u.skills.map((s) => s.id)}` : `remove ${u.ids}`))).toEqual([`upsert ${skill.id}`, `remove ${skill.id}`]);
    stop();
    await sdk.upsert({ name: 'Short answers', description: 'Keep answers short.', instructions: 'Be brief.' }, { owner: 'user:u1' });
    expect(updates).toHaveLength(2);
    expect(() => indexProbe({} as AutoSkill)).toThrow(TypeError);

    expect(Object.keys(root)).not.toContain('indexProbe');
    const pkg = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
    expect(JSON.stringify(pkg.exports)).not.toMatch(/testing/);
  });
});
