import { describe, expect, it } from 'vitest';
import type { ProposedSkill } from '../../src/engine/learn/candidate.js';
import type { ChatMessage } from '../../src/engine/ports/chat.js';
import { extractOffline } from '../../src/engine/learn/offline-extractor.js';

/**
 * Paraphrase sets for the seed steps through the offline extractor, written for these tests (not
 * taken from web_sessions), in English and Chinese: B ("don't make things up" feedback -> a task
 * skill for reports), C (a new constraint -> the report family), E (a standing preference), plus
 * other families and follow-ups that must teach nothing. Each set was measured before the gate
 * changes it prompted; the numbers are in the comments.
 */

const after = (request: string, feedback: string, answer = 'Here is a first version ...'): ChatMessage[] => [
  { role: 'user', content: request },
  { role: 'assistant', content: answer },
  { role: 'user', content: feedback },
];
const run = (messages: ChatMessage[]) => extractOffline({ userId: 'u', messages });

/** First set (B/C/E x EN/ZH, 20 each). */
describe('paraphrases of the seed steps (offline extractor)', () => {
  const B_EN = [
    'Stop making stuff up and back every claim with a source in my reports.',
    'No more invented facts in reports, cite your sources.',
    'Could you not hallucinate next time and add citations?',
    'Please stick to verified facts and cite sources in reports.',
    'Only use real, verifiable sources for my reports.',
    'I need a source for every claim in my reports.',
    'Every figure you give me must come with a reference.',
    "Don't fabricate quotes. Always say where a fact comes from.",
    'From now on, make sure each report lists its sources.',
    'Never invent statistics in a report again.',
    'Quit guessing facts; my reports need references.',
    'Reports must only contain facts you can source.',
    "Please don't fill gaps with invented details. Cite sources in every report.",
    'Be careful: no fake citations, and name the source for each number.',
    'For my reports, always attribute each claim to a source.',
    'Avoid speculation in reports and add a references list.',
    'I want every report to include its sources.',
    "Remember to cite sources in reports, and don't make up data.",
    "Going forward, don't hallucinate in my reports.",
    'Make sure the report only uses facts from real sources.',
  ];
  const B_ZH = [
    '别编造内容，报告里要附上参考来源',
    '报告内容要真实，数据要有出处',
    '以后写报告都附上参考资料，不要瞎编',
    '不要凭空捏造数据，每个结论都要有依据',
    '请不要虚构事实，引用要注明出处',
    '所有数据都必须标明来源',
    '报告里禁止出现没有来源的数字',
    '不许胡编乱造，来源写清楚',
    '以后报告中的观点都要有文献支撑',
    '不要产生幻觉，写报告时务必核实信息',
    '报告中的事实必须可查证',
    '记得给报告里的数据标上来源',
    '不能编造引用，报告最后列出参考资料',
    '写报告别臆测，拿不准的要说明',
    '报告里的每个数字都需要注明出处',
    '避免虚构案例，报告要引用真实来源',
    '报告不准出现编造的内容',
    '以后的报告都要有参考文献',
    '请勿杜撰数据，报告需附来源',
    '报告里不要写没有依据的结论',
  ];
  const C_EN = [
    'Also, my reports should never exceed 800 words.',
    'Reports: 800 words max from now on.',
    'Make the reports shorter, under 800 words.',
    'Keep every report under two pages.',
    'One more thing: put an executive summary at the top of each report.',
    'Going forward, use numbered headings in reports.',
    'Reports need a conclusion section at the end.',
    'Only include the key findings in my reports.',
    'Please format reports as plain text without tables.',
    'Limit reports to five sections.',
    'Reports should be no longer than 800 words.',
    'Always put the conclusion first in my reports.',
    'No bullet points in reports, please.',
    'Use British spelling in all reports.',
    'Each report should end with next steps.',
    'From now on, add a table of contents to reports.',
    'Write reports in a formal tone.',
    'Keep report paragraphs short, three sentences at most.',
    'Never include more than three charts in a report.',
    'In reports, avoid the passive voice.',
  ];
  const C_ZH = [
    '报告篇幅别超过800字',
    '周报字数限制在800以内',
    '以后报告开头先写结论',
    '每份报告都要有一个摘要',
    '报告只写要点，不用展开',
    '报告不要用表格',
    '今后周报按“进展-问题-计划”三段来写',
    '报告控制在两页以内',
    '报告结尾需要给出三条建议',
    '报告的标题要简短',
    '以后报告都用正式的语气',
    '报告里不要出现英文缩写',
    '报告要分点写，每点不超过两行',
    '报告结论放在最前面',
    '每份报告最后都附上下一步计划',
    '报告正文不用加粗',
    '周报不用写背景介绍',
    '报告中的数字统一保留两位小数',
    '报告必须包含风险分析这一部分',
    '报告段落不要太长，每段三句话以内',
  ];
  const E_EN = [
    'From now on, always answer in plain text.',
    'Please always respond in plain text from now on.',
    'No markdown anymore, just plain text.',
    'Reply in Spanish from now on.',
    'Never use emojis when you talk to me.',
    "Whatever I ask, don't make things up.",
    'Always answer me in English, even if I write in Chinese.',
    'Going forward, no emoji in any reply.',
    'In all your answers, avoid markdown headings.',
    "From here on, if you don't know something, say so instead of guessing.",
    'Whatever I ask, reply in plain text.',
    'From now on, answer me in French.',
    'Please stop using emojis in your replies.',
    'Always keep your answers short, a few sentences at most.',
    'No more markdown in your responses.',
    'In every answer, be honest when you are not sure.',
    'Never use bold text when you reply to me.',
    'Going forward, answer in British English.',
    'From now on, no emoji, no markdown.',
    "Don't make things up when you answer me, ever.",
  ];
  const E_ZH = [
    '以后回答都用中文',
    '从现在起回复我都用纯文本',
    '以后不要在回答里用表情符号',
    '今后和我聊天一律用英文',
    '所有回答都不要用markdown格式',
    '以后回答问题不要瞎编',
    '回答我的时候不要用emoji',
    '从今以后都用简体中文回复',
    '以后不知道就直接说不知道，不要编',
    '今后所有回复都用纯文字',
    '以后跟我说话别用表情',
    '回答都尽量简短一些',
    '从现在开始回答问题用英文',
    '以后所有回答都不要加粗',
    '不管我问什么，都用中文回答',
    '以后回复不要用markdown',
    '今后回答不确定的内容要说明',
    '以后回答我时不要编造事实',
    '所有回复都不要带表情符号',
    '以后你的回答一律用纯文本',
  ];

  const share = (ok: boolean[]) => ok.filter(Boolean).length / ok.length;
  const report = (label: string, list: readonly string[], ok: boolean[]) => {
    if (process.env.AUTOSKILL_SHOW_MISSES) console.log(`${label}: ${ok.filter(Boolean).length}/${ok.length}`, list.filter((_, i) => !ok[i]));
  };

  it.each([
    ['en', 'Write a report on copper prices.', B_EN],
    ['zh', '帮我写一份关于铜价的报告', B_ZH],
  ] as const)('B (%s): a task skill for reports', (_lang, request, list) => {
    const ok = list.map((f) => {
      const c = run(after(request, f)).candidate;
      return c !== null && c.applies === 'task' && c.family === 'report';
    });
    report(`B ${_lang}`, list, ok);
    expect(share(ok), list.filter((_, i) => !ok[i]).join(' | ')).toBeGreaterThanOrEqual(0.9);
  });

  it.each([
    ['en', 'Draft a report on freight rates.', C_EN],
    ['zh', '写一份关于运费的报告', C_ZH],
  ] as const)('C (%s): a constraint for the report family', (_lang, request, list) => {
    const ok = list.map((f) => {
      const c = run(after(request, f)).candidate;
      return c !== null && c.applies === 'task' && c.family === 'report';
    });
    report(`C ${_lang}`, list, ok);
    expect(share(ok), list.filter((_, i) => !ok[i]).join(' | ')).toBeGreaterThanOrEqual(0.9);
  });

  it.each([
    ['en', 'What is a Bloom filter?', E_EN],
    ['zh', '什么是布隆过滤器？', E_ZH],
  ] as const)('E (%s): a standing preference', (_lang, question, list) => {
    const ok = list.map((f) => run(after(question, f)).candidate?.applies === 'always');
    report(`E ${_lang}`, list, ok);
    expect(share(ok), list.filter((_, i) => !ok[i]).join(' | ')).toBeGreaterThanOrEqual(0.9);
  });
});

