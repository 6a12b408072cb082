import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

/**
 * The README's "Use it from code" snippet runs as printed against the package root, in its own
 * process (tsx, as a user's script would run). Only what the README leaves to the reader is
 * filled in: `'autoskill'` resolves to this checkout's src/index.ts, and `path/to/skills` is the
 * shipped Common library. Two lines are appended to show what the snippet produced.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/tsx/dist/cli.mjs');
const run = promisify(execFile);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'autoskill-readme-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function snippet(): Promise<string> {
  const readme = await readFile(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Use it from code'));
  const block = /```ts\n([\s\S]*?)```/.exec(section);
  expect(block, 'README.md has a ts block under "## Use it from code"').not.toBeNull();
  return block![1]!;
}

describe('README: use it from code', () => {
  test('the snippet imports from the package root, opens a store, imports, searches and renders', async () => {
    const code = await snippet();
    expect(code).toContain("from 'autoskill'");
    expect(code).toContain("'path/to/skills'");
    const runnable =
      code.replace("from 'autoskill'", `from ${JSON.stringify(path.join(ROOT, 'src/index.ts'))}`).replace("'path/to/skills'", JSON.stringify(path.join(ROOT, 'Skills/Common'))) +
      '\nconsole.log(JSON.stringify({ hits: hits.map((h) => h.skill.name), chars: text.length }));\n';
    // .mts: an ES module, as in a project with "type": "module" (the snippet uses top-level await)
    const file = path.join(dir, 'snippet.mts');
    await writeFile(file, runnable);
    const { stdout } = await run(process.execPath, [TSX, file], { cwd: dir, timeout: 120_000 });
    const out = JSON.parse(stdout.trim().split('\n').at(-1)!) as { hits: string[]; chars: number };
    expect(out.hits.length).toBeGreaterThan(0);
    expect(out.hits.length).toBeLessThanOrEqual(3);
    expect(out.chars).toBeGreaterThan(0);
    expect(out.chars).toBeLessThanOrEqual(4000);
  }, 180_000);
});
