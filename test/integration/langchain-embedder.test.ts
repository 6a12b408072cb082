import { FakeEmbeddings, SyntheticEmbeddings } from '@langchain/core/utils/testing';
import { describe, expect, test } from 'vitest';
import { LangChainEmbedder, langChainEmbedder } from '../../src/adapters/langchain/index.js';

describe('langChainEmbedder', () => {
  test('probes the size and returns unit vectors, in order, in batches', async () => {
    const inner = new SyntheticEmbeddings({ vectorSize: 24 });
    const calls: number[] = [];
    const counting = { embedDocuments: (texts: string[]) => (calls.push(texts.length), inner.embedDocuments(texts)) };
    const embedder = await langChainEmbedder(counting, { batchSize: 3, name: 'synthetic' });
    expect(embedder.dimensions).toBe(24);
    expect(embedder.signature).toBe('langchain:synthetic:d24');
    const texts = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
    const vectors = await embedder.embed(texts);
    expect(calls).toEqual([1, 3, 2]);
    const expected = await inner.embedDocuments(texts);
    vectors.forEach((v, i) => {
      expect(Math.hypot(...v)).toBeCloseTo(1, 5);
      const norm = Math.hypot(...expected[i]!);
      expect(v[0]).toBeCloseTo(expected[i]![0]! / norm, 5);
    });
  });

  test('names the class in the signature and rejects vectors of another size', async () => {
    const embedder = await langChainEmbedder(new FakeEmbeddings());
    expect(embedder.signature).toMatch(/^langchain:FakeEmbeddings:d\d+$/);
    const wrongSize = new LangChainEmbedder(new FakeEmbeddings(), { dimensions: embedder.dimensions + 1 });
    await expect(wrongSize.embed(['x'])).rejects.toThrow(/expected/);
  });
});
