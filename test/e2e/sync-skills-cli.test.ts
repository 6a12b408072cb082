import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AutoSkill } from '../../src/engine/autoskill.js';
import { asciiNameOf, asciiSpelling, exportNameFor, isAsciiName } from '../../src/engine/skill/spec-name.js';
import { errorsOf, validateSkillMd } from '../../src/engine/skill/validate.js';

/**
 * ASCII folder names (`sync --ascii-names`, `export --ascii-names`, the claude-code default): a
 * Chinese name as pinyin, and the real `skills` installer (`npx skills add`, npm `skills`) installs
 * the mirror into .claude/skills under that name instead of cutting it down to `10`.
 */

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/autoskill.js');
const SKILLS_CLI = path.join(ROOT, 'node_modules/skills/bin/cli.mjs');
// The installer must never phone home or touch the real home folder.
const QUIET_ENV = { DISABLE_TELEMETRY: '1', DO_NOT_TRACK: '1' };

const ZH_TITLE = '10 / 你是一个有着 / 年工作经验的文案策划';
const ZH_NAME = '10-ni-shi-yi-ge-you-zhe-nian-gong-zuo-jing-yan-de-wen-an-ce-hua';
const ZH_UNICODE = '10-你是一个有着-年工作经验的文案策划';
// The skill bank's upstream dialect (top-level id/version/tags/triggers, a title for a name).
const ZH_SKILL = `---
id: "zh-10"
name: "${ZH_TITLE}"
description: "按品牌调性写营销文案。"
version: 0.1.0
tags: [文案, 营销]
triggers:
  - 帮我写一段营销文案
---

# ${ZH_TITLE}

你是一个文案策划。先问清品牌调性，再写三个版本。
`;

let tmp: string;
let store: string;

