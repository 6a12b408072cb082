import { describe, expect, it } from 'vitest';
import { extractOffline } from '../../src/engine/learn/offline-extractor.js';
import { familyOfRequest } from '../../src/engine/learn/task-family.js';
import { asksAboutWork } from '../../src/engine/retrieve/query-form.js';
import type { ChatMessage } from '../../src/engine/ports/chat.js';

/** Phrasings from the second red-team set (bench/heldout-lifecycle-4) that the offline extractor got wrong. */

const after = (request: string, reply: string): ChatMessage[] => [
  { role: 'user', content: request },
  { role: 'assistant', content: 'Here you go.\n\n- one\n- two' },
  { role: 'user', content: reply },
];
const first = (text: string): ChatMessage[] => [{ role: 'user', content: text }];

describe('one-offs are not rules', () => {
  it.each([
    ['How long do I bake salmon at 200C?', 'ok will try that next time'],
    ['烤三文鱼200度要多久', '好，下次试试'],
    ['讲讲《红楼梦》的主要情节', '再短一点'],
    ['推荐一个锻炼', '能不能再详细一点'],
  ])('%s / %s', (request, reply) => {
    expect(extractOffline({ userId: 'u', messages: after(request, reply) }).candidate).toBeNull();
  });

  it.each(['推荐一个20分钟不用器械的锻炼', '下水道堵了不用化学药剂怎么通', '不用鸡蛋的松饼怎么做'])('a "不用…" inside the request itself: %s', (text) => {
    expect(extractOffline({ userId: 'u', messages: first(text) }).candidate).toBeNull();
  });

  it('a rule with a "不用…的" modifier is still a rule when it directs', () => {
    expect(extractOffline({ userId: 'u', messages: after('写一份报告', '以后报告里不要用太花哨的词') }).candidate).not.toBeNull();
  });
});

describe('standing wishes with a reason or a lead-in are standing', () => {
  it.each([
    'plain text replies only pls, my terminal shows raw markdown',
    'Quick preference: answer without markdown, plain text in every response, please.',
    'Hi! A preference for all our chats: no headings, no bold, no lists with symbols. Just plain text.',
    '纯文本回复就行，我的终端显示的是原始markdown',
    '以后回答不要用markdown排版，我要复制到邮件里，格式全乱了',
    '嗨，跟你说个习惯：不要标题、不要加粗、不要带符号的列表，纯文本就行',
  ])('%s', (text) => {
    const c = extractOffline({ userId: 'u', messages: first(text) }).candidate;
    expect(c?.applies).toBe('always');
  });
});

describe('task rules', () => {
  it('"please remember it" makes a lasting rule', () => {
    const c = extractOffline({ userId: 'u', messages: after('Write a report on voter turnout in Brazil.', 'Too long, again. 500 words is the ceiling for my reports, please remember it.') }).candidate;
    expect(c?.family).toBe('report');
    expect(c?.instructions).toMatch(/500 words/);
  });

  it('"我的报告" scopes a rule to reports even after another deliverable was named', () => {
    const c = extractOffline({ userId: 'u', messages: after('写一份AI在放射科应用的报告', '导师说里面有两篇论文根本不存在……以后我的报告只能引用真实可查的文献') }).candidate;
    expect(c?.family).toBe('report');
  });

  it('a report asked for after its topic: "芯片短缺的报告给我来一份"', () => {
    expect(familyOfRequest('芯片短缺的报告给我来一份')?.key).toBe('report');
  });

  it.each([
    ["Our school sends a progress report each term; what does 'emerging' mean on it?", true],
    ["My doctor's lab report says high LDL, what does that mean?", true],
    ['孩子的成绩报告上写着待提高，这是什么意思？', true],
    ['Write a report on the gig economy, what should it cover?', false],
  ])('a question about a report, asked last, asks for no report: %s', (q, about) => {
    expect(asksAboutWork(q as string)).toBe(about);
  });
});

describe('a kind of work binds the rule to that kind (second red-team set)', () => {
  it.each([
    ['Make study notes on the French Revolution.', 'In future when you make study notes for me, end them with 5 self-test questions, with the answers hidden at the very bottom.', 'study-notes', /study notes/],
    ['Give me interview questions for a designer.', "Thanks. Hmm, one thing - I'd rather every set of interview questions you put together for me had a short note under each question on what a good answer looks like, since the other interviewers on my panel are quite junior.", 'interview', /interview questions/],
    ['帮我写条朋友圈', '太长了吧…以后朋友圈文案都给我控制在三十个字以内，别加话题标签', 'social-post', /朋友圈文案/],
    ['帮我写个会议邀请', '记住：我发的会议邀请里都要写清楚议程和需要提前准备的材料，会议号留空我自己填', 'invitation', /会议邀请/],
    ['Make me a packing list for a week of camping.', 'When you make packing lists for me, group them by bag and put the heaviest things first.', 'packing-list', /packing list/],
    // kinds no family names get one of their own
    ['Make me a chore rota for my flatmates.', 'When you make chore rotas for me, give each person one weekend job and put the bins first.', 'kind:chore-rota', /chore rota/],
    ['帮我拟个宿舍公约，四个人住', '以后给我的宿舍公约都分条写，每条不超过二十字', 'kind:宿舍公约', /宿舍公约/],
  ])('%s / %s', (request, reply, family, trigger) => {
    const c = extractOffline({ userId: 'u', messages: after(request, reply) }).candidate;
    expect(c?.applies).toBe('task');
    expect(c?.family).toBe(family);
    expect(c?.triggers.join(' | ')).toMatch(trigger);
  });

  it.each([
    'Could you please remember to always respond in plain text rather than markdown?',
    'always plain text for me from now on pls, markdown looks like garbage in my notes app',
    'Going forward, format nothing: plain text answers only, for every question I ask.',
    'Can every reply you give me be plain text from now on? Markdown breaks in my email client.',
    '每次对话都记住：我只要纯文本回复。',
    '提个要求：以后每条回答都不用markdown，纯文本',
    '说实话就行，别老夸我，有问题直接指出来',
    '我是台湾人，看简体有点吃力，麻烦之后都用繁体字回我',
  ])('answers and conversations are no kind of work: %s stays standing', (text) => {
    expect(extractOffline({ userId: 'u', messages: after('Explain DNS.', text) }).candidate?.applies).toBe('always');
  });
});

describe('a lasting marker said with "that", and complaints', () => {
  it('"Do that from now on." makes the sentence before it the rule', () => {
    const c = extractOffline({ userId: 'u', messages: after('Explain DNS.', "I'm a vet, so you can just call me Doc. Do that from now on.") }).candidate;
    expect(c?.applies).toBe('always');
    expect(c?.instructions).toMatch(/call me Doc/);
  });

  it('"Keep doing that every time." after a rule adds no rule of its own', () => {
    const c = extractOffline({ userId: 'u', messages: after('Convert 5 miles.', 'Please use metric units. Keep doing that every time.') }).candidate;
    expect(c?.instructions).not.toMatch(/Keep doing that/);
  });

  it('"no no no, way too long and cheesy." revises this answer, the rule after it is learned', () => {
    const c = extractOffline({ userId: 'u', messages: after('Write a wedding speech.', 'no no no, way too long and cheesy. Speeches for me should run under two minutes spoken, with exactly one joke.') }).candidate;
    expect(c?.family).toBe('speech');
    expect(c?.instructions).not.toMatch(/cheesy/);
  });
});
