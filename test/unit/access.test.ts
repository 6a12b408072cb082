import { describe, expect, test } from 'vitest';
import { assertReadable, assertWritable, canRead, canWrite } from '../../src/engine/access.js';
import { AccessDeniedError, NotFoundError } from '../../src/engine/errors.js';
import type { Skill } from '../../src/engine/skill/schema.js';

const skill = (owner: string) => ({ id: 'x', owner }) as Skill;

describe('ownership rules', () => {
  test('a user reads own and Common skills, never another user\'s', () => {
    const alice = { userId: 'alice' };
    expect(canRead(alice, skill('user:alice'))).toBe(true);
    expect(canRead(alice, skill('library:Common'))).toBe(true);
    expect(canRead(alice, skill('user:bob'))).toBe(false);
    // a user id that merely starts with the other's must not match
    expect(canRead({ userId: 'ali' }, skill('user:alice'))).toBe(false);
  });

  test('Common skills are read-only except for admins', () => {
    expect(canWrite({ userId: 'alice' }, skill('library:Common'))).toBe(false);
    expect(canWrite({ userId: 'root', admin: true }, skill('library:Common'))).toBe(true);
    expect(canWrite({ userId: 'alice' }, skill('user:alice'))).toBe(true);
    expect(canWrite({ userId: 'alice' }, skill('user:bob'))).toBe(false);
  });

  test('unreadable skills look missing, so their ids do not leak', () => {
    expect(() => assertReadable({ userId: 'bob' }, skill('user:alice'), 'x')).toThrow(NotFoundError);
    expect(() => assertWritable({ userId: 'bob' }, skill('library:Common'), 'x')).toThrow(AccessDeniedError);
  });
});
