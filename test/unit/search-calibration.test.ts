import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AutoSkill, DEFAULT_RETRIEVAL } from '../../src/engine/autoskill.js';
import { BACKGROUND_URL, defaultBackground } from '../../src/engine/index/background.js';
import { LocalEmbedder } from '../../src/engine/index/local-embedder.js';
import { scriptOf } from '../../src/engine/retrieve/calibration.js';
import { questionForm, remarkForm } from '../../src/engine/retrieve/query-form.js';
import { SkillIndex } from '../../src/engine/index/skill-index.js';
import type { Skill } from '../../src/engine/skill/schema.js';
import { makeSkill } from '../fixtures/store-helpers.js';

/**
 * Scores mean the same at any store size and for every user (issue #12, part 1): statistics come
 * from the shipped background table, the score is a calibrated probability, ranking follows it,
 * and search() does not cut at the injection threshold unless asked.
 */

const mk = (id: string, owner: Skill['owner'], name: string, description: string, triggers: string[], instructions = ''): Skill =>
  makeSkill({ id, slug: id, owner, name, description, triggers, instructions, tags: [] });

const OTHERS: Skill[] = [
  mk('b-climate', 'user:bob', 'Climate science explainer', 'Explains climate change, emissions and policy in europe.', ['explain climate change']),
  mk('b-report', 'user:bob', 'Quarterly report tables', 'Quarterly business reports with tables and charts.', ['quarterly report', 'write a business report']),
  mk('b-poem', 'user:bob', 'Poems', 'Writes rhyming poems.', ['write a poem']),
  mk('lib-energy', 'library:test', 'Energy statistics', 'Energy and climate statistics with charts for europe.', ['energy statistics']),
  ...Array.from({ length: 40 }, (_, i) =>
    mk(`b-filler-${i}`, 'user:bob', `Invoice helper ${i}`, `Report numbers for invoices and spreadsheets, variant ${i}.`, [`make invoice ${i}`, 'report totals']),
  ),
];

const MINE = mk('a-report', 'user:alice', 'report-citations', 'Use when writing reports: cite sources and do not invent facts.', ['write a report', 'report', '写报告', '报告'], '- Cite a source for every factual claim.\n- Do not invent facts.');

async function indexOf(skills: Skill[]): Promise<SkillIndex> {
  const idx = new SkillIndex({ embedder: new LocalEmbedder({ dimensions: 64 }) });
  await idx.upsert(skills);
  return idx;
}

const QUERIES = ['write a report about coffee exports', 'quarterly report', 'report', '帮我写一份关于咖啡出口的报告', 'explain climate change in europe'];

describe('store-independent scores', () => {
  it("a (query, skill) score is the same alone, next to other users' skills, and after they add more", async () => {
    const alone = await indexOf([MINE]);
    const crowded = await indexOf([MINE, ...OTHERS.slice(0, 4)]);
    const grown = await indexOf([MINE, ...OTHERS.slice(0, 4)]);
    await grown.upsert(OTHERS.slice(4));
    for (const q of QUERIES) {
      const [a] = await alone.search(q, { userId: 'alice', limit: 1 });
      const [b] = await crowded.search(q, { userId: 'alice', scope: 'user', limit: 1 });
      const [c] = await grown.search(q, { userId: 'alice', scope: 'user', limit: 1 });
      if (q.includes('report') || q.includes('报告')) expect(a?.skill.id).toBe('a-report');
      expect(b?.score).toBe(a?.score);
      expect(c?.score).toBe(a?.score);
    }
  });

  it('removing skills leaves the remaining scores unchanged', async () => {
    const idx = await indexOf([MINE, ...OTHERS]);
    const before = await idx.search('write a report', { userId: 'alice', scope: 'user', limit: 1 });
    await idx.remove(OTHERS.map((s) => s.id));
    const after = await idx.search('write a report', { userId: 'alice', scope: 'user', limit: 1 });
    expect(after[0]?.score).toBe(before[0]!.score);
  });

  it('every hit reports its own score: a lifted hit lends nothing to the hits above it, and scores never increase down the list', async () => {
    const all = [MINE, ...OTHERS];
    const idx = await indexOf(all);
    for (const q of ['write a report about climate change in europe', 'report totals for invoices', 'poem', 'quarterly report']) {
      const hits = await idx.search(q, { userId: 'bob', limit: 10 });
      expect(hits.length).toBeGreaterThan(0);
      for (let i = 1; i < hits.length; i++) expect(hits[i - 1]!.score).toBeGreaterThanOrEqual(hits[i]!.score);
      for (const h of hits.slice(0, 5)) {
        const solo = await indexOf([all.find((s) => s.id === h.skill.id)!]);
        const [own] = await solo.search(q, { userId: 'bob', limit: 1 });
        expect(own?.score).toBe(h.score);
      }
    }
  });

  it('the background table ships with the package and defines an idf for unseen terms', () => {
    const bg = defaultBackground();
    expect(BACKGROUND_URL.pathname.endsWith('/data/background-v1.json.gz')).toBe(true);
    expect(bg.n).toBeGreaterThan(1000);
    expect(bg.termCount).toBeGreaterThan(1000);
    expect(bg.idf('zzqxunseenterm')).toBeGreaterThan(bg.idf('report'));
    expect(Number.isFinite(bg.idf('zzqxunseenterm'))).toBe(true);
    expect(bg.avgLen(0)).toBeGreaterThan(0);
  });

  it('tells Latin from CJK queries', () => {
    expect(scriptOf('write a report')).toBe('latin');
    expect(scriptOf('帮我写一份报告')).toBe('cjk');
    expect(scriptOf('用Python写一个爬虫')).toBe('cjk');
    expect(scriptOf('explain the 中 character in Python code')).toBe('latin');
  });
});

