import { ValidationError } from '../errors.js';

/**
 * Why a SKILL.md could not be read. The store reports these (file + reason) and skips the file;
 * it never loads a half-understood skill.
 */
export type SkillMdErrorCode =
  | 'binary' // NUL bytes: not a text file (LLM output can contain U+0000)
  | 'frontmatter-unclosed' // starts with `---` but never closes it (e.g. a truncated write)
  | 'frontmatter-language' // `---js` and friends: we never evaluate front matter
  | 'frontmatter-not-mapping' // YAML that is a list or a scalar
  | 'yaml' // YAML syntax errors, duplicate keys, alias bombs
  | 'invalid'; // the resulting skill fails the schema (e.g. an empty folder name)

const skillMdSymbol = Symbol.for('autoskill.error.SkillMdError');

/** A SKILL.md text that cannot be read: a `ValidationError` (code `invalid`) saying what is wrong. */
export class SkillMdError extends ValidationError {
  private readonly [skillMdSymbol] = true;
  /** what is wrong with the file, for code to branch on */
  readonly problem: SkillMdErrorCode;
  /** A short human-readable explanation, e.g. `file contains NUL bytes (binary)`. */
  readonly reason: string;

  constructor(problem: SkillMdErrorCode, reason: string) {
    super(reason);
    this.name = 'SkillMdError';
    this.problem = problem;
    this.reason = reason;
  }

  static override isInstance(value: unknown): value is SkillMdError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[skillMdSymbol] === true;
  }
}
