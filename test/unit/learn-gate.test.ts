import { describe, expect, it } from 'vitest';
import { extractOffline } from '../../src/engine/learn/offline-extractor.js';
import { decide, mergeCompatible, mergeConfidence, MERGE_GATE, newSkillFrom } from '../../src/engine/learn/maintain.js';
import { MemorySkillStore } from '../helpers/memory-store.js';
import { searchBackend } from '../helpers/search-backend.js';

/**
 * The deterministic merge gate on labelled pairs (an existing skill learned from one
 * conversation, a candidate from another): same capability must pass, different must not,
 * with the real index when it exists.
 */
const cand = (request: string, rule: string) =>
  extractOffline({ userId: 'u', messages: [{ role: 'user', content: request }, { role: 'assistant', content: 'ok' }, { role: 'user', content: rule }] }).candidate!;

const PAIRS: Array<[string, string, string, string, boolean]> = [
  ['Write a report about X', "Don't hallucinate, cite sources.", 'Draft a report on Y', 'Keep it under two pages.', true],
  ['Write a report about X', "Don't hallucinate, cite sources.", 'Write a report on Z', 'Use plain text, no markdown.', true],
  ['Write a Python script to parse logs', 'Never use external libraries.', 'Write a Python script that renames files', 'Always add type hints.', true],
  ['Draft an email to my landlord', 'Never use exclamation marks.', 'Write an email to the team', 'Always sign with my first name only.', true],
  ['帮我写一份关于AI的报告', '不要幻觉，要引用来源', '起草一份政府报告', '必须注明数据来源', true],
  ['帮我写一份关于AI的报告', '不要幻觉，要引用来源', '帮我写一份年度报告', '不要使用花哨的符号', true],
  ['Write a report about X', "Don't hallucinate, cite sources.", 'Write an essay about dogs', 'Never use the passive voice.', false],
  ['Write a Python script to parse logs', 'Never use external libraries.', 'Write an essay about dogs', 'Never use the passive voice.', false],
  ['Translate this text to French', 'Always keep the original formatting.', 'Summarize the article', 'Always use three bullet points.', false],
  ['Draft an email to my landlord', 'Never use exclamation marks.', 'Write a report about sales', 'Always include a summary table.', false],
  ['帮我写一份关于AI的报告', '不要幻觉，要引用来源', '写一篇关于猫的文章', '不要用表格', false],
  ['翻译这段话成英文', '不要意译', '帮我总结这篇文章', '必须用三个要点', false],
];

describe('merge gate', () => {
  it.each(PAIRS)('%s | %s  vs  %s | %s  → same: %s', async (r1, u1, r2, u2, same) => {
    const store = new MemorySkillStore();
    const backend = await searchBackend(store);
    const existing = await store.put(newSkillFrom({ store, catalog: backend.catalog, search: backend.search }, 'u', cand(r1, u1), { ref: 'x', trigger: 'x' }));
    expect(backend.updates).toContain(`${existing.id}@${existing.version}`);
    const c = cand(r2, u2);
    const decision = await decide({ store, catalog: backend.catalog, search: backend.search }, 'u', c);
    expect(decision.action).toBe(same ? 'merge' : 'add');
    const [hit] = await backend.search(c.name + '\n' + c.description, { userId: 'u', scope: 'all', limit: 1 });
    // the gate: compatible (same task family, same standing/task class) and confident enough
    const conf = hit && mergeCompatible(c, hit.skill) ? mergeConfidence(c, hit.skill, hit.score) : 0;
    if (same) expect(conf).toBeGreaterThanOrEqual(MERGE_GATE);
    else expect(conf).toBeLessThan(MERGE_GATE);
  });
});
