import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../src/engine/ports/chat.js';
import { buildRewriteQuery, isContinuation, latestUserText } from '../../src/engine/retrieve/rewrite.js';

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
