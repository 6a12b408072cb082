import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { FsVectorStore } from '../../src/engine/index/fs-vector-store.js';

/** settle() folds slice-by-slice saves into the snapshot: the next load has no log to parse, same rows. */
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'autoskill-vsettle-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const row = (i: number) => ({ id: `s${i}`, hash: `h${i}`, vector: Float32Array.from({ length: 8 }, (_, k) => Math.sin(i * 8 + k)) });

test('settle compacts a log of incremental saves and loses nothing', async () => {
  const vs = new FsVectorStore(dir);
  const rows = Array.from({ length: 300 }, (_, i) => row(i));
  for (let i = 0; i < rows.length; i += 100) await vs.save('sig', 8, rows.slice(i, i + 100), []);
  const log = path.join(vs.dir, `${FsVectorStore.fileStem('sig')}.log`);
  expect((await stat(log)).size).toBeGreaterThan(0);
  await vs.settle('sig');
  expect((await stat(log).catch(() => ({ size: 0 }))).size).toBe(0);
  const loaded = await new FsVectorStore(dir).load('sig');
  expect(loaded?.entries.size).toBe(300);
  for (const r of rows) expect(loaded?.entries.get(r.id)).toEqual({ hash: r.hash, vector: r.vector });
  // a short log is left alone
  await vs.save('sig', 8, [row(1000)], []);
  await vs.settle('sig');
  expect((await stat(log)).size).toBeGreaterThan(0);
});
