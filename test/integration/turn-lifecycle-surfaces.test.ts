/**
 * The seed lifecycle through each request-path surface, in an empty store with the offline
 * extractor and the SDK's default retrieval settings, English and Chinese:
 *   A: a one-off task → nothing learned (and its first turn schedules nothing)
 *   B: "don't make things up" feedback → a skill v0.1.0
 *   C: a new constraint for the same kind of task, in a later conversation → v0.1.1 of that skill
 *   D: a similar later task → that skill is injected
 *   E: a standing preference stated in a first message → injected for an unrelated request,
 *      marked standing in the report
 * Surfaces: the proxy (official `openai` client), the AI SDK middleware (`generateText`) and the
 * LangChain runnable, each driven the way an app drives it (the whole conversation each turn);
 * and MCP, driven the way a model drives it (`extract_now` when the user states a rule,
 * `search_skills` at the start of a task).
 * The phrasings are written for this test (none from web_sessions).
 */
import { HumanMessage, AIMessage as LcAIMessage, type BaseMessage } from '@langchain/core/messages';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import { generateText, wrapLanguageModel, type ModelMessage } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { autoskillMiddleware } from '../../src/adapters/ai-sdk/index.js';
import { createAutoskillApp } from '../../src/adapters/express/index.js';
import { withSkills } from '../../src/adapters/langchain/index.js';
import { AutoSkill } from '../../src/engine/autoskill.js';
import { TurnReportSchema, type TurnReport } from '../../src/engine/turn/report.js';
import { createAutoskillMcpServer } from '../../src/mcp/index.js';
import { tempStoreDir } from '../helpers/adapter-fixtures.js';
import { startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream.js';

type Msg = { role: 'user' | 'assistant'; content: string };

interface Script {
  lang: string;
  a: string;
  ack: string;
  b: string;
  later: string;
  c: string;
  similar: string;
  standing: string;
  unrelated: string;
}

const SCRIPTS: Script[] = [
  {
    lang: 'en',
    a: 'Write a report about coffee exports from Brazil.',
    ack: 'Thanks, that looks fine.',
    b: "Don't make up facts, and always cite your sources in my reports.",
    later: 'Write a report on tea exports from Kenya.',
    c: 'Also, keep my reports under 800 words.',
    similar: 'Please write a report about cocoa prices in Ghana.',
    standing: 'From now on, always answer in plain text without markdown. What is BM25?',
    unrelated: 'What is the capital of Peru?',
  },
  {
    lang: 'zh',
    a: '帮我写一份关于巴西咖啡出口的报告。',
    ack: '谢谢，看起来不错。',
    b: '报告里不要编造事实，所有数据都要注明出处。',
    later: '写一份关于肯尼亚茶叶出口的报告。',
    c: '另外，报告控制在800字以内。',
    similar: '请写一份关于加纳可可价格的报告。',
    standing: '以后回答都不要用表情符号。今天天气怎么样？',
    unrelated: '秘鲁的首都是哪里？',
  },
];

const ANSWER = 'Here is the answer. 🌟 **Done.**';

interface Surface {
  sdk: AutoSkill;
  /** one turn: the conversation so far, ending with a user message; the surface's report */
  turn(userId: string, sessionId: string, messages: Msg[]): Promise<TurnReport>;
  close(): Promise<void>;
}

const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 5, text: 5, reasoning: undefined },
};

let up: FakeUpstream;
beforeAll(async () => {
  up = await startFakeUpstream({ reply: () => ({ content: ANSWER }) });
});
afterAll(async () => {
  await up.close();
});

