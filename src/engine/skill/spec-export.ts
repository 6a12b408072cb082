import { renderSkillMd } from './skill-md.js';
import type { Skill } from './schema.js';
import { exportNameFor } from './spec-name.js';
import { errorsOf, validateSkillMd, violationText } from './validate.js';

/**
 * A skill as a folder any Agent Skills host accepts (the reference validator finds no error):
 * the folder and `name` are a meaningful spec name (see exportNameFor), and the SKILL.md is the
 * stored file when that already passes with this name, else the skill rendered in the spec
 * dialect, with our fields (id, version, title, tags, ...) as string values under `metadata`
 * and triggers/examples as body sections. Resource files are copied unchanged by the caller.
 */

export interface SpecSkillMd {
  name: string;
  text: string;
  /** false when the stored file was already valid and is kept byte for byte */
  converted: boolean;
}

export class SpecExportError extends Error {}

export function specSkillMd(skill: Skill, stored: string | undefined, name: string = exportNameFor(skill)): SpecSkillMd {
  if (stored !== undefined && errorsOf(validateSkillMd(stored, { dirName: name, mode: 'reference' })).length === 0) {
    return { name, text: stored, converted: false };
  }
  const text = renderSkillMd(skill, { specName: name });
  const errors = errorsOf(validateSkillMd(text, { dirName: name, mode: 'reference' }));
  // Never hand out a folder a host would refuse: a failure here is a bug in the renderer.
  if (errors.length) throw new SpecExportError(`cannot make ${skill.id} spec-valid: ${violationText(errors)}`);
  return { name, text, converted: true };
}

/** Distinct names for several skills going into one folder: `name`, `name-2`, ... (64 code points at most). */
export function uniqueName(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const chars = [...base];
    const stem = chars.length + suffix.length > 64 ? chars.slice(0, 64 - suffix.length).join('').replace(/-+$/, '') : base;
    if (!taken.has(stem + suffix)) return stem + suffix;
  }
}
