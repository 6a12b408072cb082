import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { validateSkillMd, type Violation } from '../../engine/index.js';
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

/** The SKILL.md files a `validate`/`normalize` target names: the file itself, or every one under the folder. */
export async function skillMdFilesOf(target: string): Promise<string[]> {
  const info = await stat(target).catch(() => undefined);
  if (!info) throw new CliError(`no such file or directory: ${target}`);
  const files: string[] = [];
  if (info.isFile()) files.push(target);
  else for await (const f of skillFiles(target)) files.push(f);
  return files;
}

interface RuleCount {
  rule: string;
  level: Violation['level'];
  violations: number;
  files: number;
  fix?: string;
}

/** One line per rule, errors first, most frequent first: what to fix, and how much of it. */
function summarize(results: Array<{ violations: Violation[] }>): RuleCount[] {
  const byRule = new Map<string, RuleCount>();
  for (const r of results) {
    const seen = new Set<string>();
    for (const x of r.violations) {
      const key = `${x.level}\u0000${x.rule}`;
      const c = byRule.get(key) ?? { rule: x.rule, level: x.level, violations: 0, files: 0, ...(x.fix ? { fix: x.fix } : {}) };
      c.violations++;
      if (!seen.has(key)) c.files++;
      seen.add(key);
      byRule.set(key, c);
    }
  }
  return [...byRule.values()].sort((a, b) => (a.level === b.level ? b.files - a.files : a.level === 'error' ? -1 : 1));
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(SPECS.validate, argv);
  if (values.help) return (out(helpText(SPECS.validate)), 0);
  // Kept as given: reported paths read the way the user typed them (absolute or relative).
  const target = positionals[0] ?? '.';
  const mode = values.reference ? 'reference' : 'default';
  const files = await skillMdFilesOf(target);
  const results: Array<{ file: string; violations: Violation[] }> = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    results.push({ file, violations: validateSkillMd(text, { dirName: path.basename(path.dirname(file)), mode }) });
  }
  const withErrors = results.filter((r) => r.violations.some((x) => x.level === 'error')).length;
  const withWarnings = results.filter((r) => r.violations.some((x) => x.level === 'warning')).length;
  const rules = summarize(results);
  if (values.json) {
    const shown = values.quiet ? results.map((r) => ({ ...r, violations: r.violations.filter((x) => x.level === 'error') })) : results;
    out(JSON.stringify({ mode, files: files.length, with_errors: withErrors, with_warnings: withWarnings, rules, results: shown.filter((r) => r.violations.length) }, null, 2));
  } else {
    for (const r of results) {
      for (const x of r.violations) {
        if (values.quiet && x.level !== 'error') continue;
        out(`${r.file}: ${x.level}: ${x.field}: ${x.message}${x.fix ? ` (fix: ${x.fix})` : ''}`);
      }
    }
    if (rules.length) {
      out('');
      out('rule summary (violations in files):');
      for (const c of rules) out(`  ${c.level.padEnd(7)}  ${c.rule.padEnd(20)}  ${String(c.violations).padStart(6)} in ${c.files} file(s)${c.fix ? `  fix: ${c.fix}` : ''}`);
    }
    out(`${files.length} file(s) checked (${mode} rules): ${withErrors} with errors, ${withWarnings} with warnings`);
  }
  return withErrors > 0 ? 1 : 0;
}
