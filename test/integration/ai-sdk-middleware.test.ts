import type { LanguageModelV4CallOptions, LanguageModelV4Prompt, LanguageModelV4StreamPart } from '@ai-sdk/provider';
import { generateText, stepCountIs, streamText, tool, wrapLanguageModel, type ModelMessage } from 'ai';
import { convertArrayToReadableStream, convertReadableStreamToArray, MockLanguageModelV3, MockLanguageModelV4 } from 'ai/test';
import path from 'node:path';
import { describe, expect, test, vi } from 'vitest';
import { z } from 'zod';
import { autoskillMiddleware, type AutoSkillMiddleware, type AutoSkillProviderMetadata } from '../../src/adapters/ai-sdk/index.js';
import type { AutoSkill } from '../../src/engine/autoskill.js';
import {
  DECIDE_ADD_JSON,
  EXTRACTION_JSON,
  FEEDBACK,
  FIRST_ANSWER,
  FIRST_REQUEST,
  LATER_REQUEST,
  promptKind,
  useAdapterSdk,
} from '../helpers/adapter-fixtures.js';

const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 5, text: 5, reasoning: undefined },
};

type Version = 'v3' | 'v4';

/** For tests that read the job id from the metadata: wait for scheduling however slow the machine is. */
const WAIT = { learnWaitMs: 10_000 };

/**
 * These tests are about the adapter, not about ranking: every readable skill is a candidate. (With
 * the default ranking a one-skill store scores a realistic request far below the default 0.25.)
 * Isolation between users is still tested: another user's skill must never appear, even at 0.
 */
const ANY = { minScore: 0 };

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p) => (p && typeof p === 'object' && 'text' in p ? String(p.text) : '')).join('');
  return '';
}

function systemText(prompt: LanguageModelV4Prompt): string {
  return prompt.filter((m) => m.role === 'system').map((m) => textOf(m.content)).join('\n');
}

/** A chat model that answers chat turns with `answer` and autoskill's own prompts like a capable model. */
function chatModel(version: Version, answer = 'Here is your report.') {
  const doGenerate = async (options: { prompt: unknown }) => {
    const kind = promptKind(systemText(options.prompt as LanguageModelV4Prompt));
    const text = kind === 'extract' ? EXTRACTION_JSON : kind === 'decide' ? DECIDE_ADD_JSON : answer;
    return { content: [{ type: 'text' as const, text }], finishReason: { unified: 'stop' as const, raw: undefined }, usage, warnings: [] };
  };
  return version === 'v3' ? new MockLanguageModelV3({ doGenerate }) : new MockLanguageModelV4({ doGenerate });
}

const streamParts: LanguageModelV4StreamPart[] = [
  { type: 'stream-start', warnings: [] },
  { type: 'response-metadata', id: 'resp-1', modelId: 'mock' },
  { type: 'text-start', id: 't1' },
  { type: 'text-delta', id: 't1', delta: 'Solar ' },
  { type: 'text-delta', id: 't1', delta: 'power ' },
  { type: 'text-delta', id: 't1', delta: 'is growing.' },
  { type: 'text-end', id: 't1' },
  { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage },
];

function streamingModel(version: Version, parts: LanguageModelV4StreamPart[] = streamParts) {
  const doStream = async () => ({ stream: convertArrayToReadableStream(structuredClone(parts)) });
  // V3 and V4 stream parts are the same for these types.
  return version === 'v3' ? new MockLanguageModelV3({ doStream: doStream as never }) : new MockLanguageModelV4({ doStream });
}

const reportSkill = {
  name: 'Report writing with citations',
  description: 'Write reports that cite a source for every claim and never use emojis.',
  instructions: '# Goal\nWrite reports.\n\n# Constraints & Style\n- Cite a source for every claim.\n- Never use emojis.',
  triggers: ['write a report', 'report about a topic', 'draft a report'],
  tags: ['report', 'citations'],
};

function conversation(): ModelMessage[] {
  return [
    { role: 'user', content: FIRST_REQUEST },
    { role: 'assistant', content: FIRST_ANSWER },
    { role: 'user', content: FEEDBACK },
  ];
}

