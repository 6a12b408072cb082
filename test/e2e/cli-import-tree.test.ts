/**
 * `autoskill import <store tree>` (issue #13 part 7): a whole store (another machine's Skills/, a
 * backup, the skill bank's layout) keeps its owners. Users/<u> skills stay private to <u>,
 * Common/<library> skills stay in their library, ConvSkill-style sets become their own libraries,
 * and nothing is flattened into Common. Real bank skills, through the built bin.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FsSkillStore } from '../../src/engine/store/fs/store.js';
import { BANK, BIN, IDS, REPO } from '../helpers/mcp-fixture.js';

const run = promisify(execFile);

async function cli(args: string[]) {
  const env = { ...process.env, AUTOSKILL_LOG_LEVEL: 'warn' };
  for (const k of ['AUTOSKILL_STORE', 'AUTOSKILL_STORE_URL', 'AUTOSKILL_USER']) delete env[k];
  try {
    const r = await run(process.execPath, [BIN, ...args], { cwd: REPO, env });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

type Listed = { id: string; name: string; slug: string; owner: string };
const list = async (store: string, ...args: string[]) => JSON.parse((await cli(['list', '--store', store, '--json', ...args])).stdout) as Listed[];

/** A file without an id: its id comes from its place in the tree. */
const NO_ID = `---\nname: status-mail-format\ndescription: Weekly status mails as three short bullet lists (done, next, blocked).\n---\n\nWrite the mail as three bullet lists.\n`;

let tmp: string;
let tree: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'autoskill-import-tree-'));
  tree = path.join(tmp, 'tree');
  const copy = (from: string, to: string) => cp(path.join(BANK, from), path.join(tree, to), { recursive: true });
  await copy('Users/u6/公众号技术传播风格规范', 'Users/u6/公众号技术传播风格规范');
  await copy('Common/humanizer-zh-skills/humanizer', 'Common/humanizer-zh-skills/humanizer');
  await copy('Common/vercel-labs-browser-skills/dogfood', 'Common/vercel-labs-browser-skills/dogfood');
  await copy('ConvSkill/english_gpt4_8/24_game_expert', 'ConvSkill/english_gpt4_8/24_game_expert');
  await copy('ConvSkill/chinese_gpt4_8/docker命令转docker-compose配置', 'ConvSkill/chinese_gpt4_8/docker命令转docker-compose配置');
  await cp(path.join(REPO, 'Skills/Common/plain-text-output'), path.join(tree, 'Common/plain-text-output'), { recursive: true });
  await mkdir(path.join(tree, 'Users/u37/status-mail-format'), { recursive: true });
  await writeFile(path.join(tree, 'Users/u37/status-mail-format/SKILL.md'), NO_ID);
  // Store internals of the source are not skills.
  await mkdir(path.join(tree, '.autoskill/history/x'), { recursive: true });
  await writeFile(path.join(tree, '.autoskill/history/x/SKILL.md'), NO_ID.replace('status-mail-format', 'from-history'));
  await mkdir(path.join(tree, 'vectors'), { recursive: true });
  await writeFile(path.join(tree, 'vectors/meta.json'), '{}');
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('import of a whole store tree', () => {
  let store: string;
  test('keeps Users/<u> private, Common/<library> and ConvSkill sets as libraries', async () => {
    store = path.join(tmp, 'store');
    const r = await cli(['import', tree, '--store', store]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toMatch(/whole store: owners kept/);
    expect(r.stdout).toMatch(/imported 7, skipped 0, errors 0/);

    const all = await list(store, '--user', 'nobody');
    const owners = Object.fromEntries(all.map((s) => [s.id, s.owner]));
    expect(owners).toEqual({
      [IDS.humanizer]: 'library:humanizer-zh-skills',
      [IDS.dogfood]: 'library:vercel-labs-browser-skills',
      [IDS.game24]: 'library:english_gpt4_8',
      [IDS.docker]: 'library:chinese_gpt4_8',
      [all.find((s) => s.slug === 'plain-text-output')!.id]: 'library:Common',
    });
    expect(all.map((s) => s.name)).not.toContain('from-history');

    expect((await list(store, '--user', 'u6', '--scope', 'user')).map((s) => s.id)).toEqual([IDS.wechat]);
    expect((await list(store, '--user', 'u37', '--scope', 'user')).map((s) => s.name)).toEqual(['status-mail-format']);
    // u37 sees Common and the libraries, never u6's skill.
    expect((await list(store, '--user', 'u37')).map((s) => s.id)).not.toContain(IDS.wechat);

    // On disk it is the same layout: Users/<u>/<slug>, Common/<library>/<slug>.
    expect(existsSync(path.join(store, 'Users/u6/公众号技术传播风格规范/SKILL.md'))).toBe(true);
    expect(existsSync(path.join(store, 'Common/chinese_gpt4_8/docker命令转docker-compose配置/SKILL.md'))).toBe(true);
    expect((await readdir(path.join(store, 'Common'))).sort()).toEqual(
      ['chinese_gpt4_8', 'english_gpt4_8', 'humanizer-zh-skills', 'plain-text-output', 'vercel-labs-browser-skills'].sort(),
    );
  }, 60_000);

  test('a file without an id gets the id the tree has when opened as a store', async () => {
    const copy = path.join(tmp, 'as-store');
    await cp(path.join(tree, 'Users'), path.join(copy, 'Users'), { recursive: true });
    const opened = new FsSkillStore({ root: copy });
    await opened.open();
    const expected = (await opened.list()).find((s) => s.name === 'status-mail-format')!.id;
    await opened.close();
    expect((await list(store, '--user', 'u37', '--scope', 'user'))[0]!.id).toBe(expected);
  });

  test('importing it again skips every skill (same ids, same owners)', async () => {
    const r = await cli(['import', tree, '--store', store]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/imported 0, skipped 7, errors 0/);
  }, 60_000);

  test('--scope, --user or --library on a store tree is a usage error and imports nothing', async () => {
    const target = path.join(tmp, 'refused');
    for (const extra of [['--library', 'mine'], ['--scope', 'user', '--user', 'bob'], ['--scope', 'common']]) {
      const r = await cli(['import', tree, '--store', target, ...extra]);
      expect(r.code, extra.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/is a whole store .* --scope, --user and --library do not apply/);
    }
    expect(existsSync(target)).toBe(false);
  });

  test('a part of the tree still goes to the target named on the command line', async () => {
    const target = path.join(tmp, 'part');
    const r = await cli(['import', path.join(tree, 'Common', 'humanizer-zh-skills'), '--store', target, '--scope', 'user', '--user', 'bob']);
    expect(r.code, r.stderr).toBe(0);
    expect((await list(target, '--user', 'bob', '--scope', 'user')).map((s) => s.id)).toEqual([IDS.humanizer]);
  });
});
