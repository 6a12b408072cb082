import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, test } from 'vitest';

const HEAP = path.resolve(import.meta.dirname, '../../dist/cli/heap.js');

/** Runs a child that churns short-lived garbage and reports whether it tuned and its new-space size. */
function probe(nodeArgs: string[], tune: boolean, env: Record<string, string> = {}): { tuned: boolean; newSpaceMb: number } {
  const script = `
    import v8 from 'node:v8';
    import { tuneHeapForService } from ${JSON.stringify(HEAP)};
    const tuned = ${tune} ? tuneHeapForService() : false;
    let keep = [];
    for (let i = 0; i < 400000; i++) { keep.push({ i, s: 'x'.repeat(40) + i }); if (keep.length > 20000) keep = []; }
    const ns = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    console.log(JSON.stringify({ tuned, newSpaceMb: ns.space_size / 1048576 }));`;
  const out = execFileSync(process.execPath, [...nodeArgs, '--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '', ...env },
  });
  return JSON.parse(out.trim().split('\n').pop()!) as { tuned: boolean; newSpaceMb: number };
}

/** A child that builds an "open" (live data plus as much garbage), then settles; reports the heap in use around it. */
function settle(tune: boolean): { settled: boolean; before: number; after: number; live: number } {
  const script = `
    import v8 from 'node:v8';
    import { settleHeapAfterOpen, tuneHeapForService } from ${JSON.stringify(HEAP)};
    if (${tune}) tuneHeapForService();
    const live = [];
    let garbage = [];
    for (let i = 0; i < 600000; i++) {
      const o = { i, s: 'skill text '.repeat(8) + i };
      if (i % 2) live.push(o); else garbage.push(o);
    }
    garbage = null;
    const before = v8.getHeapStatistics().used_heap_size;
    const settled = settleHeapAfterOpen();
    const after = v8.getHeapStatistics().used_heap_size;
    console.log(JSON.stringify({ settled, before, after, live: live.length }));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  return JSON.parse(out.trim().split('\n').pop()!) as { settled: boolean; before: number; after: number; live: number };
}

describe('service heap tuning', () => {
  test('once the store is open, the heap gives back what the open left behind (tuned processes only)', () => {
    const s = settle(true);
    expect(s.settled).toBe(true);
    expect(s.live).toBe(300000);
    expect(s.after).toBeLessThan(s.before * 0.7);
    // a command that never tuned (import, search, ...) is left alone
    expect(settle(false).settled).toBe(false);
  });

  test('caps the young generation for long-running commands', () => {
    const tuned = probe([], true);
    expect(tuned.tuned).toBe(true);
    expect(tuned.newSpaceMb).toBeLessThanOrEqual(3 * 4);
  });

  test('an explicit flag from the user, or AUTOSKILL_HEAP=default, wins', () => {
    expect(probe(['--max-semi-space-size=16'], true).tuned).toBe(false);
    const untouched = probe([], true, { AUTOSKILL_HEAP: 'default' });
    expect(untouched.tuned).toBe(false);
    expect(untouched.newSpaceMb).toBeGreaterThan(3 * 4);
  });
});
