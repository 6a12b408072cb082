import { describe, expect, test } from 'vitest';
import { diffLines, unifiedDiff } from '../../src/engine/diff.js';

/** Small deterministic PRNG so the property test is reproducible. */
function rng(seed: number) {
  return () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
}

describe('diffLines', () => {
  test('finds a minimal edit script for a simple change', () => {
    const ops = diffLines('a\nb\nc', 'a\nx\nc');
    expect(ops).toEqual([
      { op: 'equal', line: 'a' },
      { op: 'remove', line: 'b' },
      { op: 'add', line: 'x' },
      { op: 'equal', line: 'c' },
    ]);
  });

  test('replaying the script rebuilds both sides (2,000 random pairs)', () => {
    const next = rng(42);
    const text = () => Array.from({ length: Math.floor(next() * 10) }, () => 'abcd'[Math.floor(next() * 4)]).join('\n');
    for (let i = 0; i < 2000; i++) {
      const a = text();
      const b = text();
      const ops = diffLines(a, b);
      expect(ops.filter((o) => o.op !== 'add').map((o) => o.line).join('\n')).toBe(a);
      expect(ops.filter((o) => o.op !== 'remove').map((o) => o.line).join('\n')).toBe(b);
    }
  });

  test('unifiedDiff is empty for equal texts and marks changes otherwise', () => {
    expect(unifiedDiff('same\ntext', 'same\ntext', ['a', 'b'])).toBe('');
    const d = unifiedDiff('- no tables\n- be brief', '- no tables\n- be brief\n- plain text only', ['v0.1.0', 'v0.1.1']);
    expect(d).toContain('--- v0.1.0');
    expect(d).toContain('+++ v0.1.1');
    expect(d).toContain('+- plain text only');
    expect(d).not.toContain('-- no tables');
  });
});