const SURFACES: Record<string, (sdk: AutoSkill) => Promise<Surface>> = {
  async proxy(sdk) {
    const app = createAutoskillApp({ sdk, upstream: new OpenAI({ apiKey: 'k', baseURL: up.url, maxRetries: 0 }), model: 'fake-model', scheduleTimeoutMs: 30_000 });
    const server: Server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const client = new OpenAI({ apiKey: 'anything', baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, maxRetries: 0 });
    return {
      sdk,
      async turn(userId, sessionId, messages) {
        const res = (await client.chat.completions.create({
          model: 'fake-model',
          messages,
          user: userId,
          autoskill: { return: true, session_id: sessionId },
        } as never)) as unknown as { autoskill: unknown };
        return TurnReportSchema.parse(res.autoskill);
      },
      async close() {
        app.close();
        server.closeAllConnections();
        await new Promise<void>((r) => server.close(() => r()));
      },
    };
  },
  async 'ai-sdk'(sdk) {
    const mw = autoskillMiddleware({ sdk, learnWaitMs: 30_000 });
    const model = wrapLanguageModel({
      model: new MockLanguageModelV4({
        doGenerate: async () => ({ content: [{ type: 'text', text: ANSWER }], finishReason: { unified: 'stop', raw: undefined }, usage, warnings: [] }),
      }),
      middleware: mw,
    });
    return {
      sdk,
      async turn(userId, sessionId, messages) {
        const result = await generateText({ model, messages: messages as ModelMessage[], providerOptions: { autoskill: { userId, sessionId } } });
        return TurnReportSchema.parse(result.providerMetadata?.autoskill);
      },
      close: () => mw.close(),
    };
  },
  async langchain(sdk) {
    let last: TurnReport | undefined;
    const runnable = withSkills(new FakeListChatModel({ responses: [ANSWER] }), { sdk, learnWaitMs: 30_000, onReport: (r) => (last = r) });
    return {
      sdk,
      async turn(userId, sessionId, messages) {
        const lc: BaseMessage[] = messages.map((m) => (m.role === 'user' ? new HumanMessage(m.content) : new LcAIMessage(m.content)));
        last = undefined;
        await runnable.invoke(lc, { metadata: { userId, sessionId } });
        return TurnReportSchema.parse(last);
      },
      close: () => runnable.close(),
    };
  },
};

/**
 * Where the lifecycle runs: an empty store (always), and, when AUTOSKILL_LIFECYCLE_BANK_STORE names
 * a store with the whole bank imported (e.g. the one `bench/turn.ts --store DIR` builds), that
 * store too. Users are new per run, so the bank store's Common skills are all they share.
 */
const BANK_STORE = process.env.AUTOSKILL_LIFECYCLE_BANK_STORE;
const RUN = Date.now().toString(36);

let sdk: AutoSkill;
let cleanup: () => Promise<void>;
let bankSdk: AutoSkill | undefined;
beforeAll(async () => {
  if (BANK_STORE) bankSdk = await AutoSkill.open({ storeDir: BANK_STORE });
}, 300_000);
afterAll(async () => {
  await bankSdk?.close();
});
beforeEach(async () => {
  const tmp = await tempStoreDir('lifecycle-surfaces');
  cleanup = tmp.cleanup;
  sdk = await AutoSkill.open({ storeDir: tmp.dir });
});
afterEach(async () => {
  await sdk.close();
  await cleanup();
});

const STORES: Array<[string, () => AutoSkill]> = [
  ['empty store', () => sdk],
  ...(BANK_STORE ? ([['whole bank', () => bankSdk!]] as Array<[string, () => AutoSkill]>) : []),
];

/** Run a turn and wait for its job, if one was scheduled. */
async function step(s: Surface, user: string, session: string, convo: Msg[], text: string) {
  convo.push({ role: 'user', content: text });
  const report = await s.turn(user, session, convo);
  convo.push({ role: 'assistant', content: ANSWER });
  const job = report.extraction.job_id ? await s.sdk.jobs.wait(undefined, report.extraction.job_id) : undefined;
  await s.sdk.settled();
  return { report, job };
}

