import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BANK } from '../fixtures/store-helpers.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/autoskill.js');
const COMMON = path.join(ROOT, 'Skills/Common');
const run = promisify(execFile);

async function cli(args: string[], opts: { cwd?: string } = {}) {
  try {
    const r = await run(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? ROOT, env: { ...process.env, AUTOSKILL_STORE: '' } });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let tmp: string;
let store: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'autoskill-cli-'));
  store = path.join(tmp, 'store');
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('autoskill CLI', () => {
  test('import, list, search (text and JSON), show and export', async () => {
    const imp = await cli(['import', COMMON, '--store', store]);
    expect(imp.code).toBe(0);
    expect(imp.stdout).toMatch(/imported 5, skipped 0, errors 0/);

    const list = await cli(['list', '--store', store, '--json']);
    const skills = JSON.parse(list.stdout) as Array<{ id: string; name: string }>;
    expect(skills.map((s) => s.name)).toContain('Weekly status report');

    const search = await cli(['search', '写周报', '--store', store, '--json', '--top-k', '2']);
    expect(search.code).toBe(0);
    const hits = JSON.parse(search.stdout) as Array<{ name: string; score: number }>;
    expect(hits[0]?.name).toBe('Weekly status report');

    const text = await cli(['search', 'review my pull request for bugs', '--store', store]);
    expect(text.stdout).toMatch(/^1\. [\d.]+ {2}Code review checklist/m);

    const id = skills.find((s) => s.name === 'Plain text output')!.id;
    const show = await cli(['show', id, '--store', store]);
    expect(show.stdout).toMatch(/^---\nname: "?plain-text-output"?\n/);

    const zip = path.join(tmp, 'plain.zip');
    const exp = await cli(['export', id, '--store', store, '--format', 'zip', '--to', zip]);
    expect(exp.code).toBe(0);
    expect((await readFile(zip)).subarray(0, 2).toString()).toBe('PK');
  });

  test('validate reports spec violations and exits non-zero', async () => {
    const bad = path.join(tmp, 'bad', 'Bad_Name');
    await mkdir(bad, { recursive: true });
    await writeFile(path.join(bad, 'SKILL.md'), '---\nname: Bad_Name\nid: x\n---\n\nbody\n');
    const r = await cli(['validate', path.join(tmp, 'bad')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/name/);
    expect(r.stdout).toMatch(/description/);
    const ok = await cli(['validate', COMMON]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/5 file\(s\) checked \(default rules\): 0 with errors/);
  });

  test('normalize-ids writes deterministic ids once', async () => {
    const s2 = path.join(tmp, 'store2');
    await mkdir(path.join(s2, 'Common', 'no-id'), { recursive: true });
    await writeFile(path.join(s2, 'Common', 'no-id', 'SKILL.md'), '---\nname: no-id\ndescription: A skill without an id.\n---\n\nDo things.\n');
    const first = await cli(['normalize-ids', '--store', s2]);
    expect(first.stdout).toMatch(/wrote 1 id/);
    const again = await cli(['normalize-ids', '--store', s2]);
    expect(again.stdout).toMatch(/wrote 0 id/);
    expect(await readFile(path.join(s2, 'Common', 'no-id', 'SKILL.md'), 'utf8')).toMatch(/id: "?[0-9a-f-]{36}/);
  });

  test('extract learns from a JSONL file of conversations with the offline extractor', async () => {
    const file = path.join(tmp, 'convs.jsonl');
    const lines = [
      { messages: [{ role: 'user', content: 'Write a report about the city budget.' }, { role: 'assistant', content: 'Here is a report...' }] },
      {
        messages: [
          { role: 'user', content: 'Write a report about the city budget.' },
          { role: 'assistant', content: 'Here is a report...' },
          { role: 'user', content: "Don't hallucinate. Always cite sources for every number." },
        ],
      },
    ];
    await writeFile(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\nnot json\n');
    const r = await cli(['extract', '--from', file, '--user', 'u1', '--store', store, '--json']);
    const summary = JSON.parse(r.stdout) as { conversations: number; created: number; nothing: number; failed: number; failures: Array<{ reason: string }> };
    expect(summary.conversations).toBe(2);
    expect(summary.nothing).toBe(1);
    expect(summary.created).toBe(1);
    expect(summary.failed).toBe(1); // the broken line is reported, not dropped
    const list = JSON.parse((await cli(['list', '--store', store, '--user', 'u1', '--scope', 'user', '--json'])).stdout) as unknown[];
    expect(list).toHaveLength(1);
  });

  test('errors are one clear line with a non-zero exit', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['search'], /missing "<query>"/],
      [['search', 'x', '--scope', 'everything', '--store', store], /--scope must be/],
      [['show', 'no-such-id', '--store', store], /skill not found: no-such-id/],
      [['import', path.join(tmp, 'nope')], /not a directory/],
      [['frobnicate'], /unknown command "frobnicate"/],
      [['list', '--bogus'], /Unknown option '--bogus'/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr.trim().split('\n')[0], args.join(' ')).toMatch(message);
    }
  });

  test('imports a real bank library with resources', async () => {
    const bank = BANK;
    const src = path.join(tmp, 'superpowers');
    await cp(path.join(bank, 'Common', 'superpowers'), src, { recursive: true });
    const r = await cli(['import', src, '--store', store, '--library', 'superpowers', '--json']);
    const { counts } = JSON.parse(r.stdout) as { counts: { imported: number; error: number } };
    expect(counts.imported).toBeGreaterThan(5);
    expect(counts.error).toBe(0);
  });
});
