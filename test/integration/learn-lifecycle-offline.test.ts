import { describe, expect, it } from 'vitest';
import type { AutoSkill } from '../../src/engine/autoskill.js';
import type { ExtractJobResult } from '../../src/engine/learn/learner.js';
import type { ChatMessage } from '../../src/engine/ports/chat.js';
import { parsePrompt } from '../../src/engine/learn/sections.js';
import { isStanding } from '../../src/engine/skill/standing.js';
import { useTempSdk } from '../helpers/feedback-turns.js';

/**
 * The seed lifecycle through the SDK with the offline extractor (no model), in English and
 * Chinese, each step in several phrasings written for this test (none taken from web_sessions):
 *   A: a one-off task → nothing learned
 *   B: "don't make things up" feedback after an answer → a task skill v0.1.0 for that family
 *   C: a new constraint for the same task family, in a later conversation → v0.1.1 of the SAME skill
 *   E: a standing preference → a skill marked `applies: always`
 * plus rules stated in the first message of a conversation (no answer yet).
 */

const open = useTempSdk('autoskill-lifecycle-');

async function extract(s: AutoSkill, user: string, messages: ChatMessage[]): Promise<ExtractJobResult> {
  const job = await s.extractNow(user, messages, { wait: true });
  expect(job.state).toBe('completed');
  return job.result as ExtractJobResult;
}

const turn = (request: string, answer: string, feedback?: string): ChatMessage[] => [
  { role: 'user', content: request },
  { role: 'assistant', content: answer },
  ...(feedback ? [{ role: 'user' as const, content: feedback }] : []),
];

interface Case {
  request: string;
  b: string;
  laterRequest: string;
  c: string;
}

const EN: Case[] = [
  { request: 'Write a report on lithium mining in Chile.', b: "Don't hallucinate; always cite sources for my reports.", laterRequest: 'Prepare a report about solar subsidies in Spain.', c: 'Keep my reports under 800 words.' },
  { request: 'Can you put together a report about container shipping delays?', b: 'Stop inventing figures. Every number in a report needs a source.', laterRequest: 'I need a report on rice prices in Vietnam.', c: 'One more thing: reports should start with a three-line summary.' },
  { request: 'Draft a short report on urban beekeeping.', b: 'Please never make up facts, and cite where each claim comes from.', laterRequest: 'Write a report about ferry routes in Norway.', c: 'From here on, limit each report to two pages.' },
  { request: 'Produce a report on the history of the metric system.', b: 'Do not fabricate anything in my reports; reference real sources.', laterRequest: 'Could you write a report on wind farms?', c: 'Only include verified statistics in reports.' },
  { request: 'Help me write a report on cocoa supply chains.', b: 'Going forward, no made-up details in reports, and list your sources at the end.', laterRequest: 'Write a report on coffee exports.', c: 'Reports must not exceed 1000 words.' },
];

const ZH: Case[] = [
  { request: '帮我写一份关于新能源汽车出口的报告', b: '不要编造数据，报告里的每个结论都要注明来源。', laterRequest: '写一份关于城市垃圾分类的报告', c: '以后报告控制在800字以内' },
  { request: '请写一篇关于茶叶市场的分析报告', b: '别瞎编，所有数字必须有出处', laterRequest: '给我写一份关于共享单车的报告', c: '每份报告开头都要有一段摘要' },
  { request: '起草一份关于社区养老的调研报告', b: '不能虚构事实，引用资料要写明来源', laterRequest: '帮我起草一份关于农村电商的报告', c: '报告只写结论和建议，不用写背景' },
  { request: '写个关于芯片产业的周报', b: '禁止编造信息，以后周报都要注明数据来源', laterRequest: '写一下这周的周报，主题是招聘进展', c: '周报控制在500字以内' },
  { request: '帮忙整理一份关于跨境物流的报告', b: '不要有幻觉，报告里的数据要标注出处', laterRequest: '写一份关于冷链运输的报告', c: '以后报告不用表格，用纯文字分段' },
];

const STANDING_EN = [
  'From now on, always answer in plain text.',
  'Always reply in Chinese, whatever I ask.',
  'Never use emoji in your answers.',
  "Going forward, don't make things up in any answer; say you don't know instead.",
  'In every conversation, answer without markdown formatting.',
];
const STANDING_ZH = ['以后回答都用中文', '不要用表情符号回复我', '从现在开始，所有回答都用纯文本，不要markdown', '以后回答问题不要编造，不知道就说不知道', '今后回复我一律用简体中文'];

const ONE_OFF_EN = [
  'Write a report on tidal energy.',
  'Summarize this paragraph: the committee met on Tuesday and approved the budget.',
  'What is the capital of Australia?',
  'Translate "good morning" into French.',
  'Give me three name ideas for a bakery.',
];
const ONE_OFF_ZH = ['帮我写一份关于潮汐能的报告', '总结一下这段话：委员会周二开会通过了预算。', '澳大利亚的首都是哪里？', '把“早上好”翻译成法语', '给面包店起三个名字'];

/** D: later requests of the same family, phrased differently again. */
const D = {
  en: ['Please write a report on coffee exports.', 'I need a report about bus ridership.', 'Draft a quarterly report for the board.', 'Can you do a short report on sugar tariffs?', 'Write up a report on hospital wait times.'],
  zh: ['请写一份关于咖啡出口的报告', '帮我写个关于公交客流的报告', '给董事会起草一份季度报告', '写一篇关于糖关税的简短报告', '出一份关于医院候诊时间的报告'],
};

