import { describe, expect, test } from 'vitest';
import type { VectorStore } from '../../../src/engine/index/vector-store.js';

/** One `VectorStore` contract for every implementation (filesystem, PostgreSQL, memory). */
export interface VectorHarness {
  vectors: VectorStore;
  /** a fresh instance over the same storage (undefined: the backend keeps nothing) */
  reopen?: () => Promise<VectorStore>;
}

function unit(seed: number, dims: number): Float32Array {
  const v = Float32Array.from({ length: dims }, (_, i) => Math.sin(seed * 7.3 + i * 1.7));
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

export function vectorStoreContract(name: string, open: () => Promise<VectorHarness>): void {
  describe(`VectorStore contract: ${name}`, () => {
    test('save, load, incremental upsert and delete; exact float32 round trip; signatures are separate', async () => {
      const { vectors } = await open();
      expect(await vectors.load('sig-a')).toBeUndefined();
      const rows = Array.from({ length: 20 }, (_, i) => ({ id: `s${i}`, hash: `h${i}`, vector: unit(i, 16) }));
      await vectors.save('sig-a', 16, rows, []);
      await vectors.save('sig-b', 4, [{ id: 's0', hash: 'other', vector: unit(99, 4) }], []);
      const loaded = await vectors.load('sig-a');
      expect(loaded?.dims).toBe(16);
      expect(loaded?.entries.size).toBe(20);
      for (const r of rows) {
        expect(loaded!.entries.get(r.id)?.hash).toBe(r.hash);
        expect([...loaded!.entries.get(r.id)!.vector]).toEqual([...r.vector]);
      }
      const changed = unit(1234, 16);
      await vectors.save('sig-a', 16, [{ id: 's3', hash: 'h3b', vector: changed }], ['s1', 's2']);
      const after = await vectors.load('sig-a');
      expect(after?.entries.size).toBe(18);
      expect(after?.entries.has('s1')).toBe(false);
      expect(after?.entries.get('s3')?.hash).toBe('h3b');
      expect([...after!.entries.get('s3')!.vector]).toEqual([...changed]);
      expect((await vectors.load('sig-b'))?.entries.get('s0')?.hash).toBe('other');
    });

    test('a vector of the wrong size is refused and nothing of that call is kept', async () => {
      const { vectors } = await open();
      await vectors.save('sig-d', 8, [{ id: 'ok', hash: 'h', vector: unit(1, 8) }], []);
      await expect(vectors.save('sig-d', 8, [{ id: 'fine', hash: 'h', vector: unit(2, 8) }, { id: 'bad', hash: 'h', vector: new Float32Array(3) }], [])).rejects.toThrow();
      const loaded = await vectors.load('sig-d');
      expect([...loaded!.entries.keys()]).toEqual(['ok']);
    });

    test('clear drops one signature only', async () => {
      const { vectors } = await open();
      await vectors.save('sig-x', 4, [{ id: 'a', hash: 'h', vector: unit(1, 4) }], []);
      await vectors.save('sig-y', 4, [{ id: 'a', hash: 'h', vector: unit(1, 4) }], []);
      await vectors.clear('sig-x');
      expect(await vectors.load('sig-x')).toBeUndefined();
      expect((await vectors.load('sig-y'))?.entries.size).toBe(1);
    });

    test('durable backends: a fresh instance loads what was saved', async (ctx) => {
      const h = await open();
      if (!h.reopen) return ctx.skip();
      await h.vectors.save('sig-r', 4, [{ id: 'a', hash: 'h', vector: unit(5, 4) }], []);
      await h.vectors.save('sig-r', 4, [{ id: 'b', hash: 'h2', vector: unit(6, 4) }], ['a']);
      const again = await h.reopen();
      const loaded = await again.load('sig-r');
      expect([...loaded!.entries.keys()]).toEqual(['b']);
      expect([...loaded!.entries.get('b')!.vector]).toEqual([...unit(6, 4)]);
    });
  });
}
