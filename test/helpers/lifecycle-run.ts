/**
 * TEST-ONLY orchestration shared by the lifecycle tests and bench/lifecycle.ts: where a run's
 * store comes from (a new empty store per run, or one shared SDK over the whole bank with one
 * user per run), and running whole paraphrase sets on a surface.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AutoSkill } from '../../src/engine/autoskill.js';
import { BANK } from '../fixtures/store-helpers.js';
import { openDriver, type SurfaceDriver, type SurfaceName } from './lifecycle-drivers.js';
import { phrasings, runCanonical, runStep, setupUnrelatedUser, type CanonicalResult, type ParaphraseSet, type Step, type StepResult } from './lifecycle.js';

// ------------------------------------------------------------------------------ the bank

/** Common + ConvSkill of the skill bank, imported as Common (read-only shared) libraries. */
export const BANK_LIBRARIES = ['Common', 'ConvSkill'] as const;

/** Import the bank into `dir` (about 20 s on an idle 2-core machine). Throws when an import fails wholesale. */
export async function importBank(dir: string): Promise<number> {
  // An acceptance test without its data must fail loudly, not skip: a skip would read as a pass.
  const missing = BANK_LIBRARIES.filter((l) => !existsSync(path.join(BANK, l)));
  if (missing.length) throw new Error(`skill bank not found (${missing.join(', ')} under ${BANK}); set AUTOSKILL_BANK`);
  const sdk = await AutoSkill.open({ storeDir: dir, learning: { start: false } });
  try {
    for (const library of BANK_LIBRARIES) {
      const report = await sdk.importSkills(path.join(BANK, library), { scope: 'common', library });
      if (!report.some((r) => r.status === 'imported')) throw new Error(`bank import of ${library} imported nothing`);
    }
    await sdk.settled();
    return sdk.skills.list({ admin: true }).length;
  } finally {
    await sdk.close();
  }
}

export interface TempStore {
  dir: string;
  cleanup(): Promise<void>;
}

export async function tempStore(prefix: string): Promise<TempStore> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `autoskill-lifecycle-${prefix}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export type StoreKind = 'empty' | 'bank';

export interface LifecycleStore {
  readonly kind: StoreKind;
  /** Run `fn` with a driver for `surface` over this store: a new empty store per call, or the shared bank SDK. */
  withDriver<T>(surface: SurfaceName, answer: string, fn: (d: SurfaceDriver) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Every call gets its own new, empty store: nothing else in it, not even other users' skills. */
export function emptyStores(): LifecycleStore {
  return {
    kind: 'empty',
    async withDriver(surface, answer, fn) {
      const t = await tempStore('empty');
      const sdk = await AutoSkill.open({ storeDir: t.dir });
      try {
        const d = await openDriver(surface, sdk, answer);
        try {
          return await fn(d);
        } finally {
          await d.close();
        }
      } finally {
        await sdk.close();
        await t.cleanup();
      }
    },
    close: async () => undefined,
  };
}

/**
 * One store with the whole bank (Common + ConvSkill as Common libraries), opened once; runs are
 * kept apart by their user ids (the bank is read-only to them). `dir` reuses a store already
 * holding the bank (e.g. one `bench/lifecycle.ts --keep-bank DIR` left); otherwise the bank is
 * imported into a temp dir, removed on close.
 */
export async function bankStore(dir?: string): Promise<LifecycleStore & { sdk: AutoSkill; skills: number }> {
  let temp: TempStore | undefined;
  let storeDir = dir;
  if (!storeDir) {
    temp = await tempStore('bank');
    storeDir = temp.dir;
    await importBank(storeDir);
  }
  const sdk = await AutoSkill.open({ storeDir });
  if (sdk.skills.list({ admin: true }).length < 1000) {
    await sdk.close();
    throw new Error(`${storeDir} does not hold the bank (${sdk.skills.list({ admin: true }).length} skills)`);
  }
  // Warm the index (first search loads lazily built structures) outside any measured turn.
  await sdk.search('write a report', { userId: 'warm-up', limit: 3 });
  const drivers = new Map<string, Promise<SurfaceDriver>>();
  return {
    kind: 'bank',
    sdk,
    skills: sdk.skills.list({ admin: true }).length,
    async withDriver(surface, answer, fn) {
      const key = `${surface}\u0000${answer}`;
      let d = drivers.get(key);
      if (!d) drivers.set(key, (d = openDriver(surface, sdk, answer)));
      return fn(await d);
    },
    async close() {
      for (const d of drivers.values()) await (await d).close();
      drivers.clear();
      await sdk.close();
      await temp?.cleanup();
    },
  };
}

/** A user id no other run uses (safe in a user-id and a file name). */
export function newUser(tag: string): string {
  return `${tag}-${randomUUID().slice(0, 8)}`;
}

export async function canonicalOn(store: LifecycleStore, surface: SurfaceName, set: ParaphraseSet): Promise<CanonicalResult[]> {
  return store.withDriver(surface, set.answer, (d) => runCanonical(d, set, newUser(`${surface}-${set.lang}-canon`)));
}

/** Every phrasing of `step` on `surface`; `limit` caps the phrasings (quick looks). */
export async function paraphrasesOn(store: LifecycleStore, surface: SurfaceName, set: ParaphraseSet, step: Step, limit = Infinity): Promise<StepResult[]> {
  const n = Math.min(phrasings(set, step).length, limit);
  const out: StepResult[] = [];
  if (step === 'U') {
    // One user who learned B, C and E; each unrelated request in a new conversation.
    return store.withDriver(surface, set.answer, async (d) => {
      const userId = newUser(`${surface}-${set.lang}-U`);
      const ready = await setupUnrelatedUser({ driver: d, set, userId });
      for (let i = 0; i < n; i++) {
        out.push(ready.pass ? await runStep(d, set, 'U', i, userId) : { step, phrasing: set.unrelated[i]!, pass: false, reason: ready.reason });
      }
      return out;
    });
  }
  for (let i = 0; i < n; i++) {
    out.push(await store.withDriver(surface, set.answer, (d) => runStep(d, set, step, i, newUser(`${surface}-${set.lang}-${step}${i}`))));
  }
  return out;
}
