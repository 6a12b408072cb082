import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { validateSkillMd } from '../../engine/skill/validate.js';
import { CliError, out } from '../common.js';
import { helpText, parseCommand } from '../options.js';
import { SPECS } from '../specs.js';

async function* skillFiles(root: string, depth = 0): AsyncGenerator<string> {
  if (depth > 8) return;
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    // Hidden folders are checked too (.claude/skills/...); only VCS internals are not.
    if (e.name === 'node_modules' || e.name === '.git' || e.name === '.hg' || e.name === '.svn') continue;
    const full = path.join(root, e.name);
    if (e.isFile() && e.name === 'SKILL.md') yield full;
    else if (e.isDirectory()) yield* skillFiles(full, depth + 1);
  }
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(SPECS.validate, argv);
  if (values.help) return (out(helpText(SPECS.validate)), 0);
  // Kept as given: reported paths read the way the user typed them (absolute or relative).
  const target = positionals[0] ?? '.';
  const info = await stat(target).catch(() => undefined);
  if (!info) throw new CliError(`no such file or directory: ${target}`);
  const files: string[] = [];
  if (info.isFile()) files.push(target);
  else for await (const f of skillFiles(target)) files.push(f);
  let bad = 0;
  const results: Array<{ file: string; violations: Array<{ field: string; message: string }> }> = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    const violations = validateSkillMd(text, { dirName: path.basename(path.dirname(file)) });
    if (violations.length) bad++;
    results.push({ file, violations });
  }
  if (values.json) out(JSON.stringify(results, null, 2));
  else {
    for (const r of results) for (const v of r.violations) out(`${r.file}: ${v.field}: ${v.message}`);
    out(`${files.length} file(s) checked, ${bad} with violations`);
  }
  return bad > 0 ? 1 : 0;
}
