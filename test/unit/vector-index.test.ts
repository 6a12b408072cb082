import { describe, expect, it } from 'vitest';
import { VectorIndex } from '../../src/engine/index/vector-index.js';
import { LocalEmbedder } from '../../src/engine/index/local-embedder.js';

describe('VectorIndex.scorer', () => {
  let seed = 7;
  const rand = (): number => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32) - 0.5;

  // the sparse walk must give exactly the dense dot product: rankings compare these numbers
  for (const dims of [512, 30, 9]) {
    it(`is bit-identical to score() for sparse and dense queries (${dims} dims)`, () => {
      const index = new VectorIndex(dims);
      for (let r = 0; r < 50; r++) index.upsert(`s${r}`, Float32Array.from({ length: dims }, rand));
      for (const density of [0.02, 0.2, 0.9]) {
        const q = Float32Array.from({ length: dims }, () => (Math.abs(rand()) < density / 2 ? rand() : 0));
        // the last component (in the unrolled loop's tail when dims % 4 !== 0) is always set
        q[dims - 1] = 0.25;
        const score = index.scorer(q);
        for (let r = 0; r < 50; r++) expect(Object.is(score(`s${r}`), index.score(`s${r}`, q))).toBe(true);
        expect(score('absent')).toBeUndefined();
      }
    });
  }

  it('scores hashed embeddings of real text exactly as score() does', async () => {
    const embedder = new LocalEmbedder();
    const texts = ['write a quarterly report with cited sources', '帮我写一份周报', 'plain text answers only', 'refactor the Rust grid code'];
    const index = new VectorIndex(embedder.dimensions);
    const vectors = await embedder.embed(texts);
    vectors.forEach((v, i) => index.upsert(`t${i}`, v));
    const [q] = await embedder.embed(['please write my weekly report']);
    const score = index.scorer(q!);
    for (let i = 0; i < texts.length; i++) expect(score(`t${i}`)).toBe(index.score(`t${i}`, q!));
  });

  it('rejects a query of the wrong size', () => {
    expect(() => new VectorIndex(8).scorer(new Float32Array(4))).toThrow(RangeError);
  });
});
