/**
 * The lifecycle harness itself (test/helpers/lifecycle.ts): its paraphrase sets are well formed,
 * large enough and not taken from web_sessions, and it can fail: a surface that learns nothing,
 * one whose model never sees the skills, and one that leaks a task skill into every request are
 * each caught by the step that should catch them.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { AutoSkill } from '../../src/engine/autoskill.js';
import { BANK } from '../fixtures/store-helpers.js';
import { openDriver, type SurfaceDriver } from '../helpers/lifecycle-drivers.js';
import { LANGS, loadParaphrases, ParaphraseSetSchema, runCanonical, runStep, setupUnrelatedUser, type ParaphraseSet } from '../helpers/lifecycle.js';
import { newUser, tempStore } from '../helpers/lifecycle-run.js';

describe('paraphrase sets', () => {
  test.each(LANGS)('%s: at least 20 per step, 40 unrelated requests, no duplicates', async (lang) => {
    const set = await loadParaphrases(lang);
    for (const items of Object.values(set.steps)) expect(items.length).toBeGreaterThanOrEqual(20);
    expect(set.unrelated.length).toBeGreaterThanOrEqual(40);
    const all = [...Object.values(set.steps).flatMap((items) => items.map((i) => i.turns.join('\n'))), ...set.unrelated];
    expect(new Set(all).size).toBe(all.length);
  });

  test('none of the phrasings comes from web_sessions', async () => {
    const dir = path.join(BANK, 'web_sessions');
    const texts = new Set<string>();
    const walk = (v: unknown): void => {
      if (typeof v === 'string') texts.add(v.trim());
      else if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    for (const f of (await readdir(dir)).filter((f) => f.endsWith('.json'))) walk(JSON.parse(await readFile(path.join(dir, f), 'utf8')));
    expect(texts.size).toBeGreaterThan(100);
    for (const lang of LANGS) {
      const set = await loadParaphrases(lang);
      const mine = [...Object.values(set.steps).flatMap((items) => items.flatMap((i) => i.turns)), ...set.unrelated];
      expect(mine.filter((t) => texts.has(t.trim()))).toEqual([]);
    }
  });

  test('the schema refuses a short set and a broken check', async () => {
    const set = await loadParaphrases('en');
    expect(ParaphraseSetSchema.safeParse({ ...set, steps: { ...set.steps, D: set.steps.D.slice(0, 19) } }).success).toBe(false);
    expect(ParaphraseSetSchema.safeParse({ ...set, checks: { ...set.checks, B: '(' } }).success).toBe(false);
    expect(ParaphraseSetSchema.safeParse({ ...set, unrelated: set.unrelated.slice(0, 39) }).success).toBe(false);
  });
});

describe('the harness fails broken surfaces', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of cleanups) await c();
  });

  async function sdkDriver(set: ParaphraseSet, opts: Parameters<typeof AutoSkill.open>[0] = {}): Promise<SurfaceDriver> {
    const t = await tempStore('harness');
    const sdk = await AutoSkill.open({ storeDir: t.dir, ...opts });
    cleanups.push(async () => {
      await sdk.close();
      await t.cleanup();
    });
    return openDriver('sdk', sdk, set.answer);
  }

  test('a surface that never learns fails B, C, D and E', async () => {
    const set = await loadParaphrases('en');
    const d = await sdkDriver(set, { learning: { mode: 'never' } });
    const failed = (await runCanonical(d, set, newUser('never'))).filter((r) => !r.pass).map((r) => r.step);
    expect(failed).toEqual(expect.arrayContaining(['B', 'C', 'D', 'E']));
  });

  test('a model that never receives the skills fails D and E', async () => {
    const set = await loadParaphrases('zh');
    const real = await sdkDriver(set);
    const blind: SurfaceDriver = { ...real, turn: async (...args) => ({ text: (await real.turn(...args)) && '' }) };
    const results = await runCanonical(blind, set, newUser('blind'));
    expect(results.filter((r) => !r.pass).map((r) => r.step)).toEqual(expect.arrayContaining(['D', 'E']));
  });

  test('a surface that sends a task skill with every request fails the unrelated requests', async () => {
    const set = await loadParaphrases('en');
    const real = await sdkDriver(set);
    const leaky: SurfaceDriver = {
      ...real,
      turn: async (userId, sessionId, messages) => {
        const seen = await real.turn(userId, sessionId, messages);
        const mine = real.sdk.list({ userId, scope: 'user' }).map((s) => `- id: ${s.id}`);
        return { text: [seen.text, ...mine].join('\n') };
      },
    };
    const user = newUser('leaky');
    expect((await setupUnrelatedUser({ driver: leaky, set, userId: user })).pass).toBe(true);
    const r = await runStep(leaky, set, 'U', 3, user);
    expect(r).toMatchObject({ pass: false, reason: expect.stringMatching(/task skill injected/) });
  });
});
