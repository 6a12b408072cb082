import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { errorsOf, isSpecName, parseSkillMd, renderSkillMd, validateSkillMd, writeFileAtomic } from '../../engine/index.js';
import { out } from '../common.js';
import { helpText, parseCommand } from '../options.js';
import { SPECS } from '../specs.js';
import { skillMdFilesOf } from './validate.js';

/**
 * The fix `validate` names for the upstream AutoSkill dialect: rewrites SKILL.md files in place
 * in the spec dialect (top-level id/version/tags/triggers/examples and unknown keys go under
 * metadata or into body sections; a "---" inside a value is escaped), as our own renderer writes
 * them. Only files with such problems are touched; `name` becomes the folder name when the folder is a valid name. An id is kept
 * only when the file had one.
 */

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(SPECS.normalize, argv);
  if (values.help) return (out(helpText(SPECS.normalize)), 0);
  const target = positionals[0] ?? '.';
  const files = await skillMdFilesOf(target);
  let rewritten = 0;
  let failed = 0;
  for (const file of files) {
    const folder = path.basename(path.dirname(file));
    const text = await readFile(file, 'utf8');
    const dialect = validateSkillMd(text, { dirName: folder }).filter((v) => v.rule === 'upstream-dialect' || v.rule === 'unknown-field' || v.rule === 'frontmatter-dash');
    if (!dialect.length) continue;
    try {
      const { skill, hadId } = parseSkillMd(text, { owner: 'user:normalize', slug: folder, fallbackId: 'normalize' });
      const next = renderSkillMd(skill, { omitId: !hadId, ...(isSpecName(folder) ? { specName: folder } : {}) });
      const left = errorsOf(validateSkillMd(next, { dirName: folder }));
      if (!values['dry-run']) await writeFileAtomic(file, next);
      rewritten++;
      out(`${values['dry-run'] ? 'would rewrite' : 'rewrote'} ${file}: fixed ${dialect.map((v) => (v.rule === 'frontmatter-dash' ? '"---" in a value' : v.field)).join(', ')}${left.length ? `; still: ${left.map((v) => v.message).join('; ')}` : ''}`);
    } catch (err) {
      failed++;
      out(`${file}: not rewritten: ${(err as Error).message}`);
    }
  }
  out(`${files.length} file(s) checked, ${rewritten} ${values['dry-run'] ? 'to rewrite' : 'rewritten'}, ${failed} failed`);
  return failed ? 1 : 0;
}
