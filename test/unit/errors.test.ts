import { describe, expect, test } from 'vitest';
import * as errors from '../../src/engine/errors.js';
import { LearnerError } from '../../src/engine/learn/learner.js';
import { SkillMdError } from '../../src/engine/skill/errors.js';

const { AutoskillError, NotFoundError, AccessDeniedError, ConflictError, ValidationError, TooLargeError, StorageError, SkillIdMismatchError } = errors;

describe('engine errors', () => {
  test('each class has its code, its name, and is recognised by its own isInstance and the base only', () => {
    const cases = [
      [NotFoundError, 'not_found'],
      [AccessDeniedError, 'forbidden'],
      [ConflictError, 'conflict'],
      [ValidationError, 'invalid'],
      [TooLargeError, 'too_large'],
      [StorageError, 'io'],
    ] as const;
    for (const [Cls, code] of cases) {
      const e = new Cls('m', { cause: 'c' });
      expect(e.code).toBe(code);
      expect(e.name).toBe(Cls.name);
      expect(e.cause).toBe('c');
      expect(AutoskillError.isInstance(e)).toBe(true);
      for (const [Other] of cases) expect(Other.isInstance(e)).toBe(Other === Cls);
    }
  });

  test('subclasses keep their parent kind: an id mismatch, an unreadable SKILL.md and a learner error are validation errors', () => {
    const e = new SkillIdMismatchError('a', 'b');
    expect([e.expected, e.found, e.code]).toEqual(['a', 'b', 'invalid']);
    expect(ValidationError.isInstance(e) && SkillIdMismatchError.isInstance(e)).toBe(true);
    expect(SkillIdMismatchError.isInstance(new ValidationError('x'))).toBe(false);
    const md = new SkillMdError('binary', 'file contains NUL bytes');
    expect([md.code, md.problem, md.message]).toEqual(['invalid', 'binary', 'file contains NUL bytes']);
    expect(ValidationError.isInstance(md) && SkillMdError.isInstance(md)).toBe(true);
    expect(SkillMdError.isInstance(new ValidationError('x'))).toBe(false);
    const l = new LearnerError('nothing to extract');
    expect(ValidationError.isInstance(l) && LearnerError.isInstance(l)).toBe(true);
    expect(LearnerError.isInstance(new ValidationError('x'))).toBe(false);
  });

  test('isInstance holds across two loaded copies of the module, where instanceof does not', async () => {
    // A second evaluation of the same file: what a bundled adapter or a second install would load.
    const copy = (await import('../../src/engine/errors.ts?second-copy')) as typeof errors;
    expect(copy.NotFoundError).not.toBe(NotFoundError);
    const foreign = new copy.NotFoundError('elsewhere');
    expect(foreign instanceof NotFoundError).toBe(false);
    expect(NotFoundError.isInstance(foreign)).toBe(true);
    expect(AutoskillError.isInstance(foreign)).toBe(true);
    expect(ConflictError.isInstance(foreign)).toBe(false);
  });

  test('plain errors and look-alikes with a code are not engine errors', () => {
    expect(AutoskillError.isInstance(new Error('not found'))).toBe(false);
    expect(AutoskillError.isInstance({ code: 'not_found', message: 'x' })).toBe(false);
    expect(AutoskillError.isInstance(undefined)).toBe(false);
    expect(NotFoundError.isInstance('not_found')).toBe(false);
  });
});
