/**
 * The engine's failures, one class per kind under one base. Callers branch on the class or on
 * `code`, never on message text: messages are for people and change freely.
 *
 * `isInstance` checks a `Symbol.for` marker instead of `instanceof`, so the check still holds
 * when two copies of this package are loaded (an adapter bundling its own copy, a CLI and a
 * library resolving different versions), where `instanceof` silently answers false.
 */

/** What went wrong, in the vocabulary the HTTP and MCP surfaces map to statuses and kinds. */
export type AutoskillErrorCode = 'not_found' | 'forbidden' | 'conflict' | 'invalid' | 'too_large' | 'io';

const BASE_MARKER = 'autoskill.error';
const baseSymbol = Symbol.for(BASE_MARKER);

function hasMarker(value: unknown, marker: string): boolean {
  const symbol = Symbol.for(marker);
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[symbol] === true;
}

export class AutoskillError extends Error {
  private readonly [baseSymbol] = true;
  readonly code: AutoskillErrorCode;

  constructor(code: AutoskillErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AutoskillError';
    this.code = code;
  }

  static isInstance(value: unknown): value is AutoskillError {
    return hasMarker(value, BASE_MARKER);
  }
}

const notFoundSymbol = Symbol.for(`${BASE_MARKER}.NotFoundError`);
/** The skill, version, file or resource does not exist, or the caller may not know that it does. */
export class NotFoundError extends AutoskillError {
  private readonly [notFoundSymbol] = true;
  declare readonly code: 'not_found';
  constructor(message: string, options?: { cause?: unknown }) {
    super('not_found', message, options);
    this.name = 'NotFoundError';
  }
  static override isInstance(value: unknown): value is NotFoundError {
    return hasMarker(value, `${BASE_MARKER}.NotFoundError`);
  }
}

const accessSymbol = Symbol.for(`${BASE_MARKER}.AccessDeniedError`);
/** The caller may see the thing but not do this to it (a read-only Common skill, another owner's id, a path outside the store). */
export class AccessDeniedError extends AutoskillError {
  private readonly [accessSymbol] = true;
  declare readonly code: 'forbidden';
  constructor(message: string, options?: { cause?: unknown }) {
    super('forbidden', message, options);
    this.name = 'AccessDeniedError';
  }
  static override isInstance(value: unknown): value is AccessDeniedError {
    return hasMarker(value, `${BASE_MARKER}.AccessDeniedError`);
  }
}

const conflictSymbol = Symbol.for(`${BASE_MARKER}.ConflictError`);
/** The write collides with the current state (a stale expected version, a taken id or folder). */
export class ConflictError extends AutoskillError {
  private readonly [conflictSymbol] = true;
  declare readonly code: 'conflict';
  constructor(message: string, options?: { cause?: unknown }) {
    super('conflict', message, options);
    this.name = 'ConflictError';
  }
  static override isInstance(value: unknown): value is ConflictError {
    return hasMarker(value, `${BASE_MARKER}.ConflictError`);
  }
}

const validationSymbol = Symbol.for(`${BASE_MARKER}.ValidationError`);
/** The input is malformed (a skill that fails the schema, a SKILL.md that would not load, a broken archive). */
export class ValidationError extends AutoskillError {
  private readonly [validationSymbol] = true;
  declare readonly code: 'invalid';
  constructor(message: string, options?: { cause?: unknown }) {
    super('invalid', message, options);
    this.name = 'ValidationError';
  }
  static override isInstance(value: unknown): value is ValidationError {
    return hasMarker(value, `${BASE_MARKER}.ValidationError`);
  }
}

const tooLargeSymbol = Symbol.for(`${BASE_MARKER}.TooLargeError`);
/** The input is well-formed but over a size, count or time limit. */
export class TooLargeError extends AutoskillError {
  private readonly [tooLargeSymbol] = true;
  declare readonly code: 'too_large';
  constructor(message: string, options?: { cause?: unknown }) {
    super('too_large', message, options);
    this.name = 'TooLargeError';
  }
  static override isInstance(value: unknown): value is TooLargeError {
    return hasMarker(value, `${BASE_MARKER}.TooLargeError`);
  }
}

const storageSymbol = Symbol.for(`${BASE_MARKER}.StorageError`);
/** The backing storage failed (I/O, a lock timeout, a closed store): not the caller's fault. */
export class StorageError extends AutoskillError {
  private readonly [storageSymbol] = true;
  declare readonly code: 'io';
  constructor(message: string, options?: { cause?: unknown }) {
    super('io', message, options);
    this.name = 'StorageError';
  }
  static override isInstance(value: unknown): value is StorageError {
    return hasMarker(value, `${BASE_MARKER}.StorageError`);
  }
}

const idMismatchSymbol = Symbol.for(`${BASE_MARKER}.SkillIdMismatchError`);
/**
 * A SKILL.md written to a skill states a different id in its front matter (or none, and would
 * load under another fallback id). Migration answers it by writing the id into the text.
 */
export class SkillIdMismatchError extends ValidationError {
  private readonly [idMismatchSymbol] = true;
  constructor(
    readonly expected: string,
    readonly found: string,
  ) {
    super(`SKILL.md carries id ${found}, not ${expected}`);
    this.name = 'SkillIdMismatchError';
  }
  static override isInstance(value: unknown): value is SkillIdMismatchError {
    return hasMarker(value, `${BASE_MARKER}.SkillIdMismatchError`);
  }
}