describe('a small learned skill reaches the next request (AutoSkill facade, temp store)', () => {
  let dir: string;
  let sdk: AutoSkill;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'autoskill-cal-'));
    sdk = await AutoSkill.open({ storeDir: dir, learning: { start: false } });
  });
  afterEach(async () => {
    await sdk.close();
    await rm(dir, { recursive: true, force: true });
  });

  const learned = {
    name: 'report-citations',
    description: 'Use when writing reports: cite sources and do not invent facts.',
    instructions: '- Cite a source for every factual claim.\n- Do not invent facts, numbers or quotes.',
    triggers: ['write a report', 'report', '写报告', '报告'],
    tags: [],
  };

  const RELATED = [
    'Please write a report on coffee exports',
    'Can you draft a short report about EV sales in Norway?',
    'Put together a quarterly report for our board',
    '帮我写一份关于咖啡出口的报告',
    '写一份新能源汽车销量报告',
    '给我整理一个关于房地产市场的分析报告',
  ];
  const UNRELATED = ['plan a trip to Rome', 'what is 17*23', '讲个笑话', 'tell me a joke', 'how do I boil an egg?', '今天天气怎么样', '写一首关于秋天的诗'];

  it('natural requests in English and Chinese pass the injection threshold; unrelated ones do not', async () => {
    const skill = await sdk.upsert(learned, { actor: { userId: 'alice' } });
    expect(sdk.retrievalDefaults.minScore).toBe(DEFAULT_RETRIEVAL.minScore);
    for (const q of RELATED) {
      const turn = await sdk.retrieveForTurn([{ role: 'user', content: q }], { userId: 'alice' });
      expect(turn.hits.map((h) => h.skill.id), q).toContain(skill.id);
      expect(turn.context?.text ?? '', q).toContain('Cite a source');
    }
    for (const q of UNRELATED) {
      const turn = await sdk.retrieveForTurn([{ role: 'user', content: q }], { userId: 'alice' });
      expect(turn.hits, q).toEqual([]);
    }
  });

  it('search() ranks without the injection threshold and cuts only at an explicit minScore', async () => {
    await sdk.upsert(
      { name: 'report-writing-policy', description: 'Write reports with verified facts and cited sources, in plain text.', instructions: 'Verify facts.', triggers: [], tags: [] },
      { actor: { userId: 'alice' } },
    );
    const hits = await sdk.search('write a report', { userId: 'alice' });
    expect(hits.map((h) => h.skill.name)).toEqual(['report-writing-policy']);
    // a weak match is still listed, with its (low) score
    const weak = await sdk.search('facts', { userId: 'alice' });
    expect(weak).toHaveLength(1);
    expect(weak[0]!.score).toBeLessThan(DEFAULT_RETRIEVAL.minScore);
    expect(await sdk.search('facts', { userId: 'alice', minScore: DEFAULT_RETRIEVAL.minScore })).toEqual([]);
  });
});

describe('one-letter names are searchable', () => {
  it('finds the R skill for "R language" and tells C++ from C#', async () => {
    const idx = await indexOf([
      mk('r', 'library:test', 'Statistics in R', 'Write R scripts for statistics with ggplot2.', ['r script', 'R language']),
      mk('cpp', 'library:test', 'Modern C++', 'Write C++ code with templates and RAII.', ['c++ code']),
      mk('cs', 'library:test', 'C# services', 'Write C# services with async and LINQ.', ['c# code']),
      mk('py', 'library:test', 'Python scripts', 'Write Python scripts for statistics.', ['python script']),
    ]);
    expect((await idx.search('R language statistics', { limit: 1 }))[0]?.skill.id).toBe('r');
    expect((await idx.search('C++ code', { limit: 1 }))[0]?.skill.id).toBe('cpp');
    expect((await idx.search('C# code', { limit: 1 }))[0]?.skill.id).toBe('cs');
  });
});

