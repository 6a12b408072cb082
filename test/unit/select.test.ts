import { describe, expect, it } from 'vitest';
import { kthLargest } from '../../src/engine/index/select.js';

describe('kthLargest', () => {
  // a seeded generator: failures reproduce
  let seed = 42;
  const rand = (): number => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);

  it('equals the k-th value of a descending sort, with many ties and any k', () => {
    for (let round = 0; round < 300; round++) {
      const n = 1 + Math.floor(rand() * 400);
      // few distinct values in some rounds: ties at the cut-off are the case the rerank pool depends on
      const distinct = round % 3 === 0 ? 3 : 1000;
      const values = Float64Array.from({ length: n }, () => Math.floor(rand() * distinct) / 7);
      const sorted = Array.from(values).sort((a, b) => b - a);
      const k = 1 + Math.floor(rand() * n);
      expect(kthLargest(values.slice(), k)).toBe(sorted[k - 1]);
    }
  });

  it('handles sorted, reversed and constant input', () => {
    const up = Float64Array.from({ length: 1000 }, (_, i) => i);
    expect(kthLargest(up.slice(), 1)).toBe(999);
    expect(kthLargest(up.slice(), 1000)).toBe(0);
    expect(kthLargest(up.slice().reverse(), 200)).toBe(800);
    expect(kthLargest(new Float64Array(50).fill(2.5), 17)).toBe(2.5);
  });

  it('rejects a k outside 1..n', () => {
    expect(() => kthLargest(new Float64Array(3), 0)).toThrow(RangeError);
    expect(() => kthLargest(new Float64Array(3), 4)).toThrow(RangeError);
  });
});
