import { describe, expect, test } from 'vitest';
import type { UsagePersistence, UsageTable } from '../../../src/engine/usage/persistence.js';

/** One `UsagePersistence` contract for every implementation (filesystem, PostgreSQL, memory). */
export interface UsageHarness {
  usage: UsagePersistence;
  /** a second persistence over the same storage, as another process or replica (undefined: not shared) */
  peer?: () => Promise<UsagePersistence>;
}

/** Deltas as UsageTracker hands them over: every event counted carries its time. */
const table = (rows: Array<[string, string, number, number, string]>): UsageTable => {
  const t: UsageTable = new Map();
  for (const [uid, id, retrieved, injected, at] of rows) {
    if (!t.has(uid)) t.set(uid, new Map());
    t.get(uid)!.set(id, { retrieved, injected, ...(retrieved ? { lastRetrievedAt: at } : {}), ...(injected ? { lastInjectedAt: at } : {}) });
  }
  return t;
};
const T1 = '2025-06-01T00:00:00.000Z';
const T2 = '2026-01-01T00:00:00.000Z';

export function usageContract(name: string, open: () => Promise<UsageHarness>): void {
  describe(`UsagePersistence contract: ${name}`, () => {
    test('nothing persisted reads as an empty table; adds sum counts and keep the later time', async () => {
      const { usage } = await open();
      expect((await usage.read()).size).toBe(0);
      await usage.add(table([['u1', 's1', 2, 1, T2], ['u2', 's1', 1, 0, T1]]));
      await usage.add(table([['u1', 's1', 3, 2, T1], ['u1', 's2', 0, 4, T1]]));
      const read = await usage.read();
      expect(read.get('u1')?.get('s1')).toEqual({ retrieved: 5, injected: 3, lastRetrievedAt: T2, lastInjectedAt: T2 });
      expect(read.get('u1')?.get('s2')).toEqual({ retrieved: 0, injected: 4, lastInjectedAt: T1 });
      expect(read.get('u2')?.get('s1')).toEqual({ retrieved: 1, injected: 0, lastRetrievedAt: T1 });
    });

    test('concurrent adders sharing the storage lose no count', async (ctx) => {
      const h = await open();
      if (!h.peer) return ctx.skip();
      const other = await h.peer();
      await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? other : h.usage).add(table([['c', 's', 1, 2, T1]]))));
      expect((await h.usage.read()).get('c')?.get('s')).toMatchObject({ retrieved: 10, injected: 20 });
      expect((await other.read()).get('c')?.get('s')).toMatchObject({ retrieved: 10, injected: 20 });
    });
  });
}