/**
 * A second set, written after the first one passed (B, C, E in both languages); measured unseen
 * at 45/60, then 58/60 after the structural 'class of deliverables' cue, 60/60 now.
 */
const SECOND: Array<[string, string, string[], (c: ProposedSkill | null) => boolean]> = [
  ['B en', 'Put together a report on shipping costs.', [
    "Please don't invent anything; every source should be named.",
    'Stop with the made-up numbers, I need citations in reports.',
    'Facts only in my reports, with references.',
    'You keep fabricating; cite real sources in reports from now on.',
    'Could you always include citations in reports?',
    'Reports: no guessing, sources for everything.',
    "Don't pad reports with unverified claims.",
    'Source every statistic you put in a report.',
    'Hallucinations are not OK in my reports, link the sources.',
    'Next time, back up the report with real references.',
  ], (c) => c !== null && c.family === 'report' && c.applies === 'task'],
  ['B zh', '帮我写一份关于运输成本的报告', [
    '别乱写数据，报告要有引用',
    '报告中不要出现杜撰的信息',
    '写报告必须引用真实资料',
    '以后报告别编数字',
    '报告里的说法都要有依据',
    '不要无中生有，报告要写明出处',
    '请确保报告内容有来源支撑',
    '报告的数据来源要标注清楚',
    '不要胡说，报告里给出参考链接',
    '下次写报告记得附上数据来源',
  ], (c) => c !== null && c.family === 'report' && c.applies === 'task'],
  ['C en', 'Write a report on port congestion.', [
    'Reports should fit on one page.',
    'Also, open every report with the key number.',
    "Don't use headings deeper than two levels in reports.",
    'Cap my reports at 600 words.',
    'Please add a glossary at the end of reports.',
    'Reports go out in plain text only.',
    'Use short sentences in my reports.',
    'Put recommendations before the analysis in reports.',
    'For reports, skip the introduction.',
    'My reports need page numbers.',
  ], (c) => c !== null && c.family === 'report' && c.applies === 'task'],
  ['C zh', '写一份关于港口拥堵的报告', [
    '报告一页纸就够了',
    '以后报告开头先放关键数据',
    '报告里的小标题不要超过两级',
    '报告字数别超过600',
    '报告最后加一个术语表',
    '报告只用纯文本',
    '报告里句子写短一点',
    '报告先写建议再写分析',
    '报告不用写引言',
    '每份报告都要标页码',
  ], (c) => c !== null && c.family === 'report' && c.applies === 'task'],
  ['E en', 'What is consistent hashing?', [
    'From now on please reply in German.',
    'Never answer me with emojis.',
    'Please always answer without markdown from now on.',
    "When you don't know, just tell me; don't invent answers.",
    'Keep all your replies in plain text going forward.',
    'Talk to me in simple English from now on.',
    'No emoji in any answer, please.',
    'Always respond in Traditional Chinese.',
    'Stop using markdown in your answers.',
    "In future replies, don't make up facts.",
  ], (c) => c?.applies === 'always'],
  ['E zh', '什么是一致性哈希？', [
    '以后用德语回答我',
    '回答我不要带表情',
    '从现在起回答别用markdown',
    '不知道的时候直接告诉我，不要乱编答案',
    '今后回复都用纯文本',
    '以后跟我说话用简单的中文',
    '所有回答都不要用emoji',
    '以后都用繁体中文回复',
    '回答里别再用markdown了',
    '以后回答不要编造事实',
  ], (c) => c?.applies === 'always'],
];