describe('a shared word is not a shared task (query form, uncovered words, function words)', () => {
  it('tells information questions and remarks from requests, in English and Chinese', () => {
    for (const q of ['how many moons does Jupiter have?', 'who built the Colosseum?', 'is a peanut a nut?', 'should I repaint the fence?', '长江有多长', '企鹅会飞吗', '谁发明了印刷术']) {
      expect(questionForm(q), q).toBe(1);
    }
    // requests, even in question form, and how-tos are not information questions
    for (const q of ['can you write a report on tea?', 'could you plan my week?', 'how to mock a function in gtest', 'how do I deploy to AWS', '能写一份可可价格的报告吗？', '帮我看看这段代码有什么问题', 'write a poem']) {
      expect(questionForm(q), q).toBe(0);
    }
    for (const q of ['I just bought a bicycle', 'my brother moved to Lisbon', 'it is snowing in Oslo', '我昨天去爬山了', '今天加班到很晚']) expect(remarkForm(q), q).toBe(1);
    for (const q of ["I'd like a report about tea exports", 'I need a cover letter for a barista job', 'my reports need sources, please', '我想要一份市场报告', '我需要一份周报']) {
      expect(remarkForm(q), q).toBe(0);
    }
  });

  const plan = mk('plan', 'library:test', 'Cycling training plan', 'Builds a weekly cycling training plan for a race.', ['cycling training plan', 'plan my bike training'], 'Ask about the race date and weekly hours.');
  const zhPlan = mk('zh-plan', 'library:test', '骑行训练计划', '为比赛制定每周骑行训练计划。', ['骑行训练计划', '帮我安排骑车训练'], '先问比赛日期和每周可用时间。');

  it('a question or a remark that shares the topic word stays below the injection threshold; the task request clears it', async () => {
    const idx = await indexOf([plan, zhPlan]);
    const score = async (q: string, id: string): Promise<number> => (await idx.search(q, { filters: { ids: [id] }, limit: 1 }))[0]?.score ?? 0;
    expect(await score('make me a cycling training plan for my spring race', 'plan')).toBeGreaterThanOrEqual(DEFAULT_RETRIEVAL.minScore);
    expect(await score('帮我做一个春季比赛的骑行训练计划', 'zh-plan')).toBeGreaterThanOrEqual(DEFAULT_RETRIEVAL.minScore);
    for (const q of ['how many gears does a racing bicycle have?', 'I went cycling with my dad yesterday', 'who won the first Tour de France cycling race?']) {
      expect(await score(q, 'plan'), q).toBeLessThan(DEFAULT_RETRIEVAL.minScore);
    }
    for (const q of ['环法自行车赛第一届冠军是谁', '我昨天和爸爸去骑行了']) expect(await score(q, 'zh-plan'), q).toBeLessThan(DEFAULT_RETRIEVAL.minScore);
  });

  it('an acknowledgement is no evidence, even for a skill whose text contains it', async () => {
    const idx = await indexOf([mk('ack', 'library:test', '消息确认助手', '用户说收到或明白了时，总结待办事项。', ['确认消息'])]);
    expect(await idx.search('收到', { limit: 3 })).toEqual([]);
    for (const q of ['明白了', '算了', 'alright, gotcha']) {
      for (const h of await idx.search(q, { limit: 3 })) expect(h.score, q).toBeLessThan(DEFAULT_RETRIEVAL.minScore);
    }
    // "继续" after an answer asks for more of it; it names no skill's task
    const more = await indexOf([mk('more', 'library:test', '继续写小说', '用户说继续时，接着上一章继续写小说情节。', ['继续写', '接着写下一章'])]);
    for (const h of await more.search('继续', { limit: 3 })) expect(h.score).toBeLessThan(DEFAULT_RETRIEVAL.minScore);
  });

  it('a one-word trigger with its stopwords is stated only as a whole ("now do" is not in "right now")', async () => {
    const idx = await indexOf([mk('sv', 'user:alice', 'Danish to Swedish', 'Translate Danish text to Swedish.', ['danish to swedish', 'now do'])]);
    const [hit] = await idx.evidence('what time is it in Tokyo right now?', { userId: 'alice', limit: 1 });
    expect(hit?.evidence.triggerStated ?? 0).toBe(0);
    const [stated] = await idx.evidence('now do the next paragraph', { userId: 'alice', limit: 1 });
    expect(stated?.evidence.triggerStated).toBe(1);
  });

  it("a shared library's one-word trigger is a topic, not a stated task; its multi-word triggers are", async () => {
    const idx = await indexOf([mk('moon', 'library:test', 'Moon roleplay', 'Roleplay as a moon princess.', ['banana', 'play the moon princess'])]);
    const [topic] = await idx.evidence('How many calories are in a banana?', { limit: 1 });
    expect(topic?.evidence.triggerStated ?? 0).toBe(0);
    const [stated] = await idx.evidence('please play the moon princess for me', { limit: 1 });
    expect(stated?.evidence.triggerStated).toBe(1);
  });
});
