/**
 * Issue #12 "Done when", on every surface other than the SDK facade, in a new EMPTY store per run:
 * the canonical seed lifecycle (A → B → C → D → E, then an unrelated request) in English and
 * Chinese through the proxy (express app + official `openai` client + fake upstream), the AI SDK
 * middleware (`MockLanguageModelV4`), the LangChain runnable (fake chat model) and MCP (official
 * client: `search_skills` + `extract_now`), reading what the model received; the unrelated
 * requests on each of them; and the whole paraphrase sets through the proxy. The whole bank:
 * test/lifecycle-bank.test.ts.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { closeFakeUpstream, SURFACES } from '../helpers/lifecycle-drivers.js';
import { failures, LANGS, loadParaphrases, rateOf, STEPS } from '../helpers/lifecycle.js';
import { canonicalOn, emptyStores, paraphrasesOn } from '../helpers/lifecycle-run.js';

const store = emptyStores();
afterAll(async () => {
  await store.close();
  await closeFakeUpstream();
});

const others = SURFACES.filter((s) => s !== 'sdk');

describe.each(others)('%s, empty store', (surface) => {
  test.each(LANGS)('canonical lifecycle A → B → C → D → E, then an unrelated request (%s)', async (lang) => {
    const set = await loadParaphrases(lang);
    const bad = (await canonicalOn(store, surface, set)).filter((r) => !r.pass).map((r) => `${r.step}: ${r.reason}`);
    expect(bad).toEqual([]);
  });
});

// Injection policy is per surface (MCP renders its own tool result), so every surface gets the
// whole unrelated set: none of the user's task skills may reach the model for any of them.
describe.each(others)('%s, empty store, unrelated requests', (surface) => {
  test.each(LANGS)('%s', async (lang) => {
    const set = await loadParaphrases(lang);
    const results = await paraphrasesOn(store, surface, set, 'U');
    const rate = rateOf(results);
    expect(rate.rate, `${rate.passed}/${rate.total} passed; failing:\n${failures(results).join('\n')}`).toBe(1);
  }, 300_000);
});

describe.each(LANGS)('proxy, empty store, paraphrases (%s)', (lang) => {
  test.each(STEPS)('step %s', async (step) => {
    const set = await loadParaphrases(lang);
    const results = await paraphrasesOn(store, 'proxy', set, step);
    const rate = rateOf(results);
    expect(rate.rate, `${rate.passed}/${rate.total} passed; failing:\n${failures(results).join('\n')}`).toBeGreaterThanOrEqual(step === 'U' ? 1 : 0.95);
  }, 300_000);
});
