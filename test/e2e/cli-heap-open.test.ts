import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';

/**
 * A long-running command's heap collects midway through opening the store (cli/heap.ts through
 * engine/open-hooks.ts): once the store is read, before the index is loaded, so the garbage of
 * the two steps never adds up in the open's peak. Observed from a listener of the same hook, run
 * right after the heap's, in a process that opens a real store with garbage lying around.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const url = (p: string) => JSON.stringify(pathToFileURL(path.join(ROOT, p)).href);
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'autoskill-heap-open-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function openWithGarbage(tune: boolean, store: string): { hooks: number; pre: number; post: number } {
  // Listeners run in the order they were added: the first drops what stands for the store load's
  // garbage, the heap's (added by tuneHeapForService) collects, the last measures.
  const script = `
    import v8 from 'node:v8';
    const { tuneHeapForService, settleHeapAfterOpen } = await import(${url('dist/cli/heap.js')});
    const { onStoreLoaded } = await import(${url('dist/engine/index.js')});
    const { AutoSkill } = await import(${url('dist/index.js')});
    let garbage = null;
    let pre = 0;
    let post = 0;
    let hooks = 0;
    onStoreLoaded(() => {
      garbage = [];
      for (let i = 0; i < 300000; i++) garbage.push({ i, s: 'skill text '.repeat(6) + i });
      garbage = null;
      pre = v8.getHeapStatistics().used_heap_size;
    });
    if (${tune}) tuneHeapForService(process.env, onStoreLoaded);
    onStoreLoaded(() => { hooks++; post = v8.getHeapStatistics().used_heap_size; });
    const sdk = await AutoSkill.open({ storeDir: ${JSON.stringify(store)}, learning: { start: false } });
    settleHeapAfterOpen();
    await sdk.close();
    console.log(JSON.stringify({ hooks, pre, post }));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  return JSON.parse(out.trim().split('\n').pop()!) as { hooks: number; pre: number; post: number };
}

test('a tuned process collects once the store is read, before the index load; others are left alone', () => {
  const tuned = openWithGarbage(true, path.join(dir, 'a'));
  expect(tuned.hooks).toBe(1);
  expect(tuned.post).toBeLessThan(tuned.pre * 0.6);
  const plain = openWithGarbage(false, path.join(dir, 'b'));
  expect(plain.hooks).toBe(1);
  expect(plain.post).toBeGreaterThan(plain.pre * 0.9);
});
