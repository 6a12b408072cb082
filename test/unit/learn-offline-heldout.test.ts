import { describe, expect, it } from 'vitest';
import { ExtractionAnswerSchema, prepareExtractionAnswer, toProposedSkill } from '../../src/engine/learn/candidate.js';
import type { ChatMessage } from '../../src/engine/ports/chat.js';
import { extractOffline } from '../../src/engine/learn/offline-extractor.js';
import { EXTRACT_SYSTEM } from '../../src/engine/learn/prompts/extract.js';
import { MERGE_SYSTEM } from '../../src/engine/learn/prompts/maintain.js';
import { parsePrompt } from '../../src/engine/learn/sections.js';

/**
 * Held-out sentences for the offline gate, written for this test (not taken from web_sessions):
 * style feedback without a marker is learned after an answer; complaints, factual corrections,
 * quoted or pasted rules and assistant text are not; names carry the task family and the rule;
 * standing preferences are told apart from task rules.
 */

const after = (request: string, feedback: string, answer = 'Here is a first version ...'): ChatMessage[] => [
  { role: 'user', content: request },
  { role: 'assistant', content: answer },
  { role: 'user', content: feedback },
];
const run = (messages: ChatMessage[]) => extractOffline({ userId: 'u', messages });

const STYLE_EN: Array<[string, string]> = [
  ['Write a blog post about home composting.', 'Make it punchier and less academic.'],
  ['Draft an email to the team about the offsite.', 'Be more direct, less hedging.'],
  ['Write an article on battery recycling.', 'Use real-life examples so a layperson can follow.'],
  ['Explain how vaccines work.', 'Less jargon, please.'],
  ['Write a product description for a desk lamp.', 'Keep it under 80 words.'],
  ['Write a report on city cycling lanes.', 'Start with a one-paragraph summary of the findings.'],
];
const STYLE_ZH: Array<[string, string]> = [
  ['写一篇关于家庭理财的公众号文章', '语言再通俗一些，多举生活中的例子'],
  ['帮我写一份季度工作总结', '写得精炼一点，突出数据'],
  ['写一封给客户的道歉邮件', '语气要诚恳，不卑不亢'],
  ['帮我写一篇关于睡眠的科普文章', '要有自己的观点，别泛泛而谈'],
  ['写一份新产品发布的报告', '控制在一页纸以内，结尾给出三条建议'],
  ['写一个关于秋天的短篇故事', '要兼顾儿童读者，用词简单'],
];

describe('style feedback without a marker word is learned after an answer', () => {
  it.each([...STYLE_EN, ...STYLE_ZH])('%s → %s', (request, feedback) => {
    const r = run(after(request, feedback));
    expect(r.candidate, r.reason).not.toBeNull();
    expect(parsePrompt(r.candidate!.instructions).constraints.join(' ')).toContain(feedback.replace(/[.。]$/, '').slice(0, 6));
  });

  it.each([
    ['Make it punchier and less academic.'],
    ['Less jargon, please.'],
    ['语言再通俗一些，多举生活中的例子'],
  ])('but not without an answer to be feedback on: %s', (feedback) => {
    expect(run([{ role: 'user', content: feedback }]).candidate).toBeNull();
  });
});

describe('not learned', () => {
  it.each([
    ['Write a story about a lighthouse keeper.', 'Too long.'],
    ['Write a story about a lighthouse keeper.', "It's way too gloomy."],
    ['写一首关于春天的诗', '太短了'],
    ['写一首关于春天的诗', '有点太伤感了'],
  ])('a complaint about this answer: %s → %s', (request, feedback) => {
    expect(run(after(request, feedback)).candidate).toBeNull();
  });

  it.each([
    ['Write a short bio of my grandfather.', "That's wrong, he was born in 1931, not 1913. Don't change anything else."],
    ['Summarize the meeting.', 'I never said the budget was cut, please don\'t add that.'],
    ['写一段关于我外婆的回忆', '不对，她是在苏州出生的，不是杭州，不要乱写'],
    ['帮我写一下会议纪要', '我没说要延期，不要加这句'],
  ])('a factual correction: %s → %s', (request, feedback) => {
    expect(run(after(request, feedback)).candidate).toBeNull();
  });

  it.each([
    'Translate this notice into English: “严禁吸烟，不要在走廊停放自行车。”',
    '把这段话翻译成英文：“Never leave the door open. Always lock the cabinet.”',
    `Review this style guide for typos:\n\n# Style guide\n- Always use the Oxford comma.\n- Never start a sentence with "And".\n${'More rules follow. '.repeat(60)}`,
  ])('rules quoted in pasted material: %s', (text) => {
    expect(run([{ role: 'user', content: text }]).candidate).toBeNull();
  });

  it('what the assistant said', () => {
    const r = run([
      { role: 'user', content: 'Write a report on tea.' },
      { role: 'assistant', content: 'From now on I will always cite sources and never use markdown.' },
      { role: 'user', content: 'ok' },
    ]);
    expect(r.candidate).toBeNull();
  });
});

