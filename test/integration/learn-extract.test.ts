import { describe, expect, it } from 'vitest';
import { ExtractionAnswerSchema, prepareExtractionAnswer, toProposedSkill } from '../../src/engine/learn/candidate.js';
import { LlmExtractor } from '../../src/engine/learn/extract.js';
import type { ChatMessage } from '../../src/engine/ports/chat.js';
import { selectWindow, toChatMessages } from '../../src/engine/ports/chat.js';
import { parsePrompt } from '../../src/engine/learn/sections.js';
import { LlmOutputError } from '../../src/engine/learn/structured.js';
import { scriptedModel } from '../helpers/scripted-llm.js';

const msgs = (...pairs: Array<[ChatMessage['role'], string]>): ChatMessage[] => pairs.map(([role, content]) => ({ role, content }));

const REPORT_SKILL = {
  name: 'report-writing-with-citations',
  title: 'Report writing with citations',
  description: 'Writes reports that stay factual and cite sources. Use when the user asks for a report.',
  prompt: '# Goal\nWrite a report on <TOPIC>.\n\n# Constraints & Style\n- Do not invent facts; say when something is unknown.\n- Cite a source for every factual claim.',
  triggers: ['write a report', 'draft a report on a topic', 'report with sources'],
  tags: ['report', 'citations', 'factuality'],
  confidence: 0.82,
};

describe('candidate normalization', () => {
  it('coerces a string of triggers into a list without splitting it into characters (upstream bug #6)', () => {
    const wire = ExtractionAnswerSchema.parse(
      prepareExtractionAnswer({ skill: { ...REPORT_SKILL, triggers: 'write a report', tags: 'report' } }),
    );
    const r = toProposedSkill(wire.skill!);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.skill.triggers[0]).toBe('write a report');
    expect(r.skill.triggers.every((t) => t.length > 1)).toBe(true);
    expect(r.skill.triggers.length).toBeGreaterThanOrEqual(3);
    expect(r.skill.triggers.length).toBeLessThanOrEqual(5);
    expect(r.skill.tags).toEqual(['report']);
  });

  it('splits a string list only at line breaks or semicolons, and caps counts', () => {
    const wire = ExtractionAnswerSchema.parse({
      skill: { ...REPORT_SKILL, triggers: 'a report; a memo\nan essay; a brief; a summary; a note; a letter', tags: ['a1', 'b2', 'c3', 'd4', 'e5', 'f6', 'g7', 'A1'] },
    });
    const r = toProposedSkill(wire.skill!);
    if (!r.ok) throw new Error(r.reason);
    expect(r.skill.triggers).toEqual(['a report', 'a memo', 'an essay', 'a brief', 'a summary']);
    expect(r.skill.tags).toEqual(['a1', 'b2', 'c3', 'd4', 'e5', 'f6']);
  });

  it('accepts the upstream {"skills": [...]} shape and `instructions` instead of `prompt`', () => {
    const { prompt, ...rest } = REPORT_SKILL;
    const prepared = prepareExtractionAnswer({ skills: [{ ...rest, instructions: prompt, confidence: '0.7' }] });
    const wire = ExtractionAnswerSchema.parse(prepared);
    expect(wire.skill?.prompt).toBe(prompt);
    expect(wire.skill?.confidence).toBe(0.7);
  });

  it('guarantees the prompt sections and rejects a skill without any rule', () => {
    const r = toProposedSkill(ExtractionAnswerSchema.parse({ skill: { ...REPORT_SKILL, prompt: '- Cite sources.\n- Never guess.' } }).skill!);
    if (!r.ok) throw new Error(r.reason);
    expect(r.skill.instructions).toMatch(/^# Goal\n/);
    expect(parsePrompt(r.skill.instructions).constraints).toEqual(['Cite sources.', 'Never guess.']);
    const empty = toProposedSkill(ExtractionAnswerSchema.parse({ skill: { ...REPORT_SKILL, prompt: '# Goal\nWrite reports.' } }).skill!);
    expect(empty).toEqual({ ok: false, reason: expect.stringContaining('no constraints') });
  });

  it('keeps a Chinese title and derives an ASCII slug from the English name', () => {
    const r = toProposedSkill(
      ExtractionAnswerSchema.parse({ skill: { ...REPORT_SKILL, name: 'government-report-writing', title: '政府报告写作', triggers: ['写报告', '写政府报告', '起草报告'], tags: ['报告'] } }).skill!,
    );
    if (!r.ok) throw new Error(r.reason);
    expect(r.skill.slug).toBe('government-report-writing');
    expect(r.skill.name).toBe('政府报告写作');
  });

  it('fences learned resource files: no traversal, no scripts by default', () => {
    const r = toProposedSkill(
      ExtractionAnswerSchema.parse({
        skill: { ...REPORT_SKILL, files: { 'references/style.md': 'Use APA.', '../etc/passwd': 'x', 'scripts/run.sh': 'rm -rf /', 'other/x.md': 'y' } },
      }).skill!,
    );
    if (!r.ok) throw new Error(r.reason);
    expect(r.skill.files).toEqual({ 'references/style.md': 'Use APA.' });
  });
});

