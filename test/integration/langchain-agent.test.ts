import { fakeModel } from '@langchain/core/testing';
import { AIMessage, createAgent, HumanMessage, tool } from 'langchain';
import path from 'node:path';
import { describe, expect, test, vi } from 'vitest';
import { z } from 'zod';
import { autoskillAgentMiddleware } from '../../src/adapters/langchain/index.js';
import type { AutoSkill } from '../../src/engine/autoskill.js';
import { FEEDBACK, FIRST_ANSWER, FIRST_REQUEST, LATER_REQUEST, useAdapterSdk } from '../helpers/adapter-fixtures.js';
import { InputRecorder, ScriptedChatModel } from '../helpers/langchain-models.js';

const reportSkill = {
  name: 'Report writing with citations',
  description: 'Write reports that cite a source for every claim and never use emojis.',
  instructions: '# Goal\nWrite reports.\n\n# Constraints & Style\n- Cite a source for every claim.\n- Never use emojis.',
  triggers: ['write a report', 'report about a topic', 'draft a report'],
  tags: ['report', 'citations'],
};

const lookup = tool(async ({ q }: { q: string }) => `Denmark: wind supplied 54% of power (${q}).`, {
  name: 'lookup',
  description: 'Look up energy statistics.',
  schema: z.object({ q: z.string() }),
});

/** A tool-calling model: first asks for the lookup tool, then answers. */
function toolCallingModel() {
  return fakeModel()
    .respondWithTools([{ name: 'lookup', args: { q: 'wind denmark' }, id: 'call-1' }])
    .respond(new AIMessage('Wind supplied 54% of Denmark’s power [Energinet 2025].'));
}

let dir: string;
let sdk: AutoSkill;

// `minScore: 0` where a test is about the adapter, not about ranking: with the default ranking a
// one-skill store scores a realistic request far below the default 0.25. Isolation between users
// is still tested at 0.
const closers = useAdapterSdk('lc-agent', (s, d) => {
  sdk = s;
  dir = d;
});

function middleware(options: Parameters<typeof autoskillAgentMiddleware>[0]) {
  const mw = autoskillAgentMiddleware(options);
  closers.push(() => mw.close());
  return mw;
}

