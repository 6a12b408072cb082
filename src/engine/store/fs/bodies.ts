import path from 'node:path';
import { StorageError } from '../../errors.js';
import { withLazyInstructions } from '../../skill/lazy-body.js';
import type { Owner, Skill } from '../../skill/schema.js';
import { instructionsOfKnown, parseSkillMd } from '../../skill/skill-md.js';
import { readFileNoFollowSync } from '../atomic.js';
import { resolveInsideSync } from '../paths.js';
import { SKILL_MD } from '../scan.js';
import { sha1 } from './tree.js';

/**
 * The instructions of the skills a scan loaded, read from their SKILL.md when something asks
 * (skill/lazy-body.ts), with the most recently read ones kept.
 *
 * A record stands for the file as it was when it was scanned (`hash`): its instructions come from
 * the cache while it holds that version, else from the file as it is now (a hand edit not yet
 * picked up by `refresh` shows there; the files are the source of truth). A file that cannot be
 * read throws a StorageError: returning nothing would let a merge rewrite the skill without its
 * rules.
 *
 * The cache is a Map in insertion order, refreshed on use and trimmed from the oldest end, bounded
 * by characters rather than entries; a dependency for those twenty lines would buy nothing. It is
 * sized for what requests render (a few skills each, the same ones again and again), not for a
 * whole export, which reads each body once.
 */

const utf8 = new TextDecoder('utf-8', { fatal: true });
/** parse context for reading the body only: the id a file lacks is not needed */
const ANY_ID = 'autoskill-body';

export interface SkillBodiesOptions {
  maxSkillBytes: number;
  /** characters of instructions kept (default 1M: a few hundred typical skills) */
  maxChars?: number;
}

export class SkillBodies {
  readonly #cache = new Map<string, { hash: string; instructions: string }>();
  #chars = 0;
  readonly #maxChars: number;
  /** bodies read from disk since construction (tests, diagnostics) */
  reads = 0;

  constructor(private readonly opts: SkillBodiesOptions) {
    this.#maxChars = Math.max(0, opts.maxChars ?? 1_000_000);
  }

  /**
   * `skill` with its instructions read from `<root>/<relDir>/SKILL.md` on use; `hash` is the sha1 of
   * the bytes the record was parsed from. The folders from the root down are checked for links at
   * the read (resolveInsideSync), not only at the scan: a folder may have been swapped since.
   */
  lazy(skill: Omit<Skill, 'instructions'>, root: string, relDir: string, hash: string): Skill {
    const parts = relDir.split('/');
    const file = path.join(root, ...parts, SKILL_MD);
    const { owner, slug, name, description } = skill;
    return withLazyInstructions(skill, () => this.#read(file, hash, { owner, slug, name, description }, () => resolveInsideSync(root, ...parts)));
  }

  #read(file: string, hash: string, known: { owner: Owner; slug: string; name: string; description: string }, guard: () => void): string {
    const { owner, slug } = known;
    const hit = this.#cache.get(file);
    if (hit && hit.hash === hash) {
      this.#cache.delete(file);
      this.#cache.set(file, hit);
      return hit.instructions;
    }
    let bytes: Uint8Array;
    try {
      guard();
      bytes = readFileNoFollowSync(file, this.opts.maxSkillBytes);
    } catch (err) {
      throw new StorageError(`cannot read the instructions of ${owner}/${slug}: ${(err as Error).message}`, { cause: err });
    }
    this.reads++;
    const now = sha1(bytes);
    const text = utf8.decode(bytes);
    // the file as the record was parsed from: its name and description hold, and the YAML need not be read again
    const instructions = (now === hash ? instructionsOfKnown(text, known) : undefined) ?? parseSkillMd(text, { owner, slug, fallbackId: ANY_ID }).skill.instructions;
    this.#remember(file, now, instructions);
    return instructions;
  }

  #remember(file: string, hash: string, instructions: string): void {
    if (instructions.length > this.#maxChars) return;
    const old = this.#cache.get(file);
    if (old) {
      this.#cache.delete(file);
      this.#chars -= old.instructions.length;
    }
    this.#cache.set(file, { hash, instructions });
    this.#chars += instructions.length;
    for (const [key, entry] of this.#cache) {
      if (this.#chars <= this.#maxChars) break;
      this.#cache.delete(key);
      this.#chars -= entry.instructions.length;
    }
  }
}