describe('second paraphrase set', () => {
  it.each(SECOND.map((x) => [x[0], x] as const))('%s', (_label, [, request, list, ok]) => {
    const res = list.map((f) => ok(run(after(request, f)).candidate));
    expect(res.filter(Boolean).length / res.length, list.filter((_, i) => !res[i]).join(' | ')).toBeGreaterThanOrEqual(0.9);
  });
});

/**
 * A third set, measured before any change it prompted (41/46 unseen): other families (emails,
 * code) and follow-ups that must not be learned. Four of its five misses led to general fixes
 * (a Latin word in a Chinese pattern, 'going forward' read before clean-up, more imperative
 * verbs, topical 'add … on <topic>'); '报告用编号列表' (no class word in Chinese) still fails.
 */
const pos = (fam?: string, applies = 'task') => (c: ProposedSkill | null) => c !== null && c.applies === applies && (fam === undefined || c.family === fam);
const THIRD: Array<[string, string, string[], (c: ProposedSkill | null) => boolean]> = [
  ['B en', 'Can you write me a report on EV charging?', ["Please stop inventing numbers; I want sources.", "Nothing made up in reports, ok? Cite everything.", "Don't hallucinate, and add a references section.", "Every report I get from you needs citations.", "Make sure facts in the report are real and sourced."], pos('report')],
  ['B zh', '写一份关于充电桩的报告', ['别编数据，要有引用', '报告里别出现虚假信息', '不能瞎写，来源要注明', '以后报告里每个数据都给出处', '记住报告不要凭空编造'], pos('report')],
  ['C en', 'Write a report on EV charging.', ['Also keep reports to one page.', 'Reports should have an executive summary first.', 'No jargon in my reports.', 'Use numbered lists in reports from now on.', 'Every report needs a risks section.'], pos('report')],
  ['C zh', '写一份关于充电桩的报告', ['以后报告不超过一页', '报告开头先写摘要', '报告不要用术语', '每份报告都要有风险分析', '报告用编号列表'], pos('report')],
  ['E en', 'How does DNS work?', ['Answer in plain English from now on.', 'No emojis, ever.', 'Please reply in Korean from now on.', "Going forward, if unsure, say you're unsure.", 'Never use markdown tables in your replies.'], pos(undefined, 'always')],
  ['E zh', 'DNS是怎么工作的？', ['以后用韩语回答', '以后别用表情符号', '从现在开始回复不要用表格', '回答不确定的地方要说明，不要编', '以后回答用大白话'], pos(undefined, 'always')],
  ['email en', 'Write an email to my landlord about the heating.', ['Always keep my emails under 100 words.', 'Sign my emails with just my first name.', 'No exclamation marks in emails.'], pos('email')],
  ['code zh', '帮我写一个读取CSV的Python脚本', ['代码都要加类型注解', '以后代码注释用中文', '每个函数都要有docstring'], pos('code')],
  ['neg en', 'Write a report on EV charging.', ['Can you make it about Norway instead?', 'What does EV stand for?', 'Thanks, that is exactly what I needed.', 'Add a paragraph on battery swapping.', 'Hmm, the second section is wrong, Tesla opened it in 2012.'], (c: ProposedSkill | null) => c === null],
  ['neg zh', '写一份关于充电桩的报告', ['换成关于挪威的', 'EV是什么意思？', '谢谢，正是我需要的', '第二部分写错了，是2012年开的', '再补充一段换电的内容'], (c: ProposedSkill | null) => c === null],
];

describe('third paraphrase set', () => {
  it.each(THIRD.map((x) => [x[0], x] as const))('%s', (_label, [, request, list, ok]) => {
    const res = list.map((f) => ok(run(after(request, f)).candidate));
    expect(res.filter(Boolean).length, list.filter((_, i) => !res[i]).join(' | ')).toBeGreaterThanOrEqual(list.length - 1);
  });
});
