import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { AutoSkill } from '../../src/engine/autoskill.js';
import { errorsOf, validateSkillMd } from '../../src/engine/skill/validate.js';
import { AGENTS, resolveSyncDir } from '../../src/engine/sync/agents.js';
import { MANIFEST_FILE, readManifest } from '../../src/engine/sync/manifest.js';

/**
 * `autoskill sync` through the real bin (dist/), and `serve --sync-to` as a running server: the
 * mirrored folders are spec-valid, edits made in the host folder are never overwritten, folders of
 * deleted skills go only when unedited, someone else's folders are never touched.
 */

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/autoskill.js');

async function cli(args: string[], env: Record<string, string> = {}) {
  try {
    const r = await run(process.execPath, [BIN, ...args], { cwd: tmp, env: { ...process.env, AUTOSKILL_STORE: '', AUTOSKILL_USER: '', ...env } });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const sha = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** Every skill folder under `dir` passes the reference rules, named as its folder. */
async function expectSpecValid(dir: string): Promise<string[]> {
  const folders = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  for (const f of folders) {
    const text = await readFile(path.join(dir, f, 'SKILL.md'), 'utf8');
    expect(errorsOf(validateSkillMd(text, { dirName: f, mode: 'reference' })), f).toEqual([]);
  }
  return folders.sort();
}

const UPSTREAM_DIALECT = `---
id: "up-10"
name: "10 / 你是一个有着 / 十年经验的文案策划"
description: "按品牌调性写营销文案。"
version: 0.1.2
tags: [文案, 营销]
triggers:
  - 帮我写一段营销文案
---

# 10 / 你是一个有着 / 十年经验的文案策划

## Prompt

你是一个文案策划。先问清品牌调性，再写三个版本。
`;

let tmp: string;
let store: string;
let sdk: AutoSkill;
let reportId: string;
let emailId: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'autoskill-sync-'));
  store = path.join(tmp, 'Skills');
  sdk = await AutoSkill.open({ storeDir: store, learning: { start: false } });
  const report = await sdk.upsert(
    { name: 'Government report rules', description: 'How alice wants government reports written.', instructions: '- Cite sources.\n- No hallucinated facts.', triggers: ['write a government report'], tags: ['report'] },
    { actor: { userId: 'alice' } },
  );
  reportId = report.id;
  const email = await sdk.upsert(
    { name: 'Email tone', description: 'Short, friendly emails.', instructions: '- Three sentences at most.', triggers: ['write an email'], tags: ['email'] },
    { actor: { userId: 'alice' } },
  );
  emailId = email.id;
  await sdk.upsert({ name: 'Bob only', description: 'Not alice.', instructions: '- x' }, { actor: { userId: 'bob' } });
  // An imported upstream-dialect skill with a Chinese name, and a Common one.
  const up = path.join(tmp, 'import', '10');
  await mkdir(up, { recursive: true });
  await writeFile(path.join(up, 'SKILL.md'), UPSTREAM_DIALECT);
  await writeFile(path.join(up, 'notes.md'), '品牌调性清单\n');
  await sdk.importSkills(path.join(tmp, 'import'), { scope: 'user', userId: 'alice' });
  await sdk.upsert({ name: 'Shared style guide', description: 'House style.', instructions: '- Oxford comma.' }, { owner: 'library:Common' });
  await sdk.settled();
  await sdk.close();
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('autoskill sync', () => {
  test('creates spec-valid folders for the user\'s skills with a manifest; Chinese names keep their meaning; files come along', async () => {
    const project = path.join(tmp, 'proj');
    const r = await cli(['sync', '--store', store, '--to', project, '--agent', 'claude-code', '--user', 'alice']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/3 created, 0 updated, 0 removed, 0 unchanged, 0 conflict/);
    const dir = path.join(project, '.claude', 'skills');
    const folders = await expectSpecValid(dir);
    // claude-code mirrors get ASCII names (pinyin) by default; see sync-skills-cli.test.ts.
    expect(folders).toEqual(['10-ni-shi-yi-ge-you-zhe-shi-nian-jing-yan-de-wen-an-ce-hua', 'email-tone', 'government-report-rules']);
    const zh = await readFile(path.join(dir, folders[0]!, 'SKILL.md'), 'utf8');
    expect(zh).toMatch(/^name: "10-ni-shi-yi-ge-you-zhe-shi-nian-jing-yan-de-wen-an-ce-hua"$/m);
    expect(zh).toContain('title: "10 / 你是一个有着 / 十年经验的文案策划"');
    expect(zh).not.toMatch(/^(id|version|tags|triggers):/m); // upstream keys moved under metadata
    expect(await readFile(path.join(dir, folders[0]!, 'notes.md'), 'utf8')).toBe('品牌调性清单\n');
    const manifest = (await readManifest(dir))!;
    expect(manifest.user).toBe('alice');
    expect(Object.keys(manifest.skills).sort()).toEqual(folders);
    for (const [folder, entry] of Object.entries(manifest.skills)) {
      for (const [rel, digest] of Object.entries(entry.files)) expect(digest).toBe(sha(await readFile(path.join(dir, folder, rel))));
    }
    // A second run changes nothing.
    const again = await cli(['sync', '--store', store, '--to', project, '--agent', 'claude-code', '--user', 'alice']);
    expect(again.stdout).toMatch(/0 created, 0 updated, 0 removed, 3 unchanged, 0 conflict/);
  });

  test('updates unedited files, never overwrites an edited one (exit 3), removes only unedited folders of deleted skills', async () => {
    const dir = path.join(tmp, 'mirror');
    const sync = () => cli(['sync', '--store', store, '--to', dir, '--user', 'alice']);
    expect((await sync()).code).toBe(0);
    const someoneElses = path.join(dir, 'my-own-skill');
    await mkdir(someoneElses);
    await writeFile(path.join(someoneElses, 'SKILL.md'), '---\nname: my-own-skill\ndescription: mine\n---\n');
    // An edit there, then both skills change in autoskill.
    const edited = path.join(dir, 'email-tone', 'SKILL.md');
    await writeFile(edited, `${await readFile(edited, 'utf8')}\n- My own extra line.\n`);
    const mine = await readFile(edited, 'utf8');
    let s = await AutoSkill.open({ storeDir: store, learning: { start: false } });
    await s.upsert({ id: emailId, name: 'Email tone', description: 'Short, friendly emails.', instructions: '- Two sentences at most.' }, { actor: { userId: 'alice' } });
    await s.upsert({ id: reportId, name: 'Government report rules', description: 'How alice wants government reports written.', instructions: '- Cite sources.\n- Use plain words.' }, { actor: { userId: 'alice' } });
    await s.close();
    const r = await sync();
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/conflict email-tone\/SKILL\.md: edited here; not overwritten/);
    expect(r.stdout).toMatch(/updated  government-report-rules/);
    expect(await readFile(edited, 'utf8')).toBe(mine);
    expect(await readFile(path.join(dir, 'government-report-rules', 'SKILL.md'), 'utf8')).toContain('Use plain words.');
    // Still a conflict next time: the manifest keeps the digest sync wrote, not the edit.
    expect((await sync()).code).toBe(3);

    // Deleting both: the unedited folder goes, the edited one stays and is reported.
    s = await AutoSkill.open({ storeDir: store, learning: { start: false } });
    await s.delete(emailId, { userId: 'alice' });
    await s.delete(reportId, { userId: 'alice' });
    await s.close();
    const del = await sync();
    expect(del.code).toBe(3);
    expect(del.stdout).toMatch(/removed  government-report-rules/);
    expect(del.stdout).toMatch(/conflict email-tone: skill deleted in autoskill, but the folder was edited here; left in place/);
    const left = (await readdir(dir)).sort();
    expect(left).toEqual([MANIFEST_FILE, '10-你是一个有着-十年经验的文案策划', 'email-tone', 'my-own-skill']);
    expect(await readFile(path.join(someoneElses, 'SKILL.md'), 'utf8')).toBe('---\nname: my-own-skill\ndescription: mine\n---\n');
    // Once the person removes their edited folder, sync forgets it and is clean again.
    await rm(path.join(dir, 'email-tone'), { recursive: true });
    expect((await sync()).code).toBe(0);
    expect(Object.keys((await readManifest(dir))!.skills)).toEqual(['10-你是一个有着-十年经验的文案策划']);
  });

  test('--with-common adds Common skills; a name taken by someone else\'s folder gets a suffix; --dry-run writes nothing', async () => {
    const dir = path.join(tmp, 'with-common');
    await mkdir(path.join(dir, 'shared-style-guide'), { recursive: true });
    await writeFile(path.join(dir, 'shared-style-guide', 'SKILL.md'), '---\nname: shared-style-guide\ndescription: theirs\n---\n');
    const dry = await cli(['sync', '--store', store, '--to', dir, '--user', 'alice', '--with-common', '--dry-run']);
    expect(dry.stdout).toMatch(/would be created  shared-style-guide-2/);
    expect((await readdir(dir)).sort()).toEqual(['shared-style-guide']);
    const r = await cli(['sync', '--store', store, '--to', dir, '--user', 'alice', '--with-common', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { created: string[] };
    expect(report.created.sort()).toEqual(['10-你是一个有着-十年经验的文案策划', 'shared-style-guide-2']);
    await expectSpecValid(dir);
    expect(await readFile(path.join(dir, 'shared-style-guide', 'SKILL.md'), 'utf8')).toContain('theirs');
    // The manifest is per user: another user's sync into the same folder is refused.
    const other = await cli(['sync', '--store', store, '--to', dir, '--user', 'bob']);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/mirrors the skills of user "alice"/);
  });

  test('--agent presets resolve the conventional folders; unknown agents are usage errors', async () => {
    const env = { CLAUDE_CONFIG_DIR: '/cfg/claude', CODEX_HOME: '/cfg/codex', XDG_CONFIG_HOME: '/xdg' };
    expect(resolveSyncDir({ to: '/p', agent: 'claude-code' })).toBe(path.join('/p', '.claude/skills'));
    expect(resolveSyncDir({ to: '/p', agent: 'codex' })).toBe(path.join('/p', '.agents/skills'));
    expect(resolveSyncDir({ to: '/p', agent: 'copilot' })).toBe(path.join('/p', '.github/skills'));
    expect(resolveSyncDir({ to: '/p', agent: 'github-copilot' })).toBe(path.join('/p', '.github/skills'));
    expect(resolveSyncDir({ to: '/p', agent: 'goose' })).toBe(path.join('/p', '.goose/skills'));
    expect(resolveSyncDir({ to: '/p', agent: 'openclaw' })).toBe(path.join('/p', 'skills'));
    expect(resolveSyncDir({ to: '/p' })).toBe('/p');
    expect(resolveSyncDir({ agent: 'claude-code', global: true }, env, '/home/u')).toBe('/cfg/claude/skills');
    expect(resolveSyncDir({ agent: 'claude-code', global: true }, {}, '/home/u')).toBe('/home/u/.claude/skills');
    expect(resolveSyncDir({ agent: 'codex', global: true }, env, '/home/u')).toBe('/cfg/codex/skills');
    expect(resolveSyncDir({ agent: 'copilot', global: true }, env, '/home/u')).toBe('/home/u/.copilot/skills');
    expect(resolveSyncDir({ agent: 'goose', global: true }, env, '/home/u')).toBe('/xdg/goose/skills');
    expect(Object.keys(AGENTS)).toEqual(expect.arrayContaining(['claude-code', 'codex', 'copilot', 'goose', 'openclaw']));

    const r = await cli(['sync', '--store', store, '--to', path.join(tmp, 'gh'), '--agent', 'copilot', '--user', 'alice']);
    expect(r.code).toBe(0);
    expect(await readdir(path.join(tmp, 'gh', '.github', 'skills'))).toContain(MANIFEST_FILE);
    const global = await cli(['sync', '--store', store, '--agent', 'codex', '--global', '--user', 'alice'], { CODEX_HOME: path.join(tmp, 'codex-home') });
    expect(global.code).toBe(0);
    expect(await readdir(path.join(tmp, 'codex-home', 'skills'))).toContain('10-你是一个有着-十年经验的文案策划');
    const bad = await cli(['sync', '--store', store, '--to', tmp, '--agent', 'notepad']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown agent "notepad"; known: claude-code, codex, copilot/);
    expect((await cli(['sync', '--store', store])).code).toBe(2);
  });

  test('export --spec --format dir writes the converted folder named by its spec name', async () => {
    const r = await cli(['export', 'up-10', '--store', store, '--user', 'alice', '--format', 'dir', '--to', path.join(tmp, 'exported'), '--spec']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/exported 10-你是一个有着-十年经验的文案策划 \(up-10\)/);
    expect(await expectSpecValid(path.join(tmp, 'exported'))).toEqual(['10-你是一个有着-十年经验的文案策划']);
    expect(await readdir(path.join(tmp, 'exported', '10-你是一个有着-十年经验的文案策划'))).toEqual(expect.arrayContaining(['SKILL.md', 'notes.md']));
  });
});

