import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../src/engine/ports/chat.js';
import { analyzeStatement, extractOffline } from '../../src/engine/learn/offline-extractor.js';
import { ExtractionPolicy } from '../../src/engine/learn/policy.js';
import { parsePrompt } from '../../src/engine/learn/sections.js';

const conv = (...turns: string[]): ChatMessage[] =>
  turns.map((content, i) => ({ role: i % 2 === 0 ? 'user' : 'assistant', content }));

const run = (...turns: string[]) => extractOffline({ userId: 'u', messages: conv(...turns) });

describe('offline extractor: no skill from one-off requests', () => {
  it.each([
    ['Write a report about self-evolving agents for the government.'],
    ['Write a report about X.', 'Here it is.', 'Thanks, looks good!'],
    ['Write a report about X.', 'Here it is.', "Don't worry about the length, it's fine."],
    ['Write a report about X.', 'Here it is.', 'Never mind, no problem.'],
    ['Write a report about X.', 'Here it is.', 'Why did you never mention the budget?'],
    ['帮我写一份报告'],
    ['帮我写一份关于自进化智能体的报告', '好的，报告如下……', '谢谢'],
    ['帮我写一份报告', '好的', '不要紧，没关系'],
    ['翻译这段话：今天天气很好', 'The weather is nice today.', '很好'],
  ])('%s', (...turns) => {
    expect(run(...turns).candidate).toBeNull();
  });

  it('a new request after a rule is a topic boundary: the old rule does not carry over', () => {
    const r = run('Write a report about X.', 'Report...', "Don't hallucinate, cite sources.", 'Revised.', 'Now write a poem about autumn.');
    expect(r.candidate).toBeNull();
  });
});