describe.each(Object.keys(SURFACES))('lifecycle through %s', (name) => {
  for (const [where, storeOf] of STORES) for (const sc of SCRIPTS) {
    test(`A → B → C → D → E (${sc.lang}, ${where})`, async () => {
      const sdk = storeOf();
      const s = await SURFACES[name]!(sdk);
      try {
        const user = `${name}-${sc.lang}-${RUN}`;
        const own = () => sdk.list({ userId: user, scope: 'user' });

        // A: a one-off task schedules nothing; an acknowledgement learns nothing.
        const c1: Msg[] = [];
        const a = await step(s, user, 's1', c1, sc.a);
        expect(a.report.extraction.status).toBe('not_scheduled');
        // (with the bank imported, Common skills about reports may be injected; none of the user's exist)
        expect(a.report.retrieval.hits.filter((h) => h.owner === `user:${user}`)).toEqual([]);
        const ack = await step(s, user, 's1', c1, sc.ack);
        if (ack.job) expect(ack.job.result).toMatchObject({ status: 'nothing' });
        expect(own()).toEqual([]);

        // B: feedback → v0.1.0
        const b = await step(s, user, 's1', c1, sc.b);
        expect(b.job?.state).toBe('completed');
        expect(own()).toHaveLength(1);
        const skill = own()[0]!;
        expect(skill.version).toBe('0.1.0');

        // C: a later conversation on the same kind of task adds a constraint → v0.1.1 of the same skill
        const c2: Msg[] = [];
        await step(s, user, 's2', c2, sc.later);
        const c = await step(s, user, 's2', c2, sc.c);
        expect(c.job?.state).toBe('completed');
        expect(own()).toHaveLength(1);
        expect(sdk.get(skill.id)?.version).toBe('0.1.1');

        // D: a similar later task gets the skill injected
        const d = await step(s, user, 's3', [], sc.similar);
        expect(d.report.skills.map((k) => [k.id, k.standing])).toContainEqual([skill.id, false]);

        // E: a standing preference stated in a first message → injected, marked standing, for an unrelated request
        const e = await step(s, user, 's4', [], sc.standing);
        expect(e.report.extraction.status).toBe('scheduled');
        expect(e.job?.state).toBe('completed');
        const unrelated = await step(s, user, 's5', [], sc.unrelated);
        const standing = unrelated.report.skills.filter((k) => k.standing);
        expect(standing).toHaveLength(1);
        expect(standing[0]!.score).toBeNull();
        expect(unrelated.report.skills.some((k) => k.id === skill.id)).toBe(false);
      } finally {
        await s.close();
      }
    });
  }
});

describe('lifecycle through MCP (extract_now, search_skills)', () => {
  for (const [where, storeOf] of STORES) for (const sc of SCRIPTS) {
    test(`A → B → C → D → E (${sc.lang}, ${where})`, async () => {
      const sdk = storeOf();
      const user = `mcp-${sc.lang}-${RUN}`;
      const server = createAutoskillMcpServer({ sdk, actor: { userId: user } });
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      await server.connect(serverSide);
      const client = new Client({ name: 'test', version: '1.0.0' });
      await client.connect(clientSide);
      try {
        const extract = async (messages: Msg[]) => {
          const res = await client.callTool({ name: 'extract_now', arguments: { messages, wait: true } });
          expect(res.isError).toBeFalsy();
          const out = res.structuredContent as { status: string; skills: Array<{ id: string; version: string }>; report: unknown };
          TurnReportSchema.parse(out.report);
          return out;
        };
        const search = async (query: string) => {
          const res = await client.callTool({ name: 'search_skills', arguments: { query } });
          return res.structuredContent as { included: string[] };
        };
        const own = () => sdk.list({ userId: user, scope: 'user' });

        expect((await extract([{ role: 'user', content: sc.a }, { role: 'assistant', content: ANSWER }, { role: 'user', content: sc.ack }])).status).toBe('nothing');
        expect(own()).toEqual([]);
        const b = await extract([{ role: 'user', content: sc.a }, { role: 'assistant', content: ANSWER }, { role: 'user', content: sc.b }]);
        expect(b).toMatchObject({ status: 'upserted', skills: [{ version: '0.1.0' }] });
        const id = b.skills[0]!.id;
        const c = await extract([{ role: 'user', content: sc.later }, { role: 'assistant', content: ANSWER }, { role: 'user', content: sc.c }]);
        expect(c).toMatchObject({ status: 'upserted', skills: [{ id, version: '0.1.1' }] });
        expect((await search(sc.similar)).included).toContain(id);
        const e = await extract([{ role: 'user', content: sc.standing }]);
        expect(e.status).toBe('upserted');
        const standingId = e.skills[0]!.id;
        const unrelated = await search(sc.unrelated);
        expect(unrelated.included).toContain(standingId);
        expect(unrelated.included).not.toContain(id);
      } finally {
        await client.close();
      }
    });
  }
});