describe('serve --sync-to', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  test('a skill learned while serving shows up in the mirrored folder', async () => {
    const serveStore = path.join(tmp, 'serve-store');
    const project = path.join(tmp, 'serve-proj');
    child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--store', serveStore, '--sync-to', project, '--sync-agent', 'claude-code'], {
      cwd: tmp,
      env: { PATH: process.env.PATH ?? '', HOME: tmp },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not start: ${stderr}`)), 30_000);
      child!.stdout!.on('data', (d: Buffer) => {
        stdout += d.toString();
        const m = /autoskill listening on (http:\/\/\S+)/.exec(stdout);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
    });
    const dir = path.join(project, '.claude', 'skills');
    // Learned offline through the management API, as the web page does for the default user.
    const res = await fetch(`${url}/v1/autoskill/extractions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        wait: true,
        messages: [
          { role: 'user', content: 'Write a report about self-evolving agents for the government.' },
          { role: 'assistant', content: 'Here is the report ...' },
          { role: 'user', content: "Don't hallucinate, cite sources." },
        ],
      }),
    });
    expect(res.status).toBeLessThan(300);
    // the mirror writes a folder's files one by one: wait for its SKILL.md, not just the folder
    let folders: string[] = [];
    const complete = async (names: string[]): Promise<boolean> =>
      names.length > 0 && (await Promise.all(names.map((n) => readFile(path.join(dir, n, 'SKILL.md')).then(() => true, () => false)))).every(Boolean);
    for (let i = 0; i < 100 && !(await complete(folders)); i++) {
      await new Promise((r) => setTimeout(r, 100));
      folders = (await readdir(dir, { withFileTypes: true }).catch(() => [])).filter((e) => e.isDirectory()).map((e) => e.name);
    }
    expect(folders, stderr).toHaveLength(1);
    await expectSpecValid(dir);
    // the manifest is written after the folders
    for (let i = 0; i < 50 && !(await readManifest(dir)); i++) await new Promise((r) => setTimeout(r, 100));
    expect((await readManifest(dir))!.user).toBe('default');
    child.kill('SIGTERM');
    expect(await new Promise((resolve) => child!.on('exit', resolve))).toBe(0);
  }, 60_000);

  test('--sync-agent without --sync-to is a usage error', async () => {
    const r = await cli(['serve', '--port', '0', '--store', path.join(tmp, 's2'), '--sync-agent', 'codex']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/need --sync-to DIR/);
  });
});