describe('names, triggers and standing', () => {
  it.each([
    ['Write a report on steel tariffs.', 'Always cite sources in my reports.', 'report', 'task'],
    ['写一份关于港口吞吐量的报告', '报告里的数据必须注明来源', 'report', 'task'],
    ['Write a poem about rain.', 'Never rhyme in my poems.', 'poem', 'task'],
    ['写一封求职邮件', '邮件不要超过200字', 'email', 'task'],
    ['What is a B-tree?', 'From now on, answer me in English only.', undefined, 'always'],
    ['什么是B树？', '以后都用英文回答我', undefined, 'always'],
    ['How do magnets work?', 'No emoji in any of your replies, ever.', undefined, 'always'],
  ] as const)('%s → %s', (request, feedback, family, applies) => {
    const c = run(after(request, feedback)).candidate!;
    expect(c.applies).toBe(applies);
    expect(c.family).toBe(family);
    // the name says the scope and the rule: two parts, never a bare verb or the request
    expect(c.name).toMatch(/^[^:-]+(?::\s|-).+/);
    expect(c.name.toLowerCase()).not.toContain(request.toLowerCase().slice(0, 12));
    for (const t of c.triggers) expect(feedback.toLowerCase()).not.toBe(t.toLowerCase());
  });
});

describe('LLM extraction carries the standing/task verdict', () => {
  const wire = {
    name: 'always-plain-text',
    title: 'Answers: plain text',
    description: 'Applies to every answer: plain text, no markdown.',
    prompt: '# Goal\nAnswer in plain text.\n\n# Constraints & Style\n- No markdown.',
    triggers: ['any request', 'every answer', 'answer a question'],
    tags: ['format'],
  };

  it.each([
    ['always', 'always'],
    ['standing', 'always'],
    ['task', 'task'],
    [undefined, 'task'],
  ])('applies %s → %s', (given, expected) => {
    const parsed = ExtractionAnswerSchema.parse(prepareExtractionAnswer({ skill: { ...wire, ...(given ? { applies: given } : {}) } }));
    const r = toProposedSkill(parsed.skill!);
    if (!r.ok) throw new Error(r.reason);
    expect(r.skill.applies).toBe(expected);
  });

  it('the prompts ask for the verdict, task-phrase triggers and merged descriptions', () => {
    expect(EXTRACT_SYSTEM).toMatch(/"applies"/);
    expect(EXTRACT_SYSTEM).toMatch(/Never the rule's own text/);
    expect(MERGE_SYSTEM).toMatch(/covers every rule of the merged result/);
  });
});

describe('follow-ups that teach nothing durable', () => {
  it.each([
    ['Write a report on copper prices.', 'Now do the same for Germany.'],
    ['Write a report on copper prices.', 'What about the budget?'],
    ['Write a report on copper prices.', 'Great, now translate it into French.'],
    ['Write a report on copper prices.', 'Where did you get the 2019 numbers?'],
    ['Write a report on copper prices.', 'Looks good, thanks a lot!'],
    ['帮我写一份关于铜价的报告', '再写一个关于日本的'],
    ['帮我写一份关于铜价的报告', '数据是从哪里来的？'],
    ['帮我写一份关于铜价的报告', '很好，谢谢！'],
    ['帮我写一份关于铜价的报告', '第二段的数字是哪一年的？'],
    ['帮我写一份关于铜价的报告', '那美国的情况呢？'],
  ])('%s → %s', (request, followUp) => {
    expect(run(after(request, followUp)).candidate).toBeNull();
  });
});