function autoskillOf(meta: unknown): AutoSkillProviderMetadata {
  return (meta as { autoskill: AutoSkillProviderMetadata }).autoskill;
}

let dir: string;
let sdk: AutoSkill;
const closers = useAdapterSdk('ai-sdk', (s, d) => {
  sdk = s;
  dir = d;
});

function track(mw: AutoSkillMiddleware): AutoSkillMiddleware {
  closers.push(() => mw.close());
  return mw;
}

describe.each<Version>(['v4', 'v3'])('autoskillMiddleware with a LanguageModel%s', (version) => {
  test('generateText: the skills go right after the leading system messages; metadata names them', async () => {
    const skill = await sdk.upsert(reportSkill, { owner: 'user:u1' });
    const model = chatModel(version);
    const wrapped = wrapLanguageModel({ model, middleware: track(autoskillMiddleware({ sdk, ...ANY })) });
    const result = await generateText({
      model: wrapped,
      instructions: [
        { role: 'system', content: 'You are a helpful analyst.' },
        { role: 'system', content: 'Answer in English.' },
      ],
      prompt: LATER_REQUEST,
      providerOptions: { autoskill: { userId: 'u1' } },
    });
    expect(result.text).toBe('Here is your report.');
    const prompt = model.doGenerateCalls[0]!.prompt as LanguageModelV4Prompt;
    expect(prompt.map((m) => m.role)).toEqual(['system', 'system', 'system', 'user']);
    expect(prompt[0]!.content).toBe('You are a helpful analyst.');
    expect(prompt[1]!.content).toBe('Answer in English.');
    expect(textOf(prompt[2]!.content)).toContain('Cite a source for every claim.');
    expect(textOf(prompt[3]!.content)).toBe(LATER_REQUEST);
    const meta = autoskillOf(result.providerMetadata);
    expect(meta.user).toBe('u1');
    expect(meta.skills.map((s) => s.id)).toEqual([skill.id]);
    expect(meta.skills[0]!.version).toBe(skill.version);
    expect(meta.skills[0]!.score).toBeGreaterThan(0);
  });

  test('streamText: every part reaches the caller unchanged; the finish part carries the metadata', async () => {
    const skill = await sdk.upsert(reportSkill, { owner: 'user:u1' });
    const model = streamingModel(version);
    const wrapped = wrapLanguageModel({ model, middleware: track(autoskillMiddleware({ sdk, ...ANY })) });
    const result = streamText({ model: wrapped, prompt: LATER_REQUEST, providerOptions: { autoskill: { userId: 'u1' } } });
    const chunks: string[] = [];
    for await (const chunk of result.textStream) chunks.push(chunk);
    expect(chunks).toEqual(['Solar ', 'power ', 'is growing.']);
    const meta = autoskillOf(await result.providerMetadata);
    expect(meta.skills.map((s) => s.id)).toEqual([skill.id]);
    const prompt = model.doStreamCalls[0]!.prompt as LanguageModelV4Prompt;
    expect(prompt.map((m) => m.role)).toEqual(['system', 'user']);
    expect(textOf(prompt[0]!.content)).toContain('Never use emojis.');
  });

  test('the wrapped stream yields the same parts in the same order, plus only the metadata', async () => {
    await sdk.upsert(reportSkill, { owner: 'user:u1' });
    const wrapped = wrapLanguageModel({ model: streamingModel(version), middleware: track(autoskillMiddleware({ sdk, ...ANY })) });
    const { stream } = await wrapped.doStream({
      prompt: [{ role: 'user', content: [{ type: 'text', text: LATER_REQUEST }] }],
      providerOptions: { autoskill: { userId: 'u1' } },
    });
    const parts = await convertReadableStreamToArray(stream);
    expect(parts).toHaveLength(streamParts.length);
    const finish = parts.at(-1) as Extract<LanguageModelV4StreamPart, { type: 'finish' }>;
    const { providerMetadata, ...rest } = finish;
    expect(rest).toEqual(streamParts.at(-1));
    expect(Object.keys(providerMetadata ?? {})).toEqual(['autoskill']);
    expect(parts.slice(0, -1)).toEqual(streamParts.slice(0, -1));
  });
});

