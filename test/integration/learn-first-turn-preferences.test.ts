import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../src/engine/ports/chat.js';
import { extractOffline } from '../../src/engine/learn/offline-extractor.js';
import { isPreferenceStatement } from '../../src/engine/learn/preference-statement.js';
import { statesRule } from '../../src/engine/learn/rule-cue.js';
import { parsePrompt } from '../../src/engine/learn/sections.js';
import { useTempSdk } from '../helpers/feedback-turns.js';

/**
 * A standing preference said as a bare phrase in the very first message ("Plain text only for
 * me, please.", "用中文回答我。"): no marker word, no answer before it. The first-turn cue fires,
 * the offline extractor learns it as a standing skill (`applies: always`), and it is injected
 * into an unrelated later request. Requests that only mention a form, questions, and bare
 * choices after an answer are not learned. Phrasings written for this test (not from
 * web_sessions, not in the other offline tests).
 */

const first = (text: string): ChatMessage[] => [{ role: 'user', content: text }];

const EN = [
  'Plain text only for me, please.',
  'English only, please.',
  'Short answers, please.',
  'Brief replies only.',
  'No emoji.',
  'No markdown or tables, please.',
  'Reply in Spanish.',
  'Answer in German, please.',
  'In French, please.',
  'Respond concisely.',
  'Bullet points only.',
  'Keep your answers short.',
  'Use British spelling.',
  'Only plain English for me.',
  'Talk to me in Japanese.',
  'Plain text, please.',
  'Metric units by default.',
];

const ZH = [
  '用中文回答我。',
  '回答用英文。',
  '中文回答。',
  '简短回答。',
  '回答简洁一点。',
  '纯文本就行。',
  '用英文回复我吧。',
  '说中文。',
  '只要纯文本。',
  '请用日语和我交流。',
  '回复一律用中文。',
  '以后用大白话回答。',
  '简洁地回复我。',
];

describe('a bare preference in the first message is learned as standing', () => {
  it.each([...EN, ...ZH])('%s', (text) => {
    expect(statesRule(text), 'the first-turn cue').toBe(true);
    const r = extractOffline({ userId: 'u', messages: first(text) });
    expect(r.candidate, r.reason).not.toBeNull();
    expect(r.candidate!.applies).toBe('always');
    // the rule is the user's own words, cleaned up
    const rules = parsePrompt(r.candidate!.instructions).constraints.join(' ');
    expect(rules.toLowerCase()).toContain(text.replace(/[.。!！]$/, '').replace(/^(?:请|以后)/, '').slice(0, 4).toLowerCase());
  });

  it('also after an answer, in the durable shapes', () => {
    const after = (text: string): ChatMessage[] => [
      { role: 'user', content: 'What is a bloom filter?' },
      { role: 'assistant', content: 'A probabilistic set ...' },
      { role: 'user', content: text },
    ];
    for (const text of ['Plain text only for me.', 'Short answers, please.', '用中文回答我。']) {
      const r = extractOffline({ userId: 'u', messages: after(text) });
      expect(r.candidate?.applies, `${text}: ${r.reason}`).toBe('always');
    }
  });
});

describe('not a preference', () => {
  it.each([
    // requests that mention a form or a language: this piece of work only
    'Explain recursion in plain text.',
    'Translate this into Spanish: good morning',
    'Write a haiku in Japanese.',
    'Give me the answer in a table.',
    '用中文写一首关于秋天的诗。',
    '帮我用英文起草一封邮件。',
    '把这段话翻译成中文。',
    // questions
    'English only?',
    'Is plain text better than markdown?',
    '中文回答是什么意思？',
    // plain requests and chit-chat
    'What time zone is Tokyo in?',
    'Short answer: what is TCP?',
    'Tell me a joke.',
    '你好',
    'Markdown is a markup language.',
  ])('%s', (text) => {
    expect(extractOffline({ userId: 'u', messages: first(text) }).candidate).toBeNull();
    // the cue may fire on a request that mentions how to answer ("answer in …"): it is generous
    // on purpose, and the job it schedules learns nothing
    if (!/\banswer in\b/i.test(text)) expect(statesRule(text)).toBe(false);
  });

  it('a bare choice right after the answer offered options ("JSON, please.", "中文就行")', () => {
    const picked = (question: string, text: string): ChatMessage[] => [
      { role: 'user', content: 'Export my contacts.' },
      { role: 'assistant', content: question },
      { role: 'user', content: text },
    ];
    expect(extractOffline({ userId: 'u', messages: picked('Do you want JSON or CSV?', 'JSON, please.') }).candidate).toBeNull();
    expect(extractOffline({ userId: 'u', messages: picked('要中文还是英文的说明？', '中文就行。') }).candidate).toBeNull();
    // ... while as a first message, with nothing to choose from, it is a preference
    expect(isPreferenceStatement('JSON, please.', 'en', false)).toBe(true);
    expect(isPreferenceStatement('JSON, please.', 'en', true)).toBe(false);
  });
});

describe('through the SDK: learned on the first turn, injected into an unrelated request', () => {
  const open = useTempSdk('autoskill-first-pref-');

  it.each([
    ['Plain text only for me, please.', 'Write a summary of the meeting.'],
    ['用中文回答我。', 'How do vaccines work?'],
  ])('%s → %s', async (preference, later) => {
    const sdk = await open();
    const job = await sdk.observeTurn('pat', first(preference), { sessionId: 's1' });
    expect(job, 'the first turn schedules a learning job').toBeDefined();
    const done = await sdk.jobs.wait(undefined, job!.id);
    expect(done.state).toBe('completed');
    await sdk.settled();
    const [skill] = sdk.list({ userId: 'pat', scope: 'user' });
    expect(skill?.metadata.applies).toBe('always');
    const r = await sdk.retrieveForTurn([{ role: 'user', content: later }], { userId: 'pat' });
    expect(r.standing.map((s) => s.id)).toEqual([skill!.id]);
    expect(r.context?.included.map((i) => i.id)).toContain(skill!.id);
  });
});
