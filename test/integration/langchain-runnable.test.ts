import { AIMessage, HumanMessage, SystemMessage, type BaseMessage } from '@langchain/core/messages';
import { StringOutputParser } from '@langchain/core/output_parsers';
import { ChatPromptTemplate, MessagesPlaceholder } from '@langchain/core/prompts';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { withSkills, type SkillsRunnable } from '../../src/adapters/langchain/index.js';
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

let dir: string;
let sdk: AutoSkill;

// `minScore: 0` where a test is about the adapter, not about ranking: with the default ranking a
// one-skill store scores a realistic request far below the default 0.25. Isolation between users
// is still tested at 0.
const closers = useAdapterSdk('lc-runnable', (s, d) => {
  sdk = s;
  dir = d;
});

function track<T>(r: SkillsRunnable<T>): SkillsRunnable<T> {
  closers.push(() => r.close());
  return r;
}

const roles = (messages: BaseMessage[]) => messages.map((m) => m.type);

describe('withSkills', () => {
  test('injects the skills as a SystemMessage after the leading system messages', async () => {
    const skill = await sdk.upsert(reportSkill, { owner: 'user:u1' });
    const model = new ScriptedChatModel();
    const runnable = track(withSkills(model, { sdk, minScore: 0 }));
    const answer = await runnable.invoke([new SystemMessage('You are terse.'), new SystemMessage('Answer in English.'), new HumanMessage(LATER_REQUEST)], {
      metadata: { userId: 'u1' },
    });
    expect(answer.content).toBe('Here is your report.');
    const [input] = model.chatInputs();
    expect(roles(input!)).toEqual(['system', 'system', 'system', 'human']);
    expect(input![0]!.text).toBe('You are terse.');
    expect(input![1]!.text).toBe('Answer in English.');
    expect(input![2]!.text).toContain('Cite a source for every claim.');
    expect(input![2]!.text).toContain(skill.name);
    expect(input![3]!.text).toBe(LATER_REQUEST);
  });

  test('takes a plain string and a prompt value; injects nothing for another user', async () => {
    await sdk.upsert(reportSkill, { owner: 'user:u1' });
    const model = new ScriptedChatModel();
    const runnable = track(withSkills(model, { sdk, minScore: 0 }));
    await runnable.invoke(LATER_REQUEST, { metadata: { userId: 'u1' } });
    await runnable.invoke(LATER_REQUEST, { metadata: { userId: 'u2' } });
    const prompt = await ChatPromptTemplate.fromMessages([['human', '{q}']]).invoke({ q: LATER_REQUEST });
    await runnable.invoke(prompt, { configurable: { userId: 'u1' } });
    const inputs = model.chatInputs();
    expect(inputs.map(roles)).toEqual([['system', 'human'], ['human'], ['system', 'human']]);
  });

  test('composes with pipe and streams the model chunks unchanged', async () => {
    await sdk.upsert(reportSkill, { owner: 'user:u1' });
    const answer = 'Wind supplies half of Denmark’s power.';
    const direct: string[] = [];
    for await (const chunk of await new FakeListChatModel({ responses: [answer] }).stream(LATER_REQUEST)) direct.push(chunk.text);

    const model = new ScriptedChatModel([answer]);
    const prompt = ChatPromptTemplate.fromMessages([['system', 'You are a careful analyst.'], ['human', '{q}']]);
    const chain = prompt.pipe(track(withSkills(model, { sdk, minScore: 0 }))).pipe(new StringOutputParser());
    const streamed: string[] = [];
    for await (const chunk of await chain.stream({ q: LATER_REQUEST }, { metadata: { userId: 'u1' } })) streamed.push(chunk);
    expect(streamed).toEqual(direct);
    expect(streamed.length).toBe([...answer].length);
    const [input] = model.chatInputs();
    expect(roles(input!)).toEqual(['system', 'system', 'human']);
    expect(input![0]!.text).toBe('You are a careful analyst.');
    expect(input![1]!.text).toContain('Never use emojis.');

    const invoked = await chain.invoke({ q: LATER_REQUEST }, { metadata: { userId: 'u1' } });
    expect(invoked).toBe(answer);
  });

  test('callbacks of the caller still see the model run, with the injected input', async () => {
    await sdk.upsert(reportSkill, { owner: 'user:u1' });
    const recorder = new InputRecorder();
    await track(withSkills(new ScriptedChatModel(), { sdk, minScore: 0 })).invoke(LATER_REQUEST, { metadata: { userId: 'u1' }, callbacks: [recorder] });
    expect(recorder.inputs.map(roles)).toEqual([['system', 'human']]);
  });

  test('learns from the second turn with the wrapped model as extractor, then injects what it learned', async () => {
    const model = new ScriptedChatModel();
    const runnable = track(withSkills(model, { sdk: { storeDir: path.join(dir, 'own') }, minScore: 0 }));
    const history = [new HumanMessage(FIRST_REQUEST), new AIMessage(FIRST_ANSWER), new HumanMessage(FEEDBACK)];
    await runnable.invoke(history.slice(0, 1), { metadata: { userId: 'dana', sessionId: 'chat-1' } });
    await runnable.invoke(history, { metadata: { userId: 'dana', sessionId: 'chat-1' } });
    await runnable.flush();
    const own = await runnable.getSdk();
    const [job] = await own.jobs.list({ userId: 'dana' });
    expect(job).toBeDefined();
    const done = (await own.jobs.wait(undefined, job!.id))!;
    expect(done.result).toMatchObject({ status: 'upserted', extractor: expect.stringMatching(/^llm:/) });
    expect(model.received.filter((r) => r.kind === 'extract')).toHaveLength(1);
    await own.settled();
    const learned = own.list({ userId: 'dana', scope: 'user' });
    expect(learned.map((s) => s.slug)).toEqual(['report-writing-with-citations']);

    await runnable.invoke(LATER_REQUEST, { metadata: { userId: 'dana' } });
    const last = model.chatInputs().at(-1)!;
    expect(roles(last)).toEqual(['system', 'human']);
    expect(last[0]!.text).toContain('Cite a source for every factual claim.');
  });

  test('a malformed user id skips autoskill; a broken SDK does not break the call', async () => {
    await sdk.upsert(reportSkill, { owner: 'user:default' });
    const errors: string[] = [];
    const model = new ScriptedChatModel();
    const runnable = track(withSkills(model, { sdk, minScore: 0, onError: (e, i) => errors.push(`${i.phase}:${e.message}`) }));
    await runnable.invoke(LATER_REQUEST, { metadata: { userId: { id: 7 } } });
    expect(roles(model.chatInputs()[0]!)).toEqual(['human']);
    expect(errors).toEqual(['retrieve:userId must be a non-empty string']);

    const failing = Promise.reject(new Error('store offline'));
    const broken = track(withSkills(model, { sdk: failing, onError: (e, i) => errors.push(`${i.phase}:${e.message}`) }));
    const answer = await broken.invoke([new HumanMessage(FIRST_REQUEST), new AIMessage(FIRST_ANSWER), new HumanMessage(FEEDBACK)]);
    expect(answer.content).toBe('Here is your report.');
    expect(errors).toContain('open:store offline');
    expect(errors).toContain('learn:store offline');
  });
});
