/**
 * Time FsSkillStore.open() on the full skill bank, then the whole SDK open (store + index) with
 * and without the index caches. The bank is copied to a temp store first
 * (never written in place): Users/ and Common/ as they are, ConvSkill/ as the grouped library
 * Common/ConvSkill/ so that all 5,188 SKILL.md files are in the store layout.
 *   npx tsx bench/store-open.ts [bankDir]
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AutoSkill } from '../src/index.js';
import { FsSkillStore } from '../src/engine/store/fs/store.js';

const bank = process.argv[2] ?? process.env.AUTOSKILL_BANK ?? path.resolve(import.meta.dirname, '../../shared/data/skillbank');

async function main(): Promise<void> {
  const root = await mkdtemp(path.join(tmpdir(), 'autoskill-bench-store-'));
  try {
    await cp(path.join(bank, 'Users'), path.join(root, 'Users'), { recursive: true });
    await cp(path.join(bank, 'Common'), path.join(root, 'Common'), { recursive: true });
    await cp(path.join(bank, 'ConvSkill'), path.join(root, 'Common', 'ConvSkill'), { recursive: true });
    const runs: number[] = [];
    const cpu: number[] = [];
    let store: FsSkillStore | undefined;
    for (let i = 0; i < 5; i++) {
      store = new FsSkillStore({ root });
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      await store.open();
      runs.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
      await store.close();
    }
    const s = store!;
    const sorted = [...runs].sort((a, b) => a - b);
    console.log(JSON.stringify({
      skills: (await s.list()).length,
      loadErrors: s.loadErrors.length,
      errors: s.loadErrors.map((e) => `${path.relative(root, e.path)}: ${e.reason}`),
      openMs: runs.map((r) => Math.round(r)),
      cpuMs: cpu.map((r) => Math.round(r)),
      medianMs: Math.round(sorted[Math.floor(sorted.length / 2)]!),
      firstMs: Math.round(runs[0]!),
    }, null, 1));
    // one write on the loaded store, for scale
    const one = (await s.list())[0]!;
    await s.open();
    const t0 = performance.now();
    await s.put({ ...one, version: '99.0.0' });
    console.log(JSON.stringify({ putMs: Math.round(performance.now() - t0) }));

    // The SDK open: store + index (persisted lexical index and vectors). The first open after
    // deleting the index caches builds them; the next ones read them.
    await rm(path.join(root, 'vectors'), { recursive: true, force: true });
    await rm(path.join(root, '.autoskill', 'cache', 'index.bin'), { force: true });
    const sdkRuns: Array<{ wallMs: number; cpuMs: number }> = [];
    for (let i = 0; i < 4; i++) {
      const t = performance.now();
      const c0 = process.cpuUsage();
      const sdk = await AutoSkill.open({ storeDir: root, learning: { start: false } });
      await sdk.search('write a weekly status report', { scope: 'all', limit: 5 });
      const c = process.cpuUsage(c0);
      sdkRuns.push({ wallMs: Math.round(performance.now() - t), cpuMs: Math.round((c.user + c.system) / 1000) });
      await sdk.close();
    }
    const cached = sdkRuns.slice(1).map((r) => r.wallMs).sort((a, b) => a - b);
    console.log(JSON.stringify({ sdkOpenToFirstSearch: sdkRuns, buildMs: sdkRuns[0]!.wallMs, cachedMedianMs: cached[1] }));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

void main();
