import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRIEVAL } from '../../src/engine/autoskill.js';
import { LocalEmbedder } from '../../src/engine/index/local-embedder.js';
import { containsRun, phraseTokens, SkillIndex } from '../../src/engine/index/skill-index.js';
import type { Skill } from '../../src/engine/skill/schema.js';
import { makeSkill } from '../fixtures/store-helpers.js';

/**
 * Trigger phrases: a request that states a skill's trigger plus its own payload is a confident,
 * first-ranked match; the lift belongs to that hit alone; scores stay sorted down the list.
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
  it('a stated trigger plus payload gets its skill injected, ahead of skills that only share the payload', async () => {
    const idx = await index();
    // "climate change in europe" is most of this request, so the climate explainer may rank first;
    // the report skill must be injected with it, above the skills that only share a word or two.
    const en = await idx.search('write a report about climate change in europe', { limit: 3 });
    const report = en.findIndex((h) => h.skill.id === 'report');
    expect(report).toBeGreaterThanOrEqual(0);
    expect(report).toBeLessThanOrEqual(1);
    expect(en[report]!.score).toBeGreaterThanOrEqual(DEFAULT_RETRIEVAL.minScore);
    const zh = await idx.search('写政府报告，内容是欧洲的气候和能源', { limit: 3 });
    const zhReport = zh.findIndex((h) => h.skill.id === 'zh-report');
    expect(zhReport).toBeGreaterThanOrEqual(0);
    expect(zhReport).toBeLessThanOrEqual(1);
    expect(zh[zhReport]!.score).toBeGreaterThanOrEqual(DEFAULT_RETRIEVAL.minScore);
  });

  it('the stated trigger lifts only its own hit: scores stay sorted and each equals the skill\'s score alone', async () => {
    const idx = await index();
    const q = 'write a report about climate change in europe';
    const hits = await idx.search(q, { limit: 5 });
    for (let i = 1; i < hits.length; i++) expect(hits[i - 1]!.score).toBeGreaterThanOrEqual(hits[i]!.score);
    for (const h of hits) {
      const solo = new SkillIndex({ embedder: new LocalEmbedder({ dimensions: 64 }) });
      await solo.upsert([SKILLS.find((s) => s.id === h.skill.id)!]);
      expect((await solo.search(q, { limit: 1 }))[0]?.score).toBe(h.score);
    }
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

describe('SkillIndex rerank pool', () => {
  it('a stated trigger reaches the pool by its head fields when a long payload fills the BM25 top', async () => {
    // the payload's words fill the bodies of many skills, so BM25 ranks them above the skill whose
    // name and trigger the request states; the head-coverage cut-off still brings that skill in
    const payload = 'roman empire senate legions emperors aqueducts';
    const crowd = Array.from({ length: 12 }, (_, i) =>
      mk(`history-${i}`, `History helper ${i}`, `Notes helper ${i}.`, [`history notes ${i}`], `${payload} ${payload} ${payload} volume ${i}`),
    );
    const target = mk('rebuttal', 'Rebuttal letters', 'Rebuttal letters answer reviewers point by point.', ['write a rebuttal letter']);
    const idx = new SkillIndex({ embedder: new LocalEmbedder({ dimensions: 64 }), ranking: { rerankDepth: 4, headRerankDepth: 2 } });
    await idx.upsert([...crowd, target]);
    const hits = await idx.search(`write a rebuttal letter about the ${payload}`, { scope: 'all', limit: 1 });
    expect(hits[0]?.skill.id).toBe('rebuttal');
  });
});
