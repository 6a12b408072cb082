import { describe, expect, test } from 'vitest';
import {
  assertCanImport,
  assertCanImportStoreTree,
  assertReadable,
  assertSameOwner,
  assertWritable,
  canImportInto,
  canRead,
  canRebuildIndex,
  canSeeJob,
  canSeeOtherOwners,
  canWrite,
  concernsActor,
  visibleInScope,
} from '../../src/engine/access.js';
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

describe('the rest of the policy (access.ts is the only place these rules live)', () => {
  const alice = { userId: 'alice' };
  const admin = { userId: 'root', admin: true };

  test('a job is seen by its user and by admins only', () => {
    expect(canSeeJob(alice, { userId: 'alice' })).toBe(true);
    expect(canSeeJob(alice, { userId: 'bob' })).toBe(false);
    expect(canSeeJob({ userId: 'ali' }, { userId: 'alice' })).toBe(false);
    expect(canSeeJob(admin, { userId: 'bob' })).toBe(true);
  });

  test('only admins import into Common; users import into their own skills only', () => {
    expect(canImportInto(alice, 'library:Common')).toBe(false);
    expect(canImportInto(alice, 'library:Team')).toBe(false);
    expect(canImportInto(admin, 'library:Common')).toBe(true);
    expect(canImportInto(alice, 'user:alice')).toBe(true);
    expect(canImportInto(alice, 'user:bob')).toBe(false);
    expect(canImportInto(admin, 'user:bob')).toBe(true);
    expect(() => assertCanImport(alice, 'library:Common')).toThrow(AccessDeniedError);
    expect(() => assertCanImport(alice, 'library:Common')).toThrow('only admins may import into Common skills');
    expect(() => assertCanImport(alice, 'user:alice')).not.toThrow();
    expect(() => assertCanImportStoreTree(alice)).toThrow(AccessDeniedError);
    expect(() => assertCanImportStoreTree(admin)).not.toThrow();
  });

  test('scopes: user = own only, common = libraries only, all = both; never another user\'s', () => {
    const owners = ['user:alice', 'user:bob', 'library:Common', 'LIBRARY:Team'];
    const seen = (scope: 'user' | 'common' | 'all', viewer: { userId?: string; admin?: boolean }) =>
      owners.filter((o) => visibleInScope(o, scope, viewer));
    expect(seen('user', alice)).toEqual(['user:alice']);
    expect(seen('common', alice)).toEqual(['library:Common', 'LIBRARY:Team']);
    expect(seen('all', alice)).toEqual(['user:alice', 'library:Common', 'LIBRARY:Team']);
    // no user: nothing of anyone's own, only libraries; an admin listing without a user: everything
    expect(seen('user', {})).toEqual([]);
    expect(seen('all', {})).toEqual(['library:Common', 'LIBRARY:Team']);
    expect(seen('all', { admin: true })).toEqual(owners);
    // an admin searching as a user sees that user's view, not everyone's
    expect(seen('all', { userId: 'root', admin: true })).toEqual(['library:Common', 'LIBRARY:Team']);
    // the search index passes its precomputed library flag; the answer is the same
    expect(visibleInScope('user:bob', 'all', alice, false)).toBe(false);
    expect(visibleInScope('library:Common', 'all', alice, true)).toBe(true);
  });

  test("writing over another owner's skill takes an admin, whoever else asks", () => {
    const existing = { id: 'x', owner: 'user:bob' } as const;
    expect(() => assertSameOwner(alice, existing, 'user:alice')).toThrow(AccessDeniedError);
    expect(() => assertSameOwner(undefined, existing, 'user:alice')).toThrow('skill x belongs to another owner');
    expect(() => assertSameOwner(admin, existing, 'user:alice')).not.toThrow();
    expect(() => assertSameOwner(alice, existing, 'user:bob')).not.toThrow();
  });

  test('only admins learn of other owners or rebuild the shared index', () => {
    expect(canSeeOtherOwners(alice)).toBe(false);
    expect(canSeeOtherOwners(admin)).toBe(true);
    expect(canRebuildIndex(alice)).toBe(false);
    expect(canRebuildIndex(admin)).toBe(true);
  });

  test('a store change concerns a user when they can read the skill (the local process: always)', () => {
    expect(concernsActor(alice, 'user:alice')).toBe(true);
    expect(concernsActor(alice, 'library:Common')).toBe(true);
    expect(concernsActor(alice, 'user:bob')).toBe(false);
    expect(concernsActor(admin, 'user:bob')).toBe(true);
    expect(concernsActor(undefined, 'user:bob')).toBe(true);
  });
});
