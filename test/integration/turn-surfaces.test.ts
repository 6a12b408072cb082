/**
 * One turn pipeline for every surface: a durable rule stated in the FIRST user message (no answer
 * yet) is learned on the proxy (official `openai` client, stream and not), the AI SDK middleware
 * (the README's `prompt`-only `generateText`), the LangChain runnable, callback handler and agent
 * middleware, and MCP `extract_now`; a plain first request schedules nothing. Every surface
 * reports the same shape (checked against `TurnReportSchema`). The extractor is the offline one
 * (no model), so what is learned is decided by its rules, not by a scripted answer.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { awaitAllCallbacks } from '@langchain/core/callbacks/promises';
import { fakeModel } from '@langchain/core/testing';
import { AIMessage, HumanMessage } from '@langchain/core/messages';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import { generateText, wrapLanguageModel } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { createAgent } from 'langchain';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { autoskillMiddleware } from '../../src/adapters/ai-sdk/index.js';
import { AutoSkillCallbackHandler, autoskillAgentMiddleware, withSkills } from '../../src/adapters/langchain/index.js';
import { AutoSkill } from '../../src/engine/autoskill.js';
import { TurnReportSchema, type TurnReport } from '../../src/engine/turn/report.js';
import { createAutoskillMcpServer } from '../../src/mcp/index.js';
import { tempStoreDir } from '../helpers/adapter-fixtures.js';
import { startProxy, type Proxy } from '../helpers/express-harness.js';
import { startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream.js';

/** First messages that state a durable rule next to a one-off question. */
const RULE_FIRST = [
  { lang: 'en', text: 'From now on answer in plain text. What is BM25?' },
  { lang: 'zh', text: '以后回答都不要用表情符号。今天天气怎么样？' },
] as const;
const PLAIN_FIRST = 'What is the capital of Australia?';

const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 5, text: 5, reasoning: undefined },
};

let sdk: AutoSkill;
let cleanup: () => Promise<void>;
const closers: Array<() => Promise<void>> = [];

beforeEach(async () => {
  const tmp = await tempStoreDir('turn-surfaces');
  cleanup = tmp.cleanup;
  sdk = await AutoSkill.open({ storeDir: tmp.dir });
});

afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await sdk.close();
  await cleanup();
});

/** The report is the one shape; its job (when scheduled) learns exactly one skill for the user. */
async function expectLearned(raw: unknown, userId: string): Promise<TurnReport> {
  const report = TurnReportSchema.parse(raw);
  expect(report.user).toBe(userId);
  expect(report.extraction).toMatchObject({ status: 'scheduled', job_id: expect.any(String) });
  const job = await sdk.jobs.wait(undefined, report.extraction.job_id!);
  expect(job.state).toBe('completed');
  expect(job.result).toMatchObject({ status: 'upserted', extractor: 'offline' });
  await sdk.settled();
  expect(sdk.list({ userId, scope: 'user' })).toHaveLength(1);
  return report;
}

function expectNothingScheduled(raw: unknown): void {
  const report = TurnReportSchema.parse(raw);
  expect(report.extraction).toMatchObject({ status: 'not_scheduled', job_id: null });
  expect(report.extraction.reason).toMatch(/first turn/);
}

describe('proxy (official openai client)', () => {
  let up: FakeUpstream;
  let proxy: Proxy;
  beforeAll(async () => {
    up = await startFakeUpstream({ reply: () => ({ content: 'Sure.' }) });
  });
  afterAll(async () => {
    await up.close();
  });
  beforeEach(async () => {
    proxy = await startProxy({ upstream: up, sdk: { learning: { mode: 'auto' } } });
    // The proxy has its own SDK; the assertions read that one.
    sdk = proxy.sdk;
  });
  afterEach(async () => {
    await proxy.close();
  });

  for (const { lang, text } of RULE_FIRST) {
    test(`a rule in the first message is learned (${lang}, non-stream and stream)`, async () => {
      const client = proxy.client();
      const res = (await client.chat.completions.create({
        model: 'fake-model',
        messages: [{ role: 'user', content: text }],
        user: `p-${lang}`,
        autoskill: { return: true },
      } as never)) as unknown as { autoskill: unknown };
      await expectLearned(res.autoskill, `p-${lang}`);

      const stream = await client.chat.completions.create({
        model: 'fake-model',
        messages: [{ role: 'user', content: text }],
        stream: true,
        user: `ps-${lang}`,
        autoskill: { return: true },
      } as never);
      let report: unknown;
      for await (const chunk of stream as unknown as AsyncIterable<{ autoskill?: unknown }>) if (chunk.autoskill) report = chunk.autoskill;
      await expectLearned(report, `ps-${lang}`);
    });
  }

  test('a plain first request schedules nothing', async () => {
    const res = (await proxy.client().chat.completions.create({
      model: 'fake-model',
      messages: [{ role: 'user', content: PLAIN_FIRST }],
      user: 'plain',
      autoskill: { return: true },
    } as never)) as unknown as { autoskill: unknown };
    expectNothingScheduled(res.autoskill);
    expect(await sdk.jobs.list({ userId: 'plain' })).toEqual([]);
  });
});

