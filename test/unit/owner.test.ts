import { describe, expect, expectTypeOf, test } from 'vitest';
import { OwnerSchema, SkillSchema, userOwner, type Owner, type Skill } from '../../src/engine/skill/schema.js';

/**
 * An owner is `user:<id>` or `library:<name>`, as a type and as a check: parsing yields the
 * template-literal type, so code past a boundary needs no `as Owner`.
 */
describe('Owner', () => {
  test.each(['user:alice', 'user:u6', 'user:a@b.c', 'library:Common', 'library:my-lib'])('%j is an owner', (v) => {
    expect(OwnerSchema.parse(v)).toBe(v);
  });

  test.each(['alice', 'common', 'user:', 'library:', 'team:x', 'user:a b', 'user:a/b', 'library:a\\b', 'USER:alice', ' user:alice'])('%j is refused', (v) => {
    const r = OwnerSchema.safeParse(v);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe('owner must be "user:<id>" or "library:<name>"');
  });

  test('parsed values carry the Owner type, in a skill too', () => {
    expectTypeOf(OwnerSchema.parse('user:alice')).toEqualTypeOf<Owner>();
    expectTypeOf<Skill['owner']>().toEqualTypeOf<Owner>();
    expectTypeOf(userOwner('alice')).toEqualTypeOf<Owner>();
    const skill = SkillSchema.safeParse({ id: 'x', slug: 'x', name: 'x', description: '', instructions: '', triggers: [], tags: [], examples: [], version: '0.1.0', owner: 'team:x', resources: [], metadata: {} });
    expect(skill.success).toBe(false);
    expect(skill.error?.issues.map((i) => i.path.join('.'))).toEqual(['owner']);
  });
});