describe.each([
  ['en', EN, STANDING_EN, ONE_OFF_EN],
  ['zh', ZH, STANDING_ZH, ONE_OFF_ZH],
] as const)('seed lifecycle with the offline extractor (%s)', (lang, cases, standing, oneOff) => {
  it.each(oneOff.map((q) => [q]))('A: a one-off task learns nothing: %s', async (q) => {
    const s = await open();
    const r = await extract(s, 'u', turn(q, 'Here you go.', lang === 'en' ? 'Thanks, that works.' : '好的，谢谢'));
    expect(r.status).toBe('nothing');
    expect(s.skills.list({ admin: true })).toHaveLength(0);
  });

  it.each(cases.map((c) => [c.b, c]))('B then C: %s', async (_b, c) => {
    const s = await open();
    const b = await extract(s, 'u', turn(c.request, 'Report text ...', c.b));
    expect(b.status).toBe('upserted');
    expect(b.skills[0]).toMatchObject({ action: 'created', version: '0.1.0' });
    const skill = s.skills.get(undefined, b.skills[0]!.id)!;
    expect(isStanding(skill)).toBe(false);
    expect(skill.metadata.family).toBe('report');
    // named after the task family and the rule, never a bare verb or the request
    expect(skill.name).toMatch(lang === 'en' ? /^Reports: / : /^报告-/);
    expect(skill.triggers).toContain(lang === 'en' ? 'write a report' : '写报告');
    // triggers are task phrases, not the rule's text
    expect(skill.triggers.join(' ')).not.toMatch(/hallucinat|invent|fabricat|made-up|make up|source|编造|瞎编|虚构|幻觉|来源|出处/i);

    // C: a later conversation about the same family adds a constraint to the same skill
    const cr = await extract(s, 'u', turn(c.laterRequest, 'Report text ...', c.c));
    expect(cr.status).toBe('upserted');
    expect(cr.skills[0]).toMatchObject({ id: skill.id, action: 'merged', version: '0.1.1' });
    expect(s.skills.list({ admin: true })).toHaveLength(1);
    const merged = s.skills.get(undefined, skill.id)!;
    expect(parsePrompt(merged.instructions).constraints.length).toBeGreaterThanOrEqual(2);
    // the description covers the new rule too
    const newRule = parsePrompt(merged.instructions).constraints.at(-1)!.replace(/[.。]$/, '');
    expect(merged.description).toContain(lang === 'en' ? newRule[0]!.toLowerCase() + newRule.slice(1) : newRule);

    // D: a similar request in a new conversation ranks the skill first (whether its score passes
    // the injection threshold is the retrieval calibration's business, tested with retrieval)
    const [top] = await s.search(D[lang][cases.indexOf(c)]!, { userId: 'u', scope: 'user', limit: 3, minScore: 0 });
    expect(top?.skill.id).toBe(skill.id);
    // and an unrelated request does not
    const u = await s.retrieveForTurn([{ role: 'user', content: lang === 'en' ? 'Plan a weekend trip to Rome.' : '帮我规划一个去罗马的周末行程' }], { userId: 'u' });
    expect(u.context?.included.map((i) => i.id) ?? []).not.toContain(skill.id);
  });

  it.each(standing.map((q) => [q]))('E: a standing preference is learned as standing: %s', async (q) => {
    const s = await open();
    const r = await extract(s, 'u', turn(lang === 'en' ? 'What is a hash table?' : '什么是哈希表？', 'A hash table is ...', q));
    expect(r.status).toBe('upserted');
    const skill = s.skills.get(undefined, r.skills[0]!.id)!;
    expect(isStanding(skill)).toBe(true);
    expect(skill.description).toMatch(lang === 'en' ? /every answer/ : /所有回答/);
    // and it reaches an unrelated request
    const t = await s.retrieveForTurn([{ role: 'user', content: lang === 'en' ? 'Write a summary of the meeting.' : '帮我写一下会议纪要' }], { userId: 'u' });
    expect(t.standing.map((x) => x.id)).toContain(skill.id);
  });

  it.each(standing.map((q) => [q]))('a rule in the first message of a conversation is learned: %s', async (q) => {
    const s = await open();
    const r = await extract(s, 'u', [{ role: 'user', content: `${q} ${lang === 'en' ? 'What is BM25?' : '什么是BM25？'}` }]);
    expect(r.status).toBe('upserted');
    expect(isStanding(s.skills.get(undefined, r.skills[0]!.id)!)).toBe(true);
  });
});

describe('merges keep families and standing apart', () => {
  it('a poem rule never lands in an article skill', async () => {
    const s = await open();
    const a = await extract(s, 'u', turn('Write an article about remote work.', 'Article ...', 'Never use clichés in my articles.'));
    const p = await extract(s, 'u', turn('Write a poem about the sea.', 'Poem ...', 'Never use clichés, and keep poems to eight lines.'));
    expect(a.skills[0]!.action).toBe('created');
    expect(p.skills[0]!.action).toBe('created');
    expect(p.skills[0]!.id).not.toBe(a.skills[0]!.id);
    expect(s.skills.get(undefined, p.skills[0]!.id)!.metadata.family).toBe('poem');
  });

  it('a standing rule does not merge into a task skill, and a merged standing skill stays standing', async () => {
    const s = await open();
    const task = await extract(s, 'u', turn('Write a report on tea.', 'Report ...', 'Cite sources in my reports.'));
    const st = await extract(s, 'u', turn('What is tea?', 'Tea is ...', 'From now on, always answer in plain text.'));
    expect(st.skills[0]!.id).not.toBe(task.skills[0]!.id);
    const again = await extract(s, 'u', turn('What is coffee?', 'Coffee is ...', 'From now on, never use markdown in answers, plain text only.'));
    expect(again.skills[0]).toMatchObject({ id: st.skills[0]!.id, action: 'merged' });
    expect(isStanding(s.skills.get(undefined, st.skills[0]!.id)!)).toBe(true);
  });
});
