import { describe, expect, it } from 'vitest';
import type { LlmPort, StructuredRequest } from '../../src/engine/ports/llm.js';
import type { ChatMessage } from '../../src/engine/ports/chat.js';
import {
  buildRewriteQuery,
  extractRewrittenQuery,
  isContinuation,
  latestUserText,
  rewriteQueryWithLlm,
} from '../../src/engine/retrieve/rewrite.js';

const u = (content: string): ChatMessage => ({ role: 'user', content });
const a = (content: string): ChatMessage => ({ role: 'assistant', content });

describe('buildRewriteQuery', () => {
  it('keeps a self-contained latest turn as it is', () => {
    const msgs = [u('write a weekly status email'), a('Here it is…'), u('Generate a SQL query for monthly revenue by region')];
    expect(buildRewriteQuery(msgs)).toBe('Generate a SQL query for monthly revenue by region');
  });

  it('anchors a bare constraint to the previous topic (English)', () => {
    const msgs = [u('write a weekly status email for my team'), a('Subject: …'), u('make it shorter, no tables')];
    expect(buildRewriteQuery(msgs)).toBe('write a weekly status email for my team make it shorter, no tables');
  });

  it('anchors a bare constraint to the previous topic (Chinese)', () => {
    const msgs = [u('帮我写一份政府工作报告'), a('好的……'), u('不要用表格')];
    expect(buildRewriteQuery(msgs)).toBe('帮我写一份政府工作报告 不要用表格');
  });

  it('walks past chained constraints to the turn that names the topic', () => {
    const msgs = [u('draft a product launch announcement'), a('…'), u('shorter'), a('…'), u('in Chinese')];
    expect(buildRewriteQuery(msgs)).toBe('draft a product launch announcement shorter in Chinese');
  });

  it('keeps the newest constraint when the anchor is long', () => {
    const msgs = [u('topic '.repeat(200)), u('no tables')];
    const q = buildRewriteQuery(msgs, { maxQueryChars: 100 });
    expect([...q].length).toBeLessThanOrEqual(100);
    expect(q.endsWith('no tables')).toBe(true);
  });

  it('handles conversations without user turns', () => {
    expect(buildRewriteQuery([])).toBe('');
    expect(buildRewriteQuery([a('hello')])).toBe('');
    expect(latestUserText([u('  hi  there '), a('x')])).toBe('hi there');
  });

  it('classifies continuations', () => {
    expect(isContinuation('make it more formal')).toBe(true);
    expect(isContinuation('再短一点')).toBe(true);
    expect(isContinuation('shorter')).toBe(true);
    expect(isContinuation('Write a Python script that renames files by date')).toBe(false);
    expect(isContinuation('写一篇关于人工智能发展的公众号文章')).toBe(false);
  });
});

describe('extractRewrittenQuery', () => {
  it('reads JSON, labels, fences and quotes', () => {
    expect(extractRewrittenQuery({ query: 'status email, short' })).toBe('status email, short');
    expect(extractRewrittenQuery('{"rewritten_query": "政府报告 不用表格"}')).toBe('政府报告 不用表格');
    expect(extractRewrittenQuery('```json\n{"search_query":"x y"}\n```')).toBe('x y');
    expect(extractRewrittenQuery('Rewritten search query: "weekly email"')).toBe('weekly email');
    expect(extractRewrittenQuery('weekly email\nsecond line')).toBe('weekly email');
  });

  it('rejects output that is not a query', () => {
    expect(extractRewrittenQuery('{"skills": []}')).toBeUndefined();
    expect(extractRewrittenQuery('')).toBeUndefined();
    expect(extractRewrittenQuery(42)).toBeUndefined();
    expect(extractRewrittenQuery({ query: '   ' })).toBeUndefined();
  });
});

class FakeLlm implements LlmPort {
  readonly label = 'fake';
  readonly requests: StructuredRequest<unknown>[] = [];
  constructor(private readonly reply: (req: StructuredRequest<unknown>) => Promise<unknown>) {}
  generate(req: StructuredRequest<unknown>): Promise<unknown> {
    this.requests.push(req);
    return this.reply(req);
  }
}

describe('rewriteQueryWithLlm', () => {
  const msgs = [u('帮我写一份政府工作报告'), a('好的，这是初稿……'), u('不要用表格')];

  it('sends history and the latest turn, and returns one clean line', async () => {
    const llm = new FakeLlm(async () => '{"query": "政府工作报告撰写 不使用表格"}');
    expect(await rewriteQueryWithLlm(llm, msgs)).toBe('政府工作报告撰写 不使用表格');
    const req = llm.requests[0]!;
    expect(req.system).toMatch(/one search query/);
    expect(String(req.user)).toContain('User: 帮我写一份政府工作报告');
    expect(String(req.user)).toContain('Assistant: 好的，这是初稿……');
    expect(String(req.user)).toMatch(/Latest user message:\n不要用表格$/);
  });

  it('falls back to the original query on errors and unusable output', async () => {
    expect(await rewriteQueryWithLlm(new FakeLlm(async () => Promise.reject(new Error('down'))), msgs)).toBe('不要用表格');
    expect(await rewriteQueryWithLlm(new FakeLlm(async () => '{"skills": []}'), msgs)).toBe('不要用表格');
    expect(await rewriteQueryWithLlm(new FakeLlm(async () => ''), msgs)).toBe('不要用表格');
    expect(await rewriteQueryWithLlm(new FakeLlm(async () => 'x'), [])).toBe('');
  });

  it('caps the history it sends', async () => {
    const long = [u('a'.repeat(5000)), a('b'.repeat(5000)), u('shorter')];
    const llm = new FakeLlm(async () => ({ query: 'q' }));
    await rewriteQueryWithLlm(llm, long, { maxHistoryChars: 500 });
    expect(String(llm.requests[0]!.user).length).toBeLessThan(700);
  });
});