describe('window selection', () => {
  it('keeps the last N messages before the newest user message plus that message, without system/tool turns', () => {
    const all = msgs(['system', 'sys'], ['user', 'u1'], ['assistant', 'a1'], ['user', 'u2'], ['assistant', 'a2'], ['tool', 't'], ['user', 'u3']);
    expect(selectWindow(all, 2)).toEqual(msgs(['user', 'u2'], ['assistant', 'a2'], ['user', 'u3']));
  });

  it('flattens OpenAI-style content parts', () => {
    expect(toChatMessages([{ role: 'user', content: [{ type: 'text', text: 'hi' }, { type: 'image_url' }] }, { role: 'assistant', content: '' }])).toEqual([
      { role: 'user', content: 'hi' },
    ]);
  });
});

describe('LLM extractor (AI SDK mock through aiSdkLlm)', () => {
  const conversation = msgs(
    ['user', 'Write a report about self-evolving agents for the ministry.'],
    ['assistant', 'Here is the report ...'],
    ['user', "Don't hallucinate, cite sources. My email is jane@example.com"],
  );

  it('sends the redacted-ready payload and returns the normalized candidate', async () => {
    const m = scriptedModel(() => JSON.stringify({ skill: REPORT_SKILL, reason: 'durable citation rule' }));
    const out = await new LlmExtractor(m.llm).extract({ userId: 'u1', messages: conversation });
    expect(out.candidate?.slug).toBe('report-writing-with-citations');
    expect(out.candidate?.name).toBe('Report writing with citations');
    expect(m.calls).toHaveLength(1);
    const payload = m.calls[0]!.payload!;
    expect(payload.user_turns).toHaveLength(2);
    expect(payload.latest_user_message).toContain("Don't hallucinate");
    expect(payload.hint).toBeNull();
  });

  it('returns no candidate when the model says so', async () => {
    const m = scriptedModel(() => '{"skill": null, "reason": "one-off request"}', 'v4');
    const out = await new LlmExtractor(m.llm).extract({ userId: 'u1', messages: conversation.slice(0, 1) });
    expect(out).toEqual({ candidate: null, reason: 'one-off request' });
  });

  it('recovers from a fenced answer with a chatty prefix', async () => {
    const m = scriptedModel(() => 'Sure!\n```json\n' + JSON.stringify({ skill: REPORT_SKILL }) + '\n```');
    const out = await new LlmExtractor(m.llm).extract({ userId: 'u1', messages: conversation });
    expect(out.candidate?.slug).toBe('report-writing-with-citations');
    expect(m.calls).toHaveLength(1);
  });

  it('repairs once: the second (repair) answer is used when valid', async () => {
    const m = scriptedModel((call) => (call.mode === 'repair' ? JSON.stringify({ skill: REPORT_SKILL }) : 'name: report-writing\nprompt: cite sources'));
    const out = await new LlmExtractor(m.llm).extract({ userId: 'u1', messages: conversation });
    expect(out.candidate?.slug).toBe('report-writing-with-citations');
    expect(m.calls.map((c) => c.mode)).toEqual(['extract', 'repair']);
  });

  it('fails with LlmOutputError when the repair is malformed too', async () => {
    const m = scriptedModel(() => '{"skill": {"name": 42}}');
    await expect(new LlmExtractor(m.llm).extract({ userId: 'u1', messages: conversation })).rejects.toBeInstanceOf(LlmOutputError);
    expect(m.calls.map((c) => c.mode)).toEqual(['extract', 'repair']);
  });

  it('passes the reference skill as an identity hint and an explicit request as the hint', async () => {
    const m = scriptedModel(() => '{"skill": null, "reason": "nothing"}');
    await new LlmExtractor(m.llm).extract({
      userId: 'u1',
      messages: conversation,
      explicit: true,
      reference: { slug: 'report-writing', name: 'Report writing', description: 'd', triggers: ['t'], tags: ['x'] },
    });
    const p = m.calls[0]!.payload!;
    expect(p.reference_skill).toMatchObject({ name: 'report-writing', title: 'Report writing' });
    expect(String(p.hint)).toContain('asked to save a skill');
  });
});
