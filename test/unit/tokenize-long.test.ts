import { expect, it } from 'vitest';
import { crossingBigrams, tokenize } from '../../src/engine/index/tokenize.js';

/**
 * Long texts are segmented a piece at a time (ICU's segmenter, as Node 24 ships it, takes time
 * quadratic in the length of one call's string: a 240 KB SKILL.md of the bank took 42 s).
 * Pieces end at whitespace, so the tokens are those of the lines tokenized one by one, and a
 * large text with no whitespace at all still comes back (within the test timeout).
 */
const lines = [
  '## Release checklist for seq2SeqTrainer and computeMetrics()',
  'Use the C++ and C# builds; Q&A owners sign off. Loading checkpoint shards: 0%| | 0/4 [00:00<?, ?it/s]',
  '写一份关于咖啡出口的政府工作报告，然后用中文总结要点，不要编造数据。',
  'Переведите отчёт на русский; ΟΔΟΣ final sigma; don’t skip the e.g. section, v2.0.1',
  '- Keep it short, cite sources 🙂 and re-check 3.14.',
];

it('a long text yields the tokens of its lines, in the same order', () => {
  const many = Array.from({ length: 400 }, (_, i) => lines[i % lines.length]! + ` step${i}`);
  const text = many.join('\n');
  expect(text.length).toBeGreaterThan(20_000);
  expect(tokenize(text)).toEqual(tokenize(many.join('\n')));
  const perLine = many.flatMap((l) => tokenize(l));
  expect([...tokenize(text)].sort()).toEqual(perLine.sort());
  expect([...crossingBigrams(text)].sort()).toEqual([...new Set(many.flatMap((l) => [...crossingBigrams(l)]))].sort());
});

it('texts of hundreds of thousands of characters without whitespace are tokenized', () => {
  const blob = 'QmFzZTY0'.repeat(40_000); // 320k characters, no whitespace
  expect(tokenize(blob).length).toBeGreaterThan(0);
  const zh = '我们今天写一份周报'.repeat(30_000); // 270k CJK characters in one run
  expect(tokenize(zh)).toContain('周报');
  const emoji = '😀b'.repeat(100_000); // surrogate pairs across every possible cut
  const tokens = tokenize(emoji);
  expect(tokens.length).toBeGreaterThan(0);
  // a cut never splits a surrogate pair
  expect(tokens.every((t) => t.isWellFormed())).toBe(true);
});
