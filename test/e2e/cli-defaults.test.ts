/**
 * The CLI agrees with the servers (issue #13 part 7): `list` and `search` without `--user` see the
 * user that `serve` (the web page) and `mcp` use, and a read command never turns a mistyped
 * `--store` into a new empty store. Everything goes through the built bin, as a user runs it.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BIN, REPO, REPORT_CONVERSATION, startServe, type Served } from '../helpers/mcp-fixture.js';

const run = promisify(execFile);

/** The environment of someone who set nothing: no store, no user. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, AUTOSKILL_LOG_LEVEL: 'warn', ...extra };
  for (const k of ['AUTOSKILL_STORE', 'AUTOSKILL_STORE_URL', 'AUTOSKILL_USER']) if (!(k in extra)) delete env[k];
  return env;
}

async function cli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  try {
    const r = await run(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? REPO, env: cleanEnv(opts.env) });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

type Listed = { id: string; name: string; owner: string };

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'autoskill-cli-defaults-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('one default user on every surface', () => {
  let store: string;
  let served: Served | undefined;
  let learnedId: string;

  beforeAll(async () => {
    store = path.join(tmp, 'store');
    // startServe passes the test process's environment on: make it the one of someone who set nothing.
    delete process.env.AUTOSKILL_USER;
    served = await startServe(['--store', store]);
  }, 60_000);
  afterAll(async () => {
    await served?.stop();
  });

  test('a skill learned through serve without naming a user is listed and found by the CLI without --user', async () => {
    const res = await fetch(`${served!.url}/v1/autoskill/extractions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages: REPORT_CONVERSATION, wait: true }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    // What the web page lists as "my skills" (trusted mode, no user named).
    const page = (await (await fetch(`${served!.url}/v1/autoskill/skills?scope=user`)).json()) as { data: Listed[] };
    expect(page.data).toHaveLength(1);
    learnedId = page.data[0]!.id;

    const listed = await cli(['list', '--store', store, '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const skills = JSON.parse(listed.stdout) as Listed[];
    expect(skills.find((s) => s.id === learnedId)?.owner).toBe('user:default');

    const mine = JSON.parse((await cli(['list', '--store', store, '--scope', 'user', '--json'])).stdout) as Listed[];
    expect(mine.map((s) => s.id)).toEqual(page.data.map((s) => s.id));

    const found = await cli(['search', 'write a report on the history of wind power', '--store', store, '--scope', 'user', '--json']);
    expect(found.code, found.stderr).toBe(0);
    expect((JSON.parse(found.stdout) as Listed[])[0]?.id).toBe(learnedId);
  }, 60_000);

  test('autoskill mcp without --user serves the same user', async () => {
    const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp', '--store', store], cwd: REPO, env: cleanEnv() as Record<string, string>, stderr: 'pipe' });
    const client = new Client({ name: 'cli-defaults-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      const r = (await client.callTool({ name: 'list_skills', arguments: { scope: 'user' } })) as CallToolResult & { structuredContent?: { skills: Listed[] } };
      expect(r.structuredContent!.skills.map((s) => s.id)).toEqual([learnedId]);
    } finally {
      await client.close();
    }
  }, 60_000);

  test('$AUTOSKILL_USER picks another user for list, as it does for chat and mcp', async () => {
    const other = JSON.parse((await cli(['list', '--store', store, '--scope', 'user', '--json'], { env: { AUTOSKILL_USER: 'alice' } })).stdout) as Listed[];
    expect(other).toEqual([]);
    const explicit = JSON.parse((await cli(['list', '--store', store, '--scope', 'user', '--user', 'default', '--json'], { env: { AUTOSKILL_USER: 'alice' } })).stdout) as Listed[];
    expect(explicit.map((s) => s.id)).toEqual([learnedId]);
  });
});

describe('read commands on a store that does not exist', () => {
  test('exit 1 with a clear message and create nothing', async () => {
    const missing = path.join(tmp, 'no-such-store');
    const commands: string[][] = [
      ['list', '--store', missing],
      ['list', '--store', missing, '--json'],
      ['search', 'weekly report', '--store', missing],
      ['show', 'plain-text-output', '--store', missing],
      ['export', 'plain-text-output', '--store', missing, '--format', 'md'],
      ['normalize-ids', '--store', missing],
      ['migrate', '--from', missing, '--to', path.join(tmp, 'migrate-target')],
    ];
    for (const args of commands) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toMatch(new RegExp(`^autoskill ${args[0]}: no store at ${escape(missing)}: the folder does not exist; nothing was created\\n$`));
      expect(r.stdout, args.join(' ')).toBe('');
      expect(existsSync(missing), args.join(' ')).toBe(false);
    }
    expect(existsSync(path.join(tmp, 'migrate-target'))).toBe(false);
  });

  test('the default ./Skills is not created either, and the message says how to name a store', async () => {
    const cwd = path.join(tmp, 'empty-cwd');
    await mkdir(cwd);
    const r = await cli(['list'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no store at Skills \(the default: give --store DIR or set AUTOSKILL_STORE\)/);
    expect(await readdir(cwd)).toEqual([]);
  });

  test('a file is not a store', async () => {
    const file = path.join(tmp, 'a-file');
    await writeFile(file, 'x');
    const r = await cli(['search', 'x', '--store', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no store at .*a-file: not a folder/);
  });

  test('an existing empty folder is a store with no skills (exit 0)', async () => {
    const empty = path.join(tmp, 'empty-store');
    await mkdir(empty);
    const r = await cli(['list', '--store', empty]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('0 skill(s)\n');
  });
});

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
