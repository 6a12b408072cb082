import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { AutoSkill } from '../../src/engine/autoskill.js';

/**
 * One store, both forms of the code: the TypeScript sources (this test process, as the benches'
 * and scripts' in-process stores run them) write the parse cache and the persisted index, and
 * the built package (dist/, what `autoskill serve` runs) opens the store. The built form must take
 * both caches as they are: before the caches' fingerprints followed the source text, it parsed
 * and tokenized every skill again (the bank: a 40-130 s first start at ~550 MB).
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'autoskill-forms-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function tree(n: number): Promise<string> {
  const root = path.join(dir, 'import');
  for (let i = 0; i < n; i++) {
    const folder = path.join(root, `note-${i}`);
    await mkdir(folder, { recursive: true });
    await writeFile(
      path.join(folder, 'SKILL.md'),
      `---\nname: note-${i}\ndescription: Survey notes for plot ${i} of the wetland${i}. Use when asked about wetland${i}.\n---\n\n# Goal\nWrite the plot ${i} survey.\n`,
    );
  }
  return root;
}

// Runs the built package in a child process: its index build stats and one search.
const OPEN_FROM_DIST = `
const { AutoSkill } = await import(process.argv[1]);
const { indexProbe } = await import(process.argv[2]);
const sdk = await AutoSkill.open({ storeDir: process.argv[3], learning: { start: false } });
const stats = indexProbe(sdk).buildStats;
const hits = await sdk.search('wetland7 survey', { scope: 'all', limit: 1 });
await sdk.close();
console.log(JSON.stringify({ ...stats, top: hits[0]?.skill.name }));
`;

test('a store written from the sources opens from the build without parsing or tokenizing again', async () => {
  const store = path.join(dir, 'store');
  const sdk = await AutoSkill.open({ storeDir: store, learning: { start: false } });
  const report = await sdk.importSkills(await tree(300), { scope: 'common' });
  expect(report.filter((r) => r.status === 'imported')).toHaveLength(300);
  await sdk.close();
  const loadCache = path.join(store, '.autoskill', 'cache', 'load.json');
  // the parse cache without the stat signatures an open adds once the files have settled (2 s)
  const entriesOf = async (): Promise<unknown> => {
    const { fingerprint, entries } = JSON.parse(await readFile(loadCache, 'utf8')) as { fingerprint: string; entries: Record<string, { stat?: string }> };
    return { fingerprint, entries: Object.fromEntries(Object.entries(entries).map(([k, { stat: _stat, ...e }]) => [k, e])) };
  };
  const before = await entriesOf();

  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      OPEN_FROM_DIST,
      pathToFileURL(path.join(ROOT, 'dist/index.js')).href,
      pathToFileURL(path.join(ROOT, 'dist/engine/testing.js')).href,
      store,
    ],
    { cwd: ROOT, timeout: 60_000 },
  );
  const out = JSON.parse(stdout.trim().split('\n').pop()!) as { adopted: number; tokenized: number; top?: string };
  expect(out.top).toBe('note-7');
  // every skill's index entry came from the snapshot the sources wrote
  expect(out).toMatchObject({ adopted: 300, tokenized: 0 });
  // and the parse cache is the one the sources wrote, under the same codec fingerprint: the open
  // added at most the stat signatures of files that had settled by then
  expect(await entriesOf()).toEqual(before);
});
