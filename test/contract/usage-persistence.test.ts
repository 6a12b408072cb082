import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { FileUsagePersistence } from '../../src/engine/usage/persistence.js';
import { UsageTracker } from '../../src/engine/usage/tracker.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'autoskill-usage-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('FileUsagePersistence', () => {
  test('two trackers on one root flushing at the same time add up; the file keeps its format', async () => {
    const a = new UsageTracker({ persistence: new FileUsagePersistence({ root: dir }), debounceMs: 60_000 });
    const b = new UsageTracker({ root: dir, debounceMs: 60_000 });
    expect(b.file).toBe(path.join(dir, '.autoskill', 'usage.json'));
    const rounds = 5;
    for (let r = 0; r < rounds; r++) {
      a.recordRetrieved('u1', ['s1', 's2']);
      a.recordInjected('u1', ['s1']);
      b.recordRetrieved('u1', ['s1']);
      b.recordRetrieved('u2', ['s1']);
      await Promise.all([a.flush(), b.flush()]);
    }
    const c = new UsageTracker({ root: dir });
    await c.load();
    expect(c.get('u1', 's1')).toMatchObject({ retrieved: 2 * rounds, injected: rounds });
    expect(c.get('u1', 's2')).toMatchObject({ retrieved: rounds, injected: 0 });
    expect(c.stats()['s1']).toMatchObject({ retrieved: 3 * rounds, injected: rounds });
    const doc = JSON.parse(await readFile(path.join(dir, '.autoskill', 'usage.json'), 'utf8'));
    expect(Object.keys(doc).sort()).toEqual(['savedAt', 'users', 'version']);
    expect(doc.version).toBe(1);
    expect(doc.users.u1.s1).toEqual({ retrieved: 2 * rounds, injected: rounds, lastRetrievedAt: expect.any(String), lastInjectedAt: expect.any(String) });
    // The file persistence hands back the merged table, so a tracker sees the other's counts at once.
    expect(a.get('u2', 's1')?.retrieved ?? 0).toBeGreaterThan(0);
  });

  test('a failed write keeps the counts; the next flush writes them once', async () => {
    // `.autoskill` is a file, so the counters cannot be written until it is gone.
    await writeFile(path.join(dir, '.autoskill'), 'in the way');
    const t = new UsageTracker({ root: dir, debounceMs: 60_000 });
    t.recordRetrieved('u1', ['s1']);
    await expect(t.flush()).rejects.toThrow();
    expect(t.get('u1', 's1')?.retrieved).toBe(1);
    t.recordRetrieved('u1', ['s1']);
    await rm(path.join(dir, '.autoskill'));
    await t.flush();
    const check = new UsageTracker({ root: dir });
    await check.load();
    expect(check.get('u1', 's1')?.retrieved).toBe(2);
  });

  test('an in-memory tracker counts without writing anything', async () => {
    const t = new UsageTracker({});
    t.recordInjected('u1', ['s1']);
    await t.flush();
    expect(t.file).toBeUndefined();
    expect(t.get('u1', 's1')?.injected).toBe(1);
  });
});