async function cli(args: string[]) {
  try {
    const r = await run(process.execPath, [BIN, ...args], { cwd: tmp, env: { ...process.env, AUTOSKILL_STORE: '', AUTOSKILL_USER: '' } });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** The skill folders under `dir`, each checked by our validator in reference mode. */
async function specValidFolders(dir: string): Promise<string[]> {
  const folders = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  for (const f of folders) {
    const text = await readFile(path.join(dir, f, 'SKILL.md'), 'utf8');
    expect(errorsOf(validateSkillMd(text, { dirName: f, mode: 'reference' })), f).toEqual([]);
  }
  return folders.sort();
}

/** Why the `skills` CLI cannot run here, or undefined when it can. */
async function skillsCliProblem(): Promise<string | undefined> {
  try {
    await run(process.execPath, [SKILLS_CLI, '--version'], { timeout: 15_000, env: { ...process.env, ...QUIET_ENV } });
    return undefined;
  } catch (err) {
    return `skills CLI (node_modules/skills) does not run on node ${process.version}: ${(err as Error).message.split('\n')[0]}`;
  }
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'autoskill-ascii-'));
  store = path.join(tmp, 'Skills');
  const src = path.join(tmp, 'import', '10');
  await mkdir(src, { recursive: true });
  await writeFile(path.join(src, 'SKILL.md'), ZH_SKILL);
  const sdk = await AutoSkill.open({ storeDir: store, learning: { start: false } });
  await sdk.importSkills(path.join(tmp, 'import'), { scope: 'user', userId: 'u1' });
  await sdk.upsert({ name: 'Email tone', description: 'Short, friendly emails.', instructions: '- Three sentences at most.' }, { actor: { userId: 'u1' } });
  await sdk.close();
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('ASCII names', () => {
  test('Chinese as toneless pinyin per syllable, polyphones read in context, punctuation and accents folded', () => {
    expect(asciiNameOf(ZH_UNICODE)).toBe(ZH_NAME);
    expect(asciiNameOf('10 / 你是一个有着 / 十年经验的文案策划')).toBe('10-ni-shi-yi-ge-you-zhe-shi-nian-jing-yan-de-wen-an-ce-hua');
    expect(asciiNameOf('绿色出行')).toBe('lv-se-chu-xing'); // ü as v
    expect(asciiNameOf('重庆的银行行长')).toBe('chong-qing-de-yin-hang-hang-zhang');
    // Mixed Chinese and English, digits, punctuation.
    expect(asciiNameOf('机器翻译模型评估与BLEU计算')).toBe('ji-qi-fan-yi-mo-xing-ping-gu-yu-bleu-ji-suan');
    expect(asciiNameOf('React组件设计v2.0（最佳实践）!')).toBe('react-zu-jian-she-ji-v2-0-zui-jia-shi-jian');
    expect(asciiNameOf("Gestion d'état React — Straße")).toBe('gestion-d-etat-react-strasse');
    expect(asciiNameOf('email-tone')).toBe('email-tone');
    // Nothing meaningful left: a bare number, or a script we do not spell (kana).
    expect(asciiNameOf('10 / 2024')).toBeUndefined();
    expect(asciiNameOf('すしの作り方')).toBe('zuo-fang'); // only the kanji (作, 方) are spelled
    expect(asciiNameOf('すし')).toBeUndefined();
  });

  test('long titles are cut at the last word boundary within 64 characters, with no trailing hyphen', () => {
    const title = '你是一个有着十年工作经验的资深文案策划请根据品牌调性为客户撰写三个版本的营销文案并说明理由';
    const name = asciiNameOf(title)!;
    expect(name).toBe('ni-shi-yi-ge-you-zhe-shi-nian-gong-zuo-jing-yan-de-zi-shen-wen');
    expect(name.length).toBeLessThanOrEqual(64);
    expect(asciiSpelling(title).startsWith(`${name}-`)).toBe(true); // a whole-syllable prefix
    // One word longer than the limit is cut at 64.
    expect(asciiNameOf(`x-${'a'.repeat(80)}`)).toBe('x');
    expect(asciiNameOf('a'.repeat(80))).toBe('a'.repeat(64));
    for (const t of [title, `${'Agent '.repeat(20)}技能`, '数据'.repeat(40)]) {
      const n = asciiNameOf(t)!;
      expect(isAsciiName(n), n).toBe(true);
      expect(n.length).toBeLessThanOrEqual(64);
      expect(n.endsWith('-')).toBe(false);
    }
  });

  test('exportNameFor: Latin slugs stay, Unicode slugs are spelled, a kana-only skill falls back to a hash name', () => {
    const base = { id: 'x1', triggers: [] as string[], tags: [] as string[] };
    expect(exportNameFor({ ...base, slug: 'email-tone', name: 'Email tone' }, { ascii: true })).toBe('email-tone');
    expect(exportNameFor({ ...base, slug: '机器翻译模型评估与bleu计算', name: '机器翻译模型评估与bleu计算' }, { ascii: true })).toBe('ji-qi-fan-yi-mo-xing-ping-gu-yu-bleu-ji-suan');
    expect(exportNameFor({ ...base, slug: '机器翻译模型评估与bleu计算', name: '机器翻译模型评估与bleu计算' })).toBe('机器翻译模型评估与bleu计算');
    expect(exportNameFor({ ...base, slug: 'すし', name: 'すし' }, { ascii: true })).toMatch(/^skill-[0-9a-f]{8}$/);
  });
});

describe('sync/export with ASCII names', () => {
  test('sync --ascii-names, then the real `skills add --agent claude-code` installs both folders under their names', async () => {
    const mirror = path.join(tmp, 'mirror');
    const r = await cli(['sync', '--store', store, '--user', 'u1', '--to', mirror, '--ascii-names']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(await specValidFolders(mirror)).toEqual([ZH_NAME, 'email-tone']);
    const zh = await readFile(path.join(mirror, ZH_NAME, 'SKILL.md'), 'utf8');
    expect(zh).toMatch(new RegExp(`^name: "${ZH_NAME}"$`, 'm'));
    expect(zh).toContain(`title: "${ZH_TITLE}"`); // the original title stays in metadata

    const problem = await skillsCliProblem();
    if (problem) {
      console.warn(`skipped the install half: ${problem}`);
      return;
    }
    const project = path.join(tmp, 'project');
    const home = path.join(tmp, 'home');
    await mkdir(project, { recursive: true });
    await mkdir(home, { recursive: true });
    await run('git', ['init', '-q'], { cwd: project });
    await run(process.execPath, [SKILLS_CLI, 'add', mirror, '--agent', 'claude-code', '-y', '--copy'], {
      cwd: project,
      timeout: 30_000,
      env: { ...process.env, ...QUIET_ENV, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), CI: '1' },
    });
    const installed = path.join(project, '.claude', 'skills');
    expect(await specValidFolders(installed)).toEqual([ZH_NAME, 'email-tone']);
    expect(await readFile(path.join(installed, ZH_NAME, 'SKILL.md'), 'utf8')).toBe(zh);
  }, 60_000);

  test('--agent claude-code defaults to ASCII names, --unicode-names overrides, and switching renames unedited folders', async () => {
    const proj = path.join(tmp, 'proj');
    expect((await cli(['sync', '--store', store, '--user', 'u1', '--to', proj, '--agent', 'claude-code'])).code).toBe(0);
    expect(await specValidFolders(path.join(proj, '.claude', 'skills'))).toEqual([ZH_NAME, 'email-tone']);

    const uni = path.join(tmp, 'uni');
    expect((await cli(['sync', '--store', store, '--user', 'u1', '--to', uni, '--agent', 'claude-code', '--unicode-names'])).code).toBe(0);
    const uniDir = path.join(uni, '.claude', 'skills');
    expect(await specValidFolders(uniDir)).toEqual([ZH_UNICODE, 'email-tone']);
    // Asking for ASCII names later moves the Unicode folder to its ASCII name.
    const again = await cli(['sync', '--store', store, '--user', 'u1', '--to', uniDir, '--ascii-names']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`created  ${ZH_NAME}`);
    expect(again.stdout).toContain(`removed  ${ZH_UNICODE}`);
    expect(await specValidFolders(uniDir)).toEqual([ZH_NAME, 'email-tone']);

    const both = await cli(['sync', '--store', store, '--user', 'u1', '--to', uni, '--ascii-names', '--unicode-names']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/cannot be used together/);
  });

  test('export --ascii-names (implies --spec) writes the pinyin folder', async () => {
    const out = path.join(tmp, 'exported');
    const r = await cli(['export', 'zh-10', '--store', store, '--user', 'u1', '--format', 'dir', '--to', out, '--ascii-names']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`exported ${ZH_NAME} (zh-10)`);
    expect(await specValidFolders(out)).toEqual([ZH_NAME]);
  });
});