describe('offline extractor: durable constraints give one skill', () => {
  it('English feedback after a request: goal from the request (de-identified), rules from the feedback', () => {
    const r = run('Write a report about self-evolving agents for the government.', 'Here is the report...', "Don't hallucinate, cite sources.");
    const c = r.candidate!;
    expect(c.slug).toBe('report-no-fabrication');
    expect(c.name).toBe('Reports: no made-up facts');
    expect(c.description).toMatch(/^Use when the user asks for reports: /);
    expect(c.triggers).toContain('write a report');
    expect(c.triggers.join(' ')).not.toMatch(/hallucinate/i);
    expect(c.applies).toBe('task');
    expect(c.family).toBe('report');
    expect(c.instructions).not.toMatch(/self-evolving|government/i);
    const s = parsePrompt(c.instructions);
    expect(s.goal).toContain('Reports');
    expect(s.constraints).toEqual(["Don't hallucinate, cite sources."]);
    expect(c.triggers.length).toBeGreaterThanOrEqual(3);
    expect(c.triggers.length).toBeLessThanOrEqual(5);
    expect(c.tags.length).toBeGreaterThanOrEqual(1);
    expect(c.tags.length).toBeLessThanOrEqual(6);
  });

  it('collects every rule of the current work item, in order, without duplicates', () => {
    const r = run(
      'Write a report about X.',
      'Report...',
      "Don't hallucinate, cite sources.",
      'Revised.',
      'Also use plain text, no markdown.',
      'Done.',
      "don't hallucinate, cite sources!",
    );
    expect(parsePrompt(r.candidate!.instructions).constraints).toEqual(["Don't hallucinate, cite sources.", 'Use plain text, no markdown.']);
  });

  it.each([
    ['From now on, always answer in English.', 'Always answer in English.', 'Answers: reply language', 'always'],
    ['In future, never use emojis in replies.', 'Never use emojis in replies.', 'Answers: no emoji', 'always'],
    ['Please use a bullet-point format for summaries.', 'Use a bullet-point format for summaries.', 'Summaries: bullet-point format summaries', 'task'],
    ['Make sure every claim has a source.', 'Make sure every claim has a source.', 'Answers: cite sources', 'task'],
    ['You must keep answers under 200 words.', 'You must keep answers under 200 words.', 'Answers: length limit', 'always'],
  ])('marker: %s', (text, rule, name, applies) => {
    const r = run(text);
    expect(parsePrompt(r.candidate!.instructions).constraints).toEqual([rule]);
    expect(r.candidate!.name).toBe(name);
    expect(r.candidate!.applies).toBe(applies);
  });

  it('a request and a rule in one message: the request gives the goal', () => {
    const r = run('Can you draft an email to my landlord John at <EMAIL> about the rent? Keep it under 150 words and never use exclamation marks.');
    expect(r.candidate!.name).toBe('Emails: length limit');
    expect(r.candidate!.instructions).not.toMatch(/John|landlord|rent|EMAIL/);
    expect(parsePrompt(r.candidate!.instructions).constraints).toEqual(['Keep it under 150 words and never use exclamation marks.']);
  });

  it('Chinese: 不要幻觉 after a report request gives a Chinese skill with an ASCII slug', () => {
    const r = run('帮我写一份关于自进化智能体的政府报告', '好的，报告如下……', '不要幻觉，要引用来源');
    const c = r.candidate!;
    expect(c.name).toBe('报告-不编造');
    expect(c.slug).toBe('report-no-fabrication');
    expect(c.description).toMatch(/报告/);
    expect(c.instructions).not.toContain('自进化');
    expect(parsePrompt(c.instructions).constraints).toEqual(['不要幻觉，要引用来源。']);
    expect(c.tags).toContain('report');
    expect(c.triggers).toContain('写报告');
  });

  it.each([
    ['以后都用中文回答', '用中文回答。'],
    ['请用Markdown表格格式列出结果', '请用Markdown表格格式列出结果。'],
    ['必须注明数据来源', '必须注明数据来源。'],
    ['别用太多专业术语', '别用太多专业术语。'],
    ['一定要先给结论再解释', '一定要先给结论再解释。'],
  ])('Chinese marker: %s', (text, rule) => {
    const r = run(text);
    expect(parsePrompt(r.candidate!.instructions).constraints).toEqual([rule]);
  });

  it('Chinese guard words are not markers (特别, 区别, 要不要, 能不能)', () => {
    for (const text of ['这两个方案有什么区别', '特别感谢你的帮助', '要不要加个标题？', '能不能解释一下这个概念？']) {
      expect(analyzeStatement(text, { feedback: true }).rules).toEqual([]);
    }
  });

  it('style feedback counts only as feedback on an answer', () => {
    expect(analyzeStatement('Use plain text, no markdown.', { feedback: true }).rules).toHaveLength(1);
    expect(analyzeStatement('Use plain text, no markdown.', { feedback: false }).rules).toHaveLength(0);
  });

  it('ignores rules quoted inside pasted material', () => {
    const readme = '请结合以下项目介绍进行修改\n# AutoSkill\n\n当用户给出可复用的稳定约束（例如“不要幻觉”）时，系统会触发抽取。\n- 必须先做相似匹配。\n' + '背景介绍。'.repeat(200);
    expect(run(readme).candidate).toBeNull();
    const draft = `Please polish my draft below, and never change its argument:\n\n${'We must always validate inputs and never trust clients. '.repeat(20)}`;
    expect(parsePrompt(run(draft).candidate!.instructions).constraints).toEqual(['Never change its argument.']);
    expect(run(draft).candidate!.name).toBe('Editing: change argument');
    const inline = `首先是动机介绍部分，目前写了一个版本如下，请稍微优化一下，不要修改逻辑  在实际应用中，基础约束需反复申明，如“不得虚构信息”、“不要使用过于技术和浮夸的表达”。${'然而经验难以沉淀。'.repeat(80)}`;
    expect(parsePrompt(run(inline).candidate!.instructions).constraints).toEqual(['不要修改逻辑。']);
  });

  it('a Chinese request without a known deliverable is named after what it asked for and the rule, never a bare verb', () => {
    const r = run('帮我写一下方法部分', '好的……', '不要使用破折号');
    expect(r.candidate).toMatchObject({ name: '方法部分-不用破折号', slug: 'answers-dashes', family: 'kind:方法部分' });
  });

  it('is deterministic', () => {
    const turns = ['Write a report about X.', 'R.', "Don't hallucinate, cite sources."];
    expect(run(...turns)).toEqual(run(...turns));
  });

  it('uses a hint that states a rule (extract now)', () => {
    const r = extractOffline({ userId: 'u', messages: conv('Summarize this article for me.', 'Summary...'), hint: 'always keep summaries to three bullet points' });
    expect(r.candidate!.name).toMatch(/^Summaries: .*three bullet/);
    expect(parsePrompt(r.candidate!.instructions).constraints).toEqual(['Always keep summaries to three bullet points.']);
  });
});

describe('extraction policy', () => {
  const first: ChatMessage[] = [{ role: 'user', content: 'hi' }];
  const later: ChatMessage[] = [...first, { role: 'assistant', content: 'hello' }, { role: 'user', content: 'again' }];

  it('never extracts on the first turn, in any mode', () => {
    const p = new ExtractionPolicy();
    for (const mode of ['auto', 'always', 'never'] as const) expect(p.observe(`k-${mode}`, first, { mode }).extract).toBe(false);
  });

  it('auto extracts every turnLimit turns, counted per user and session', () => {
    const p = new ExtractionPolicy({ mode: 'auto', turnLimit: 3 });
    const seq = Array.from({ length: 7 }, () => p.observe('a', later).extract);
    expect(seq).toEqual([false, false, true, false, false, true, false]);
    expect(p.observe('b', later).extract).toBe(false);
    expect(new ExtractionPolicy().observe('c', later).extract).toBe(true);
  });

  it('always extracts every turn after the first; never never does', () => {
    const p = new ExtractionPolicy();
    expect([1, 2, 3].map(() => p.observe('x', later, { mode: 'always' }).extract)).toEqual([true, true, true]);
    expect([1, 2, 3].map(() => p.observe('y', later, { mode: 'never' }).extract)).toEqual([false, false, false]);
  });

  it('treats an invalid turn limit as 1', () => {
    const p = new ExtractionPolicy({ turnLimit: 0 });
    expect([1, 2].map(() => p.observe('z', later).extract)).toEqual([true, true]);
  });
});