describe('autoskillAgentMiddleware', () => {
  test('every model call of the run gets the skills after the agent system prompt', async () => {
    await sdk.upsert(reportSkill, { owner: 'user:u1' });
    const model = toolCallingModel();
    const agent = createAgent({ model, tools: [lookup], systemPrompt: 'You are an energy analyst.', middleware: [middleware({ sdk, minScore: 0 })] });
    const result = await agent.invoke({ messages: [new HumanMessage(LATER_REQUEST)] }, { context: { userId: 'u1' } });
    expect(result.messages.at(-1)?.text).toContain('54%');
    expect(model.calls).toHaveLength(2);
    for (const call of model.calls) {
      const [system, ...rest] = call.messages;
      expect(system?.type).toBe('system');
      expect(system?.text.startsWith('You are an energy analyst.\n\n')).toBe(true);
      expect(system?.text).toContain('Cite a source for every claim.');
      expect(rest.some((m) => m.type === 'system')).toBe(false);
    }
  });

  test('another user gets nothing; without a system prompt the skills become the system message', async () => {
    await sdk.upsert(reportSkill, { owner: 'user:u1' });
    const model = fakeModel().respond(new AIMessage('ok')).respond(new AIMessage('ok'));
    const agent = createAgent({ model, middleware: [middleware({ sdk, minScore: 0 })] });
    await agent.invoke({ messages: [new HumanMessage(LATER_REQUEST)] }, { context: { userId: 'u2' } });
    await agent.invoke({ messages: [new HumanMessage(LATER_REQUEST)] }, { context: { userId: 'u1' } });
    expect(model.calls[0]!.messages.map((m) => m.type)).toEqual(['human']);
    expect(model.calls[1]!.messages.map((m) => m.type)).toEqual(['system', 'human']);
    expect(model.calls[1]!.messages[0]!.text).toContain('Never use emojis.');
  });

  test('learns from the run after it ends, once per run, and injects the result in a later run', async () => {
    const mw = middleware({ sdk, extract: { mode: 'always' } });
    const agent = createAgent({ model: toolCallingModel(), tools: [lookup], middleware: [mw] });
    const conversation = [new HumanMessage(FIRST_REQUEST), new AIMessage(FIRST_ANSWER), new HumanMessage(FEEDBACK)];
    await agent.invoke({ messages: conversation }, { context: { userId: 'gina' }, configurable: { thread_id: 'thread-9' } });
    await mw.flush();
    const jobs = await sdk.jobs.list({ userId: 'gina' });
    expect(jobs).toHaveLength(1);
    expect((await sdk.jobs.wait(undefined, jobs[0]!.id)).state).toBe('completed');
    await sdk.settled();
    const [learned] = sdk.list({ userId: 'gina', scope: 'user' });
    expect(learned?.instructions.toLowerCase()).toContain('emoji');

    const model = fakeModel().respond(new AIMessage('Here it is.'));
    const later = createAgent({ model, systemPrompt: 'You are an energy analyst.', middleware: [middleware({ sdk, minScore: 0 })] });
    await later.invoke({ messages: [new HumanMessage(LATER_REQUEST)] }, { context: { userId: 'gina' } });
    expect(model.calls[0]!.messages[0]!.text).toContain(learned!.name);
  });

  test('the agent model extracts by default when the middleware opens the SDK', async () => {
    const extractionJson = JSON.stringify({
      skill: {
        name: 'energy-report-writing',
        title: 'Energy reports without emojis',
        description: 'Writes energy reports with cited sources and no emojis. Use for energy statistics reports.',
        prompt: '# Goal\nWrite an energy report.\n\n# Constraints & Style\n- Cite every statistic.\n- No emojis.',
        triggers: ['write an energy report', 'energy statistics report', 'report on wind power'],
        tags: ['energy', 'report'],
      },
    });
    const model = fakeModel().respond(new AIMessage('Revised without emojis.')).structuredResponse(JSON.parse(extractionJson));
    const mw = middleware({ sdk: { storeDir: path.join(dir, 'own') } });
    const agent = createAgent({ model, middleware: [mw] });
    await agent.invoke({ messages: [new HumanMessage(FIRST_REQUEST), new AIMessage(FIRST_ANSWER), new HumanMessage(FEEDBACK)] }, { context: { userId: 'hal' } });
    await mw.flush();
    const own = await mw.getSdk();
    const [job] = await own.jobs.list({ userId: 'hal' });
    expect((await own.jobs.wait(undefined, job!.id))!.result).toMatchObject({ status: 'upserted', extractor: expect.stringMatching(/^llm:/) });
    await own.settled();
    expect(own.list({ userId: 'hal', scope: 'user' }).map((s) => s.slug)).toEqual(['energy-report-writing']);
  });

  test('retrieval failure does not break the agent', async () => {
    await sdk.upsert(reportSkill, { owner: 'user:u1' });
    // The retrieval for a turn searches through the facade's public `search`: make it fail.
    vi.spyOn(sdk, 'search').mockRejectedValue(new Error('index unavailable'));
    const errors: string[] = [];
    const model = fakeModel().respond(new AIMessage('fine'));
    const agent = createAgent({ model, middleware: [middleware({ sdk, onError: (e, i) => errors.push(`${i.phase}:${e.message}`) })] });
    const result = await agent.invoke({ messages: [new HumanMessage(LATER_REQUEST)] }, { context: { userId: 'u1' } });
    expect(result.messages.at(-1)?.text).toBe('fine');
    expect(model.calls[0]!.messages.map((m) => m.type)).toEqual(['human']);
    expect(errors).toEqual(['retrieve:index unavailable']);
  });
});

describe('autoskillAgentMiddleware isolation', () => {
  test("the background extraction does not run under the caller's callbacks", async () => {
    const model = new ScriptedChatModel(['Revised: no emojis, sources cited.']);
    const mw = middleware({ sdk: { storeDir: path.join(dir, 'own') } });
    const agent = createAgent({ model, middleware: [mw] });
    const recorder = new InputRecorder();
    await agent.invoke(
      { messages: [new HumanMessage(FIRST_REQUEST), new AIMessage(FIRST_ANSWER), new HumanMessage(FEEDBACK)] },
      { context: { userId: 'ivy' }, callbacks: [recorder] },
    );
    await mw.flush();
    const own = await mw.getSdk();
    const [job] = await own.jobs.list({ userId: 'ivy' });
    expect((await own.jobs.wait(undefined, job!.id))!.result).toMatchObject({ status: 'upserted' });
    // The model did extract (the agent's model is the default extraction model) ...
    expect(model.received.map((r) => r.kind)).toContain('extract');
    // ... but the caller's handlers (think LangGraph's `messages` stream) only saw the agent's call.
    expect(recorder.inputs).toHaveLength(1);
    expect(recorder.inputs[0]!.at(-1)?.text).toBe(FEEDBACK);
  });
});
