import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SPECS } from '../../src/cli/specs.js';

/** The CLI as a user meets it: spawned as a child process, help text and exit codes. */

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/autoskill.js');
const COMMON = path.join(ROOT, 'Skills/Common');
const pexec = promisify(execFile);

async function cli(args: string[], cwd = ROOT) {
  try {
    const r = await pexec(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, AUTOSKILL_STORE: '', AUTOSKILL_STORE_URL: '' } });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** `--flag ARG` / `-x, --flag` lines of a help text's options section. */
function helpFlags(help: string): Array<{ flag: string; takesValue: boolean }> {
  const section = help.split('\noptions:\n')[1] ?? '';
  return section
    .split('\n')
    .map((l) => /^\s+(?:-\w, )?--([a-z0-9-]+)( \S+)?\s{2,}\S/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ flag: m[1]!, takesValue: m[2] !== undefined }));
}

let tmp: string;
let store: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'autoskill-cli-help-'));
  store = path.join(tmp, 'store');
  const imp = await cli(['import', COMMON, '--store', store]);
  expect(imp.code, imp.stderr).toBe(0);
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('every command documents its options', () => {
  test.each(Object.keys(SPECS))('%s --help lists each option on its own line, and the parser accepts each listed flag', async (name) => {
    const spec = SPECS[name as keyof typeof SPECS];
    const r = await cli([name, '--help']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^usage: autoskill ${name}\\b`));
    const listed = helpFlags(r.stdout);
    // every declared option has a described line, and nothing else is listed
    expect(listed.map((f) => f.flag).sort()).toEqual(Object.keys(spec.options).sort());
    // what the help lists, the parser takes: all flags at once, then --help stops before any work
    const args = listed.filter((f) => f.flag !== 'help').flatMap((f) => (f.takesValue ? [`--${f.flag}`, 'x'] : [`--${f.flag}`]));
    const all = await cli([name, ...args, '--help']);
    expect(all.code, `${name} ${args.join(' ')}: ${all.stderr}`).toBe(0);
  });

  test('autoskill help <command> is <command> --help; the top-level help lists every command', async () => {
    const a = await cli(['help', 'export']);
    const b = await cli(['export', '--help']);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const top = await cli(['--help']);
    for (const name of Object.keys(SPECS)) expect(top.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
  });

  test('version is a command, like --version', async () => {
    const a = await cli(['version']);
    const b = await cli(['--version']);
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/^\d+\.\d+\.\d+/);
    expect(a.stdout).toBe(b.stdout);
  });

  test('an unknown flag is a usage error (exit 2) that points to --help', async () => {
    const r = await cli(['search', 'x', '--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Unknown option '--frobnicate'.*autoskill search --help/);
  });
});

describe('skills are named by id, slug or name', () => {
  test('show and export take the slug that list prints', async () => {
    const list = JSON.parse((await cli(['list', '--store', store, '--json'])).stdout) as Array<{ id: string; slug: string; name: string }>;
    const skill = list.find((s) => s.name === 'Plain text output')!;
    expect(skill.slug).toBeTruthy();
    const byId = await cli(['show', skill.id, '--store', store]);
    const bySlug = await cli(['show', skill.slug, '--store', store]);
    const byName = await cli(['show', 'plain text output', '--store', store]);
    expect(bySlug.code, bySlug.stderr).toBe(0);
    expect(bySlug.stdout).toBe(byId.stdout);
    expect(byName.stdout).toBe(byId.stdout);
    const md = await cli(['export', skill.slug, '--store', store]);
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toMatch(/^---\n[\s\S]*\n# Plain text output\n/);
    const missing = await cli(['show', 'no-such-skill', '--store', store]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/skill not found: no-such-skill/);
  });

  test('a slug two owners share is an error listing both ids, unless --user picks one', async () => {
    const shared = path.join(tmp, 'store-shared');
    expect((await cli(['import', COMMON, '--store', shared])).code).toBe(0);
    // bob's own plain-text-output: same folder name, no id (so it gets one of its own)
    const mine = path.join(tmp, 'bob-skills', 'plain-text-output');
    await mkdir(mine, { recursive: true });
    await writeFile(path.join(mine, 'SKILL.md'), '---\nname: plain-text-output\ndescription: Bob likes plain text.\n---\n\nNo markdown.\n');
    expect((await cli(['import', path.dirname(mine), '--store', shared, '--scope', 'user', '--user', 'bob'])).code).toBe(0);
    const list = JSON.parse((await cli(['list', '--store', shared, '--user', 'bob', '--json'])).stdout) as Array<{ id: string; slug: string; owner: string }>;
    const slug = list.find((s) => s.owner === 'user:bob')!.slug;
    const ids = list.filter((s) => s.slug === slug).map((s) => s.id);
    expect(ids).toHaveLength(2);
    const r = await cli(['show', slug, '--store', shared]);
    expect(r.code).toBe(2);
    for (const id of ids) expect(r.stderr).toContain(id);
    const bob = await cli(['show', slug, '--store', shared, '--user', 'bob', '--json']);
    expect(bob.code, bob.stderr).toBe(0);
    expect(JSON.parse(bob.stdout).owner).toBe('user:bob');
  });

  test('export --format dir writes <to>/<slug>/ and prints the path as given', async () => {
    const list = JSON.parse((await cli(['list', '--store', store, '--json'])).stdout) as Array<{ slug: string }>;
    const slug = list[0]!.slug;
    const r = await cli(['export', slug, '--store', store, '--format', 'dir', '--to', 'out'], tmp);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`to ${path.join('out', slug)}`);
    expect(r.stdout).not.toContain(tmp);
    expect(await readdir(path.join(tmp, 'out', slug))).toContain('SKILL.md');
    const again = await cli(['export', slug, '--store', store, '--format', 'dir', '--to', 'out'], tmp);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists/);
    expect((await stat(path.join(tmp, 'out', slug))).isDirectory()).toBe(true);
  });

  test('list and search show the owner as "Common", never "library:Common"', async () => {
    const list = await cli(['list', '--store', store]);
    expect(list.stdout).toMatch(/ Common /);
    expect(list.stdout).not.toMatch(/library:/);
    const search = await cli(['search', 'weekly report', '--store', store]);
    expect(search.stdout).toMatch(/, Common, /);
    expect(search.stdout).not.toMatch(/library:/);
  });
});

describe('exit codes and paths', () => {
  test('every command rejects an unknown flag with exit 2 and points to its --help', async () => {
    for (const name of Object.keys(SPECS)) {
      const r = await cli([name, '--no-such-flag']);
      expect(r.code, name).toBe(2);
      expect(r.stderr, name).toContain(`autoskill ${name} --help`);
    }
  });

  test('import exits 1 when any item failed, after a summary line', async () => {
    const src = path.join(tmp, 'mixed');
    await mkdir(path.join(src, 'good-skill'), { recursive: true });
    await mkdir(path.join(src, 'broken-skill'), { recursive: true });
    await writeFile(path.join(src, 'good-skill', 'SKILL.md'), '---\nname: good-skill\ndescription: A skill that imports.\n---\n\nDo the thing.\n');
    await writeFile(path.join(src, 'broken-skill', 'SKILL.md'), Buffer.from([0xff, 0xfe, 0x00, 0x41]));
    const r = await cli(['import', src, '--store', path.join(tmp, 'store-mixed')]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^imported 1, skipped 0, errors 1$/m);
    expect(r.stdout).toMatch(/broken-skill/);
    const ok = await cli(['import', COMMON, '--store', path.join(tmp, 'store-ok')]);
    expect(ok.code).toBe(0);
  });

  test('validate prints file paths as given: absolute stays absolute, relative stays relative', async () => {
    const bad = path.join(tmp, 'v', 'Bad_Name');
    await mkdir(bad, { recursive: true });
    await writeFile(path.join(bad, 'SKILL.md'), '---\nname: Bad_Name\n---\n\nbody\n');
    const abs = await cli(['validate', path.join(tmp, 'v')]);
    expect(abs.code).toBe(1);
    expect(abs.stdout).toContain(`${path.join(tmp, 'v', 'Bad_Name', 'SKILL.md')}: `);
    const rel = await cli(['validate', 'v'], tmp);
    expect(rel.stdout).toContain(`${path.join('v', 'Bad_Name', 'SKILL.md')}: `);
    expect(rel.stdout).not.toContain(tmp);
    const missing = await cli(['validate', 'no-such-dir'], tmp);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no such file or directory: no-such-dir$/m);
  });
});
