import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

/**
 * `autoskill validate` and `autoskill normalize` through the bin: errors vs warnings, the per-rule
 * summary, --quiet, --reference, exit 1 only on errors, and normalize as the fix validate names.
 */

const run = promisify(execFile);
const BIN = path.resolve(import.meta.dirname, '../..', 'bin/autoskill.js');

async function cli(args: string[]) {
  try {
    const r = await run(process.execPath, [BIN, ...args], { cwd: tmp });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const UPSTREAM = '---\nid: "w-1"\nname: 周报写作\ndescription: 周报的写法。\nversion: 0.1.0\ntags:\n  - 写作\ntriggers:\n  - 帮我写周报\n---\n\n# 周报写作\n\n## Prompt\n\n- 先写结论。\n';

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'autoskill-validate-'));
  const put = async (folder: string, text: string) => {
    await mkdir(path.join(tmp, 'skills', folder), { recursive: true });
    await writeFile(path.join(tmp, 'skills', folder, 'SKILL.md'), text);
  };
  await put('周报写作', UPSTREAM); // upstream dialect, lowercase Chinese name matching its folder
  await put('pdf-tools', '---\nname: pdf-tools\ndescription: PDF tools.\n---\n# PDF\n');
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('validate', () => {
  test('warnings only: exit 0, each warning with its fix, a per-rule summary', async () => {
    const r = await cli(['validate', 'skills']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${path.join('skills', '周报写作', 'SKILL.md')}: warning: id: top-level "id" is the upstream AutoSkill dialect`);
    expect(r.stdout).toContain('(fix: autoskill normalize)');
    expect(r.stdout).toMatch(/rule summary \(violations in files\):\n\s+warning\s+upstream-dialect\s+4 in 1 file\(s\)\s+fix: autoskill normalize/);
    expect(r.stdout).toMatch(/2 file\(s\) checked \(default rules\): 0 with errors, 1 with warnings\n$/);
    const quiet = await cli(['validate', 'skills', '--quiet']);
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).not.toContain(': warning:');
    expect(quiet.stdout).toContain('upstream-dialect');
  });

  test('--reference: the reference verdict, upstream keys are errors (exit 1); --json carries the rule counts', async () => {
    const r = await cli(['validate', 'skills', '--reference']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/error\s+unknown-field\s+4 in 1 file\(s\)/);
    const j = JSON.parse((await cli(['validate', 'skills', '--reference', '--json'])).stdout) as { mode: string; with_errors: number; rules: Array<{ rule: string; level: string; files: number }> };
    expect(j.mode).toBe('reference');
    expect(j.with_errors).toBe(1);
    expect(j.rules).toContainEqual(expect.objectContaining({ rule: 'unknown-field', level: 'error', files: 1 }));
  });

  test('an error exits 1 and --quiet still prints it', async () => {
    await mkdir(path.join(tmp, 'bad', 'Bad'), { recursive: true });
    await writeFile(path.join(tmp, 'bad', 'Bad', 'SKILL.md'), '---\nname: Bad\ndescription: x\n---\n');
    const r = await cli(['validate', 'bad', '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(': error: name: name "Bad" must be lowercase');
    expect(r.stdout).toMatch(/error\s+name-lowercase\s+1 in 1 file\(s\)/);
  });
});

describe('normalize', () => {
  test('rewrites upstream-dialect files in the spec dialect and leaves valid files byte for byte', async () => {
    const before = await readFile(path.join(tmp, 'skills', 'pdf-tools', 'SKILL.md'), 'utf8');
    const dry = await cli(['normalize', 'skills', '--dry-run']);
    expect(dry.stdout).toMatch(/would rewrite .*周报写作.*: fixed id, version, tags, triggers/);
    expect(await readFile(path.join(tmp, 'skills', '周报写作', 'SKILL.md'), 'utf8')).toBe(UPSTREAM);
    const r = await cli(['normalize', 'skills']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/2 file\(s\) checked, 1 rewritten, 0 failed/);
    const after = await readFile(path.join(tmp, 'skills', '周报写作', 'SKILL.md'), 'utf8');
    expect(after).toMatch(/^name: "周报写作"$/m);
    expect(after).toMatch(/^ {2}id: "w-1"$/m);
    expect(after).toContain('帮我写周报');
    expect(await readFile(path.join(tmp, 'skills', 'pdf-tools', 'SKILL.md'), 'utf8')).toBe(before);
    const v = await cli(['validate', 'skills', '--reference']);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/0 with errors, 0 with warnings/);
  });
});
