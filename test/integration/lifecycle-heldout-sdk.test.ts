/**
 * Issue #12, "for phrasings that are not in your tests": the two paraphrase sets written by other
 * authors against the finished engine (bench/heldout-lifecycle: a second author; bench/
 * heldout-lifecycle-3: a red team writing long, hedged, texting-style, mixed-language and
 * synonym phrasings), run through the SDK in an empty store like test/integration/lifecycle-sdk.
 * Kept as a regression guard: nothing in the engine is tuned to a single one of their phrasings.
 */
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { closeFakeUpstream } from '../helpers/lifecycle-drivers.js';
import { failures, LANGS, loadParaphrases, rateOf, STEPS } from '../helpers/lifecycle.js';
import { emptyStores, paraphrasesOn } from '../helpers/lifecycle-run.js';

const SETS = ['heldout-lifecycle', 'heldout-lifecycle-3'].map((d) => path.resolve(import.meta.dirname, '../../bench', d));

const store = emptyStores();
afterAll(async () => {
  await store.close();
  await closeFakeUpstream();
});

describe.each(SETS.flatMap((dir) => LANGS.map((lang) => [path.basename(dir), lang, dir] as const)))('SDK, empty store, %s (%s)', (_name, lang, dir) => {
  test.each(STEPS)('step %s', async (step) => {
    const set = await loadParaphrases(lang, dir);
    const results = await paraphrasesOn(store, 'sdk', set, step);
    const rate = rateOf(results);
    const need = step === 'U' ? 1 : 0.95;
    expect(rate.rate, `${rate.passed}/${rate.total} passed; failing:\n${failures(results).join('\n')}`).toBeGreaterThanOrEqual(need);
  }, 300_000);
});
