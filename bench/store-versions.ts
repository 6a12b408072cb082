/**
 * What picking the next version costs on each backend: store.versions(id) (versions, owners and
 * times only) against store.history(id) (every text and every file), for one skill with many
 * versions and resource files. PostgreSQL uses the test server (test/helpers/pg.ts).
 *   npx tsx bench/store-versions.ts [versions] [files] [KiB per file]
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fsBackends, memoryBackends, postgresBackends, type Backends } from '../src/engine/store/backends.js';
import { createTestDatabase } from '../test/helpers/pg.js';

const [VERSIONS, FILES, KIB] = [40, 10, 64].map((d, i) => Number(process.argv[2 + i] ?? d));

async function median(fn: () => Promise<unknown>, runs = 7): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  return ms.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

async function measure(name: string, b: Backends): Promise<void> {
  const { store } = b;
  await store.open();
  const id = randomUUID();
  const base = { id, slug: 'bench', name: 'Bench', description: 'A skill with many versions and files', instructions: 'x', triggers: [], tags: [], examples: [], owner: 'user:bench' as const, resources: [], metadata: {} };
  for (let v = 0; v < VERSIONS; v++) {
    const files: Record<string, Uint8Array> = {};
    for (let f = 0; f < FILES; f++) files[`assets/f${f}.bin`] = new Uint8Array(KIB * 1024).fill((v * 31 + f) % 251);
    await store.put({ ...base, version: `0.1.${v}`, instructions: `version ${v}` }, { files });
  }
  const history = await median(() => store.history(id));
  const versions = await median(() => store.versions(id));
  console.log(`${name.padEnd(10)} ${VERSIONS} versions × ${FILES} files × ${KIB} KiB: history() ${history.toFixed(1)} ms, versions() ${versions.toFixed(1)} ms (medians of 7)`);
  await store.close();
  await b.close();
}

const dir = await mkdtemp(path.join(tmpdir(), 'autoskill-bench-versions-'));
try {
  await measure('filesystem', fsBackends(dir));
} finally {
  await rm(dir, { recursive: true, force: true });
}
const db = await createTestDatabase('benchversions');
try {
  await measure('postgres', await postgresBackends(db.url, { poolSize: 3 }));
} finally {
  await db.drop();
}
await measure('memory', memoryBackends());
