import { describe, expect, test } from 'vitest';
import { injectionIndex, insertAfterSystem } from '../../src/engine/retrieve/inject.js';

describe('placing the skills system message', () => {
  test('goes after the leading system/developer messages and never after a user turn', () => {
    expect(injectionIndex(['system', 'system', 'user', 'assistant', 'system'])).toBe(2);
    expect(injectionIndex(['developer', 'user'])).toBe(1);
    expect(injectionIndex(['user', 'system'])).toBe(0);
    expect(injectionIndex([])).toBe(0);
  });

  test('returns a new array and leaves the caller\'s messages untouched', () => {
    const msgs = [{ role: 'system', content: 'a' }, { role: 'user', content: 'b' }];
    const out = insertAfterSystem(msgs, { role: 'system', content: 'skills' }, (m) => m.role);
    expect(out.map((m) => m.content)).toEqual(['a', 'skills', 'b']);
    expect(msgs).toHaveLength(2);
  });
});
