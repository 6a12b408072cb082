import { describe, expect, it } from 'vitest';
import { phraseTokens } from '../../src/engine/index/query-terms.js';

/**
 * phraseTokens memoizes short texts (trigger phrases, re-read by every search whose query covers
 * their words): the cached answer must be the computed one, shared safely, and per option set.
 */
describe('phraseTokens memo', () => {
  it('answers a repeated short text with the same, frozen array; writing to it throws', () => {
    const first = phraseTokens('Write the weekly reports');
    const again = phraseTokens('Write the weekly reports');
    expect(again).toBe(first);
    expect(first).toEqual(['writ', 'week', 'report']);
    expect(Object.isFrozen(first)).toBe(true);
    expect(() => first.push('x')).toThrow(TypeError);
    expect(phraseTokens('Write the weekly reports', true)).toEqual(['writ', 'the', 'week', 'report']);
  });

  it('keeps stopwords apart: the two option sets are cached separately', () => {
    expect(phraseTokens('now do it')).toEqual(['now']);
    expect(phraseTokens('now do it', true)).toEqual(['now', 'do', 'it']);
    expect(phraseTokens('now do it')).toEqual(['now']);
  });

  it('computes long texts (queries) afresh, with the same tokens as a short text would get', () => {
    const long = `${'please '.repeat(30)}write a report about climate change`;
    const a = phraseTokens(long);
    const b = phraseTokens(long);
    expect(a).not.toBe(b);
    expect(a).toEqual(b);
    expect(Object.isFrozen(a)).toBe(false);
    expect(a.slice(-5)).toEqual(phraseTokens('write a report about climate change'));
  });
});