describe('autoskillMiddleware', () => {
  test('a text delta reaches the caller before the model has finished the stream', async () => {
    let push!: (part: LanguageModelV4StreamPart) => void;
    let end!: () => void;
    const source = new ReadableStream<LanguageModelV4StreamPart>({
      start(controller) {
        push = (p) => controller.enqueue(p);
        end = () => controller.close();
      },
    });
    const model = new MockLanguageModelV4({ doStream: async () => ({ stream: source }) });
    const wrapped = wrapLanguageModel({ model, middleware: track(autoskillMiddleware({ sdk, ...ANY })) });
    const { stream } = await wrapped.doStream({ prompt: [{ role: 'user', content: [{ type: 'text', text: 'hello' }] }] });
    const reader = stream.getReader();
    push({ type: 'text-start', id: 't' });
    push({ type: 'text-delta', id: 't', delta: 'Hel' });
    expect(await reader.read()).toEqual({ done: false, value: { type: 'text-start', id: 't' } });
    expect(await reader.read()).toEqual({ done: false, value: { type: 'text-delta', id: 't', delta: 'Hel' } });
    push({ type: 'text-end', id: 't' });
    push({ type: 'finish', finishReason: { unified: 'stop', raw: undefined }, usage });
    end();
    expect((await reader.read()).value).toEqual({ type: 'text-end', id: 't' });
    expect((await reader.read()).value?.type).toBe('finish');
    expect((await reader.read()).done).toBe(true);
  });

  test('a second turn with a durable constraint becomes a skill (offline extractor) that a later call injects', async () => {
    const mw = track(autoskillMiddleware({ sdk: { storeDir: path.join(dir, 'own') }, extractionModel: 'offline', ...ANY, ...WAIT }));
    const model = chatModel('v4');
    const wrapped = wrapLanguageModel({ model, middleware: mw });
    const opts = { providerOptions: { autoskill: { userId: 'alice', sessionId: 's1' } } };

    const first = await generateText({ model: wrapped, prompt: FIRST_REQUEST, ...opts });
    expect(autoskillOf(first.providerMetadata).extraction.job_id).toBeNull();
    const second = await generateText({ model: wrapped, messages: conversation(), ...opts });
    await mw.flush();
    const own = await mw.getSdk();
    const jobId = autoskillOf(second.providerMetadata).extraction.job_id ?? (await own.jobs.list({ userId: 'alice' }, 1))[0]?.id;
    expect(jobId).toBeTruthy();
    const job = (await own.jobs.wait(undefined, jobId!))!;
    expect(job.state).toBe('completed');
    await own.settled();
    const learned = own.list({ userId: 'alice', scope: 'user' });
    expect(learned).toHaveLength(1);
    expect(learned[0]!.instructions.toLowerCase()).toContain('emoji');

    const later = await generateText({ model: wrapped, prompt: LATER_REQUEST, providerOptions: { autoskill: { userId: 'alice' } } });
    expect(autoskillOf(later.providerMetadata).skills.map((s) => s.id)).toEqual([learned[0]!.id]);
    const prompt = model.doGenerateCalls.at(-1)!.prompt as LanguageModelV4Prompt;
    expect(prompt[0]!.role).toBe('system');
    expect(textOf(prompt[0]!.content).toLowerCase()).toContain('emoji');
    // Only chat calls reached the model: the offline extractor never called it.
    expect(model.doGenerateCalls.every((c) => promptKind(systemText(c.prompt as LanguageModelV4Prompt)) === 'chat')).toBe(true);
  });

  test('by default the wrapped model itself extracts, without passing through the middleware', async () => {
    const mw = track(autoskillMiddleware({ sdk: { storeDir: path.join(dir, 'own') }, ...WAIT }));
    const model = chatModel('v4');
    const wrapped = wrapLanguageModel({ model, middleware: mw });
    const result = await generateText({ model: wrapped, messages: conversation(), providerOptions: { autoskill: { userId: 'bob' } } });
    await mw.flush();
    const own = await mw.getSdk();
    const job = (await own.jobs.wait(undefined, autoskillOf(result.providerMetadata).extraction.job_id!))!;
    expect(job.state).toBe('completed');
    expect(job.result).toMatchObject({ status: 'upserted', extractor: expect.stringMatching(/^llm:/) });
    await own.settled();
    const [learned] = own.list({ userId: 'bob', scope: 'user' });
    expect(learned?.slug).toBe('report-writing-with-citations');
    expect(learned?.instructions).toContain('Cite a source for every factual claim.');
    const extraction = model.doGenerateCalls.filter((c) => promptKind(systemText(c.prompt as LanguageModelV4Prompt)) === 'extract');
    expect(extraction).toHaveLength(1);
    // The extraction request went to the inner model directly: no skills message, no second job.
    expect(extraction[0]!.prompt.some((m) => m.providerOptions?.autoskill !== undefined)).toBe(false);
    expect(await own.jobs.list({ userId: 'bob' })).toHaveLength(1);
  });

  test('a separately given extraction model (V3) does the extraction, the chat model only chats', async () => {
    const extractor = chatModel('v3', 'unused');
    const model = chatModel('v4');
    const mw = track(autoskillMiddleware({ sdk: { storeDir: path.join(dir, 'own') }, extractionModel: extractor, ...WAIT }));
    const wrapped = wrapLanguageModel({ model, middleware: mw });
    const result = await generateText({ model: wrapped, messages: conversation(), providerOptions: { autoskill: { userId: 'carol' } } });
    await mw.flush();
    const own = await mw.getSdk();
    expect(await own.jobs.wait(undefined, autoskillOf(result.providerMetadata).extraction.job_id!)).toBeDefined();
    await own.settled();
    expect(own.list({ userId: 'carol', scope: 'user' }).map((s) => s.slug)).toEqual(['report-writing-with-citations']);
    expect(extractor.doGenerateCalls.map((c) => promptKind(systemText(c.prompt as LanguageModelV4Prompt)))).toContain('extract');
    expect(model.doGenerateCalls).toHaveLength(1);
  });

  test('the user id from providerOptions isolates users', async () => {
    await sdk.upsert(reportSkill, { owner: 'user:u1' });
    const model = chatModel('v4');
    const wrapped = wrapLanguageModel({ model, middleware: track(autoskillMiddleware({ sdk, minScore: 0, ...WAIT })) });
    const asU2 = await generateText({ model: wrapped, prompt: LATER_REQUEST, providerOptions: { autoskill: { userId: 'u2' } } });
    expect(autoskillOf(asU2.providerMetadata).skills).toEqual([]);
    expect(model.doGenerateCalls[0]!.prompt.map((m) => m.role)).toEqual(['user']);
    const asDefault = await generateText({ model: wrapped, prompt: LATER_REQUEST });
    expect(autoskillOf(asDefault.providerMetadata)).toMatchObject({ user: 'default', skills: [] });
    const asU1 = await generateText({ model: wrapped, prompt: LATER_REQUEST, providerOptions: { autoskill: { userId: 'u1' } } });
    expect(autoskillOf(asU1.providerMetadata).skills).toHaveLength(1);

    // Learning is per user too: u2's feedback lands in u2's folder only.
    const learnAsU2 = await generateText({ model: wrapped, messages: conversation(), providerOptions: { autoskill: { userId: 'u2' } } });
    await sdk.jobs.wait(undefined, autoskillOf(learnAsU2.providerMetadata).extraction.job_id!);
    await sdk.settled();
    expect(sdk.list({ userId: 'u2', scope: 'user' })).toHaveLength(1);
    expect(sdk.list({ userId: 'u1', scope: 'user' }).map((s) => s.name)).toEqual([reportSkill.name]);
  });

  test('getUserId and the userId option supply the user when providerOptions do not', async () => {
    await sdk.upsert(reportSkill, { owner: 'user:from-header' });
    const model = chatModel('v4');
    const mw = track(
      autoskillMiddleware({ sdk, ...ANY, userId: 'fallback', getUserId: (p: LanguageModelV4CallOptions) => p.headers?.['x-user'] ?? undefined }),
    );
    const wrapped = wrapLanguageModel({ model, middleware: mw });
    const viaHeader = await generateText({ model: wrapped, prompt: LATER_REQUEST, headers: { 'x-user': 'from-header' } });
    expect(autoskillOf(viaHeader.providerMetadata)).toMatchObject({ user: 'from-header', skills: [{ name: reportSkill.name, standing: false }] });
    const viaDefault = await generateText({ model: wrapped, prompt: LATER_REQUEST });
    expect(autoskillOf(viaDefault.providerMetadata)).toMatchObject({ user: 'fallback', skills: [] });
  });

  test('a malformed user id skips autoskill for the call instead of using the shared default user', async () => {
    await sdk.upsert(reportSkill, { owner: 'user:default' });
    const errors: string[] = [];
    const model = chatModel('v4');
    const mw = track(autoskillMiddleware({ sdk, minScore: 0, onError: (e) => errors.push(e.message) }));
    const wrapped = wrapLanguageModel({ model, middleware: mw });
    const result = await generateText({ model: wrapped, messages: conversation(), providerOptions: { autoskill: { userId: { id: 42 } } } });
    expect(result.text).toBe('Here is your report.');
    expect(result.providerMetadata?.autoskill).toBeUndefined();
    expect(model.doGenerateCalls[0]!.prompt.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(errors.join()).toMatch(/userId/);
    await mw.flush();
    expect(await sdk.jobs.list(undefined)).toEqual([]);
    // A numeric id is fine: it is the user "42".
    const numeric = await generateText({ model: wrapped, prompt: LATER_REQUEST, providerOptions: { autoskill: { userId: 42 } } });
    expect(autoskillOf(numeric.providerMetadata)).toMatchObject({ user: '42', skills: [] });
  });

  test('a retrieval failure does not break the call and is reported', async () => {
    await sdk.upsert(reportSkill, { owner: 'user:u1' });
    // The retrieval for a turn searches through the facade's public `search`: make it fail.
    vi.spyOn(sdk, 'search').mockRejectedValue(new Error('index unavailable'));
    const errors: Array<{ message: string; phase: string }> = [];
    const model = chatModel('v4');
    const mw = track(autoskillMiddleware({ sdk, onError: (e, info) => errors.push({ message: e.message, phase: info.phase }) }));
    const result = await generateText({ model: wrapLanguageModel({ model, middleware: mw }), prompt: LATER_REQUEST, providerOptions: { autoskill: { userId: 'u1' } } });
    expect(result.text).toBe('Here is your report.');
    expect(model.doGenerateCalls[0]!.prompt.map((m) => m.role)).toEqual(['user']);
    expect(errors).toEqual([{ message: 'index unavailable', phase: 'retrieve' }]);
    expect(autoskillOf(result.providerMetadata)).toMatchObject({ skills: [], retrieval: { error: 'index unavailable' } });
  });

  test('a retrieval that outlives its time box does not hold the call', async () => {
    await sdk.upsert(reportSkill, { owner: 'user:u1' });
    vi.spyOn(sdk, 'search').mockReturnValue(new Promise(() => {}));
    const errors: Array<{ timedOut?: boolean }> = [];
    const model = streamingModel('v4');
    const mw = track(autoskillMiddleware({ sdk, timeoutMs: 30, onError: (_e, info) => errors.push(info) }));
    const result = streamText({ model: wrapLanguageModel({ model, middleware: mw }), prompt: LATER_REQUEST, providerOptions: { autoskill: { userId: 'u1' } } });
    expect(await result.text).toBe('Solar power is growing.');
    expect(errors).toMatchObject([{ phase: 'retrieve', timedOut: true }]);
    expect(autoskillOf(await result.providerMetadata)).toMatchObject({ skills: [], retrieval: { timed_out: true } });
  });

  test('an SDK that cannot be opened, or learning that fails, never fails the call', async () => {
    const errors: string[] = [];
    const broken = track(autoskillMiddleware({ sdk: Promise.reject(new Error('store offline')), onError: (e, i) => errors.push(`${i.phase}:${e.message}`) }));
    const model = chatModel('v4');
    const result = await generateText({ model: wrapLanguageModel({ model, middleware: broken }), messages: conversation() });
    expect(result.text).toBe('Here is your report.');
    expect(errors).toContain('open:store offline');
    expect(errors).toContain('learn:store offline');

    // The turn pipeline hands the turn to the learning service: make it fail.
    vi.spyOn(sdk.learning, 'observe').mockRejectedValue(new Error('journal full'));
    const failingLearn = track(autoskillMiddleware({ sdk, onError: (e, i) => errors.push(`${i.phase}:${e.message}`) }));
    const streamed = streamText({ model: wrapLanguageModel({ model: streamingModel('v4'), middleware: failingLearn }), messages: conversation() });
    expect(await streamed.text).toBe('Solar power is growing.');
    expect(autoskillOf(await streamed.providerMetadata).extraction).toMatchObject({ status: 'failed', job_id: null, reason: 'journal full' });
    expect(errors).toContain('learn:journal full');
  });

  test('in a tool loop every step gets the skills, but the user turn is learned from once', async () => {
    await sdk.upsert(reportSkill, { owner: 'user:u1' });
    let step = 0;
    const model = new MockLanguageModelV4({
      doGenerate: async () => {
        step += 1;
        if (step === 1) {
          return {
            content: [{ type: 'tool-call' as const, toolCallId: 'c1', toolName: 'lookup', input: JSON.stringify({ q: 'wind' }) }],
            finishReason: { unified: 'tool-calls' as const, raw: undefined },
            usage,
            warnings: [],
          };
        }
        return { content: [{ type: 'text' as const, text: 'Report done.' }], finishReason: { unified: 'stop' as const, raw: undefined }, usage, warnings: [] };
      },
    });
    const mw = track(autoskillMiddleware({ sdk, minScore: 0, ...WAIT }));
    const result = await generateText({
      model: wrapLanguageModel({ model, middleware: mw }),
      messages: conversation(),
      tools: { lookup: tool({ inputSchema: z.object({ q: z.string() }), execute: async () => 'Denmark: 50% wind' }) },
      stopWhen: stepCountIs(3),
      providerOptions: { autoskill: { userId: 'u1' } },
    });
    expect(result.text).toBe('Report done.');
    expect(model.doGenerateCalls).toHaveLength(2);
    for (const call of model.doGenerateCalls) expect(call.prompt[0]!.role).toBe('system');
    expect(model.doGenerateCalls[1]!.prompt.at(-1)!.role).toBe('tool');
    await mw.flush();
    expect(await sdk.jobs.list({ userId: 'u1' })).toHaveLength(1);
    expect(autoskillOf(result.steps[0]!.providerMetadata).extraction.job_id).toBeTruthy();
    expect(autoskillOf(result.steps[1]!.providerMetadata).extraction.job_id).toBeNull();
  });

  test('a skills message already in the prompt is replaced, not duplicated', async () => {
    await sdk.upsert(reportSkill, { owner: 'user:u1' });
    const model = chatModel('v4');
    const inner = autoskillMiddleware({ sdk, ...ANY });
    const outer = autoskillMiddleware({ sdk, ...ANY, inject: true });
    track(inner);
    track(outer);
    await generateText({
      model: wrapLanguageModel({ model, middleware: [outer, inner] }),
      prompt: LATER_REQUEST,
      providerOptions: { autoskill: { userId: 'u1', learn: false } },
    });
    const prompt = model.doGenerateCalls[0]!.prompt as LanguageModelV4Prompt;
    expect(prompt.map((m) => m.role)).toEqual(['system', 'user']);
    await inner.flush();
    expect(await sdk.jobs.list({ userId: 'u1' })).toEqual([]);
  });
});
