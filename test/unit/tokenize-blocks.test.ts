import { expect, it } from 'vitest';
import { tokenize } from '../../src/engine/index/tokenize.js';

/**
 * tokenize() takes the tokens of a long multi-line text it tokenized just before when that text
 * recurs as whole lines of a longer one (a skill's instructions inside its retrieval text). The
 * tokens, and their order, must be exactly those of segmenting the longer text in one go.
 */
const block = (tag: string): string =>
  [
    `## Steps for the ${tag} review`,
    'Use computeMetrics() and seq2SeqTrainer on the C++ and C# code; ask Q&A owners first.',
    '写一份关于咖啡的政府工作报告，然后用中文总结。ＡＢＣ１２３ full-width too.',
    'Ｒｅｐｏｒｔ writing: don’t skip the e.g. section, re-check 3.14 and v2.0.1\r',
    'Переведите отчёт на русский; ΟΔΟΣ Σ final sigma.',
    '- Keep it short.',
  ].join('\n');

it('a remembered block inside a longer text yields the same tokens as segmenting the whole text', () => {
  for (const [i, wrap] of [
    (b: string) => `Name: x\nDescription: y\nInstructions:\n${b}\nResources:\nref.md`,
    (b: string) => `${b}\nTrailing line after the block`,
    (b: string) => `Leading line C++\n${b}`,
    (b: string) => `Not at a line start: ${b}\nend`,
  ].entries()) {
    const b = block(`unit${i}`);
    const text = wrap(b);
    const fresh = tokenize(text); // the block has not been seen yet
    expect(tokenize(b).length).toBeGreaterThan(10); // now it is remembered
    expect(tokenize(text)).toEqual(fresh);
  }
});
