import { awaitAllCallbacks } from '@langchain/core/callbacks/promises';
import { AIMessage, HumanMessage } from '@langchain/core/messages';
import { StringOutputParser } from '@langchain/core/output_parsers';
import { ChatPromptTemplate, MessagesPlaceholder } from '@langchain/core/prompts';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { AutoSkillCallbackHandler, INTERNAL_TAG } from '../../src/adapters/langchain/index.js';
import type { AutoSkill } from '../../src/engine/autoskill.js';
import { FEEDBACK, FIRST_ANSWER, FIRST_REQUEST, promptKind, useAdapterSdk } from '../helpers/adapter-fixtures.js';
import { ScriptedChatModel } from '../helpers/langchain-models.js';

let dir: string;
let sdk: AutoSkill;
const closers = useAdapterSdk('lc-callback', (s, d) => {
  sdk = s;
  dir = d;
});

function handler(options: ConstructorParameters<typeof AutoSkillCallbackHandler>[0]): AutoSkillCallbackHandler {
  const h = new AutoSkillCallbackHandler(options);
  closers.push(() => h.close());
  return h;
}

/** A chain the application owns and we do not change: prompt → model → parser. */
function unchangedChain(model = new FakeListChatModel({ responses: ['Understood. Here is the revised report.'] })) {
  const prompt = ChatPromptTemplate.fromMessages([
    ['system', 'You are a report writer.'],
    new MessagesPlaceholder('history'),
    ['human', '{input}'],
  ]);
  return prompt.pipe(model).pipe(new StringOutputParser());
}

const history = [new HumanMessage(FIRST_REQUEST), new AIMessage(FIRST_ANSWER)];

describe('AutoSkillCallbackHandler', () => {
  test('learns from a chain it was only attached to', async () => {
    const h = handler({ sdk });
    const out = await unchangedChain().invoke({ history, input: FEEDBACK }, { callbacks: [h], metadata: { userId: 'erin' } });
    expect(out).toBe('Understood. Here is the revised report.');
    await awaitAllCallbacks();
    await h.flush();
    const [job] = await sdk.jobs.list({ userId: 'erin' });
    expect(job).toBeDefined();
    expect((await sdk.jobs.wait(undefined, job!.id)).state).toBe('completed');
    await sdk.settled();
    const [skill] = sdk.list({ userId: 'erin', scope: 'user' });
    expect(skill?.instructions.toLowerCase()).toContain('emoji');
    expect(sdk.list({ userId: 'default', scope: 'user' })).toEqual([]);
  });

  test('a first turn, a failed run and a run without a final user message are not learned from', async () => {
    const h = handler({ sdk, extract: { mode: 'always' } });
    await unchangedChain().invoke({ history: [], input: FIRST_REQUEST }, { callbacks: [h], metadata: { userId: 'erin' } });
    const failing = unchangedChain(new FakeListChatModel({ responses: ['x'] }));
    await expect(
      failing.invoke({ history, input: FEEDBACK }, { callbacks: [h], metadata: { userId: 'erin' }, thrownErrorString: 'upstream 500' } as never),
    ).rejects.toThrow('upstream 500');
    await new FakeListChatModel({ responses: ['ok'] }).invoke([new HumanMessage(FIRST_REQUEST), new AIMessage(FIRST_ANSWER)], {
      callbacks: [h],
      metadata: { userId: 'erin' },
    });
    await awaitAllCallbacks();
    await h.flush();
    expect(await sdk.jobs.list({ userId: 'erin' })).toEqual([]);
  });

  test("ignores autoskill's own extraction runs", async () => {
    const h = handler({ sdk, extract: { mode: 'always' } });
    const messages = [[new HumanMessage(FIRST_REQUEST), new AIMessage(FIRST_ANSWER), new HumanMessage(FEEDBACK)]];
    h.handleChatModelStart({} as never, messages, 'run-internal', undefined, undefined, [INTERNAL_TAG], { userId: 'erin' });
    await h.handleLLMEnd({ generations: [] }, 'run-internal');
    await h.flush();
    expect(await sdk.jobs.list({ userId: 'erin' })).toEqual([]);
    h.handleChatModelStart({} as never, messages, 'run-user', undefined, undefined, [], { userId: 'erin' });
    await h.handleLLMEnd({ generations: [] }, 'run-user');
    await h.flush();
    expect(await sdk.jobs.list({ userId: 'erin' })).toHaveLength(1);
  });

  test('an extraction model that carries the same handler: its run is tagged internal and adds no job', async () => {
    const extractor = new ScriptedChatModel();
    const h = handler({ sdk: { storeDir: path.join(dir, 'own') }, extractionModel: extractor, extract: { mode: 'always' } });
    const seen: Array<{ system: string; tags: string[] }> = [];
    const observe = h.handleChatModelStart.bind(h);
    h.handleChatModelStart = (llm, messages, runId, parentRunId, extra, tags, metadata) => {
      seen.push({ system: messages[0]?.find((m) => m.type === 'system')?.text ?? '', tags: tags ?? [] });
      return observe(llm, messages, runId, parentRunId, extra, tags, metadata);
    };
    // As it would be with a model constructed with `callbacks: [handler]`.
    extractor.callbacks = [h];
    await unchangedChain().invoke({ history, input: FEEDBACK }, { callbacks: [h], metadata: { userId: 'finn' } });
    await awaitAllCallbacks();
    await h.flush();
    const own = await h.getSdk();
    const jobs = await own.jobs.list({ userId: 'finn' });
    expect(jobs).toHaveLength(1);
    expect((await own.jobs.wait(undefined, jobs[0]!.id))!.result).toMatchObject({ status: 'upserted', extractor: expect.stringMatching(/^llm:/) });
    await awaitAllCallbacks();
    await h.flush();
    const extraction = seen.filter((s) => promptKind(s.system) === 'extract');
    expect(extraction).toHaveLength(1);
    expect(extraction[0]!.tags).toContain(INTERNAL_TAG);
    expect(await own.jobs.list({ userId: 'finn' })).toHaveLength(1);
  });
});
