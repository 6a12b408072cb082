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

export class SkillMdError extends Error {
  /** A short human-readable explanation, e.g. `file contains NUL bytes (binary)`. */
  readonly reason: string;
  readonly code: SkillMdErrorCode;

  constructor(code: SkillMdErrorCode, reason: string) {
    super(reason);
    this.name = 'SkillMdError';
    this.code = code;
    this.reason = reason;
  }
}
