import { describe, expect, it } from 'vitest';
import { LocalEmbedder } from '../src/engine/index/local-embedder.js';
import { containsRun, phraseTokens, SkillIndex } from '../src/engine/retrieve/search.js';
import type { Skill } from '../src/engine/skill/schema.js';
import { makeSkill } from './fixtures/store-helpers.js';

/**
 * Trigger phrases: a request that states a skill's trigger plus its own payload is a confident,
 * first-ranked match; a bag-of-words overlap with some trigger lifts the score but does not
 * reorder; scores stay sorted down the list.
 */
const mk = (id: string, name: string, description: string, triggers: string[], instructions = ''): Skill =>
  makeSkill({ id, slug: id, name, description, instructions, triggers, tags: [], owner: 'library:test' });

const SKILLS: Skill[] = [
  mk('report', 'Cited reports', 'Reports cite a source for every claim.', ['write a report', 'draft a report']),
  mk('climate', 'Climate science explainer', 'Explains climate change, emissions and policy in europe.', ['explain climate change', 'climate policy in europe']),
  mk('energy', 'Energy statistics', 'Energy and climate statistics with charts for europe.', ['energy statistics', 'climate data charts']),
  mk('poem', 'Poems', 'Writes rhyming poems.', ['write a poem', 'rhyming verse']),
  mk('zh-report', '政府报告写作', '撰写政府工作报告，不使用表格。', ['写政府报告', '起草工作报告']),
  mk('zh-climate', '气候变化科普', '解释气候变化的影响和欧洲的气候政策。', ['气候变化的影响', '欧洲气候政策']),
  ...Array.from({ length: 30 }, (_, i) => mk(`filler-${i}`, `Filler ${i}`, `Unrelated helper number ${i} for spreadsheets and invoices.`, [`make invoice ${i}`])),
];

async function index(): Promise<SkillIndex> {
  const idx = new SkillIndex({ embedder: new LocalEmbedder({ dimensions: 64 }) });
  await idx.upsert(SKILLS);
  return idx;
}

describe('phrase matching helpers', () => {
  it('reads words in order, stemmed and without stopwords; CJK as characters; mixed scripts split', () => {
    expect(phraseTokens('Writing the reports')).toEqual(phraseTokens('write a report'));
    expect(phraseTokens('用Python写爬虫')).toEqual(['用', 'python', '写', '爬', '虫']);
    expect(phraseTokens('use compute_metrics')).toEqual(['use', ...phraseTokens('compute metrics')]);
  });

  it('finds contiguous runs only', () => {
    const q = phraseTokens('please write a report about climate change');
    expect(containsRun(q, phraseTokens('write a report'))).toBe(true);
    expect(containsRun(q, phraseTokens('report write'))).toBe(false);
    expect(containsRun(q, phraseTokens('write climate'))).toBe(false);
    expect(containsRun(q, [])).toBe(false);
  });
});

describe('SkillIndex trigger phrases', () => {
  it('a stated trigger plus payload ranks its skill first with an injectable score', async () => {
    const idx = await index();
    const en = await idx.search('write a report about climate change in europe', { limit: 3 });
    expect(en[0]?.skill.id).toBe('report');
    expect(en[0]!.score).toBeGreaterThanOrEqual(0.2);
    const zh = await idx.search('写政府报告，内容是欧洲的气候和能源', { limit: 3 });
    expect(zh[0]?.skill.id).toBe('zh-report');
    expect(zh[0]!.score).toBeGreaterThanOrEqual(0.2);
  });

  it('without the phrase reordering, the payload skills would win: the reordering is what ranks it first', async () => {
    const idx = new SkillIndex({ embedder: new LocalEmbedder({ dimensions: 64 }), ranking: { triggerRankBoost: 0 } });
    await idx.upsert(SKILLS);
    const hits = await idx.search('write a report about climate change in europe', { limit: 3 });
    expect(hits[0]?.skill.id).not.toBe('report');
    // the calibration lift still applies, and scores stay sorted down the list
    const report = hits.find((h) => h.skill.id === 'report');
    expect(report?.score ?? 1).toBeGreaterThanOrEqual(0.2);
    for (let i = 1; i < hits.length; i++) expect(hits[i - 1]!.score).toBeGreaterThanOrEqual(hits[i]!.score);
  });

  it('minScore keeps a prefix of the ranking', async () => {
    const idx = await index();
    const all = await idx.search('write a report about climate change in europe', { limit: 10 });
    expect(all.length).toBeGreaterThan(2);
    const cut = all[1]!.score;
    const kept = await idx.search('write a report about climate change in europe', { limit: 10, minScore: cut });
    expect(kept.map((h) => h.skill.id)).toEqual(all.filter((h) => h.score >= cut).map((h) => h.skill.id));
    expect(kept.map((h) => h.skill.id)).toEqual(all.slice(0, kept.length).map((h) => h.skill.id));
  });
});
