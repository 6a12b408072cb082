import { describe, expect, it } from 'vitest';
import { FamilyIndex } from '../../src/engine/index/family-index.js';

describe('FamilyIndex', () => {
  const index = (): FamilyIndex => {
    const f = new FamilyIndex();
    f.set('lib-report', 'report', undefined);
    f.set('ann-report', 'report', 'user:ann');
    f.set('bob-report', 'report', 'user:bob');
    f.set('bob-email', 'email', 'user:bob');
    return f;
  };

  it("yields the library's skills of a family and those of the named users only", () => {
    const f = index();
    expect([...f.of('report', true, ['user:ann'])]).toEqual(['lib-report', 'ann-report']);
    expect([...f.of('report', false, ['user:bob'])]).toEqual(['bob-report']);
    expect([...f.of('report', true, [])]).toEqual(['lib-report']);
    expect([...f.of('email', true, ['user:ann'])]).toEqual([]);
    expect([...f.of('poem', true, ['user:ann'])]).toEqual([]);
  });

  it('moves a skill when it is filed again, and forgets it when deleted or unbound', () => {
    const f = index();
    f.set('ann-report', 'email', 'user:ann');
    expect([...f.of('report', true, ['user:ann'])]).toEqual(['lib-report']);
    expect([...f.of('email', false, ['user:ann'])]).toEqual(['ann-report']);
    f.set('bob-email', undefined, 'user:bob');
    expect([...f.of('email', false, ['user:bob'])]).toEqual([]);
    f.delete('lib-report');
    f.delete('not-there');
    expect([...f.of('report', true, ['user:bob'])]).toEqual(['bob-report']);
    expect(f.size).toBe(2);
  });
});
