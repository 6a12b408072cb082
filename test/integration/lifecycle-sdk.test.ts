/**
 * Issue #12 "Done when", on the SDK facade (`retrieveForTurn` + `observeTurn`), in a new EMPTY
 * store per run: the seed lifecycle A → B → C → D → E with the canonical phrasings, and every
 * paraphrase of every step (test/fixtures/lifecycle/<lang>.json), English and Chinese:
 * >= 95% per step and language; unrelated requests never get the user's task skill.
 * The same on the whole bank: test/lifecycle-bank.test.ts. Harness: test/helpers/lifecycle.ts.
 * AUTOSKILL_LIFECYCLE_SETS=DIR runs held-out sets (DIR/en.json, DIR/zh.json, same schema) instead.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { closeFakeUpstream } from '../helpers/lifecycle-drivers.js';
import { failures, LANGS, loadParaphrases, rateOf, STEPS } from '../helpers/lifecycle.js';
import { canonicalOn, emptyStores, paraphrasesOn } from '../helpers/lifecycle-run.js';

const store = emptyStores();
afterAll(async () => {
  await store.close();
  await closeFakeUpstream();
});

describe.each(LANGS)('SDK, empty store (%s)', (lang) => {
  test('canonical lifecycle A → B → C → D → E, then an unrelated request', async () => {
    const set = await loadParaphrases(lang);
    const bad = (await canonicalOn(store, 'sdk', set)).filter((r) => !r.pass).map((r) => `${r.step}: ${r.reason}`);
    expect(bad).toEqual([]);
  });

  test.each(STEPS)('paraphrases of step %s', async (step) => {
    const set = await loadParaphrases(lang);
    const results = await paraphrasesOn(store, 'sdk', set, step);
    const rate = rateOf(results);
    const need = step === 'U' ? 1 : 0.95;
    expect(rate.rate, `${rate.passed}/${rate.total} passed; failing:\n${failures(results).join('\n')}`).toBeGreaterThanOrEqual(need);
  }, 300_000);
});