describe('AI SDK middleware: the prompt-only generateText of the README', () => {
  function model() {
    return new MockLanguageModelV4({
      doGenerate: async () => ({ content: [{ type: 'text', text: 'Sure.' }], finishReason: { unified: 'stop', raw: undefined }, usage, warnings: [] }),
    });
  }

  for (const { lang, text } of RULE_FIRST) {
    test(`a rule in the first message is learned (${lang})`, async () => {
      const mw = autoskillMiddleware({ sdk, learnWaitMs: 10_000 });
      closers.push(() => mw.close());
      const result = await generateText({ model: wrapLanguageModel({ model: model(), middleware: mw }), prompt: text, providerOptions: { autoskill: { userId: `a-${lang}` } } });
      await expectLearned(result.providerMetadata?.autoskill, `a-${lang}`);
    });
  }

  test('a plain first request schedules nothing', async () => {
    const mw = autoskillMiddleware({ sdk, learnWaitMs: 10_000 });
    closers.push(() => mw.close());
    const result = await generateText({ model: wrapLanguageModel({ model: model(), middleware: mw }), prompt: PLAIN_FIRST });
    expectNothingScheduled(result.providerMetadata?.autoskill);
  });
});

describe('LangChain', () => {
  for (const { lang, text } of RULE_FIRST) {
    test(`runnable: a rule in the first message is learned; the report is in response_metadata and onReport (${lang})`, async () => {
      const reports: TurnReport[] = [];
      const runnable = withSkills(new FakeListChatModel({ responses: ['Sure.'] }), { sdk, learnWaitMs: 10_000, onReport: (r) => reports.push(r) });
      closers.push(() => runnable.close());
      const answer = (await runnable.invoke([new HumanMessage(text)], { metadata: { userId: `r-${lang}` } })) as AIMessage;
      await expectLearned(answer.response_metadata.autoskill, `r-${lang}`);
      expect(reports).toEqual([answer.response_metadata.autoskill]);
    });

    test(`callback handler: a rule in the first message is learned (${lang})`, async () => {
      const reports: TurnReport[] = [];
      const handler = new AutoSkillCallbackHandler({ sdk, learnWaitMs: 10_000, onReport: (r) => reports.push(r) });
      closers.push(() => handler.close());
      await new FakeListChatModel({ responses: ['Sure.'] }).invoke([new HumanMessage(text)], { callbacks: [handler], metadata: { userId: `c-${lang}` } });
      await awaitAllCallbacks();
      await handler.flush();
      expect(reports).toHaveLength(1);
      await expectLearned(reports[0], `c-${lang}`);
    });

    test(`agent middleware: a rule in the first message is learned (${lang})`, async () => {
      const reports: TurnReport[] = [];
      const mw = autoskillAgentMiddleware({ sdk, learnWaitMs: 10_000, onReport: (r) => reports.push(r) });
      closers.push(() => mw.close());
      const agent = createAgent({ model: fakeModel().respond(new AIMessage('Sure.')), middleware: [mw] });
      await agent.invoke({ messages: [new HumanMessage(text)] }, { context: { userId: `g-${lang}` } });
      await mw.flush();
      expect(reports).toHaveLength(1);
      await expectLearned(reports[0], `g-${lang}`);
    });
  }

  test('a plain first request schedules nothing (runnable)', async () => {
    const reports: TurnReport[] = [];
    const runnable = withSkills(new FakeListChatModel({ responses: ['Sure.'] }), { sdk, learnWaitMs: 10_000, onReport: (r) => reports.push(r) });
    closers.push(() => runnable.close());
    await runnable.invoke(PLAIN_FIRST, { metadata: { userId: 'plain' } });
    expect(reports).toHaveLength(1);
    expectNothingScheduled(reports[0]);
  });
});

describe('MCP extract_now', () => {
  for (const { lang, text } of RULE_FIRST) {
    test(`a rule stated in one user message is learned; the tool returns the turn report (${lang})`, async () => {
      const server = createAutoskillMcpServer({ sdk, actor: { userId: `m-${lang}` } });
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      await server.connect(serverSide);
      const client = new Client({ name: 'test', version: '1.0.0' });
      await client.connect(clientSide);
      closers.push(() => client.close());
      const res = await client.callTool({ name: 'extract_now', arguments: { messages: [{ role: 'user', content: text }], wait: true } });
      expect(res.isError).toBeFalsy();
      const out = res.structuredContent as { report: unknown; status: string };
      expect(out.status).toBe('upserted');
      const report = TurnReportSchema.parse(out.report);
      expect(report).toMatchObject({ user: `m-${lang}`, skills: [], extraction: { status: 'scheduled', state: 'completed' } });
      expect(sdk.list({ userId: `m-${lang}`, scope: 'user' })).toHaveLength(1);
    });
  }
});
