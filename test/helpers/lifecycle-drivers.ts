/**
 * TEST-ONLY surface drivers for the seed-lifecycle harness (test/helpers/lifecycle.ts). Each
 * driver sends one user turn the way an application using that surface does, and reads back what
 * the MODEL received (the system text of the request that reached the model, or for MCP the tool
 * result the model reads), never the engine's internal state. Learning uses whatever the SDK was
 * opened with (the offline extractor in the lifecycle tests: no `llm`).
 *
 * - sdk: `retrieveForTurn` → the app puts `context.text` in a system message; `observeTurn`.
 * - proxy / proxy-stream: the express app (`createAutoskillApp`, what `autoskill serve` runs) in
 *   front of a fake OpenAI upstream on 127.0.0.1, called with the official `openai` client
 *   (plain, or `stream: true` read to the end).
 * - ai-sdk: `wrapLanguageModel` + `autoskillMiddleware` over `MockLanguageModelV4`.
 * - langchain: `withSkills` over a fake chat model that records its input.
 * - mcp: the official MCP client over an in-memory transport; the (simulated) agent calls
 *   `search_skills` with the user's message at the start of each turn, and `extract_now`
 *   with the conversation after it (the strictest use: every turn is offered for learning).
 */
import type { BaseMessage } from '@langchain/core/messages';
import { AIMessage, HumanMessage } from '@langchain/core/messages';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { generateText, wrapLanguageModel, type ModelMessage } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { autoskillMiddleware } from '../../src/adapters/ai-sdk/index.js';
import { createAutoskillApp } from '../../src/adapters/express/index.js';
import { withSkills } from '../../src/adapters/langchain/index.js';
import type { AutoSkill } from '../../src/engine/autoskill.js';
import { createAutoskillMcpServer } from '../../src/mcp/index.js';
import { startFakeUpstream, type FakeUpstream } from './fake-upstream.js';
import { ScriptedChatModel } from './langchain-models.js';

export type Msg = { role: 'user' | 'assistant'; content: string };

/** proxy-stream: the proxy with `stream: true` (the SSE path injects and learns on its own code path) */
export const SURFACES = ['sdk', 'proxy', 'proxy-stream', 'ai-sdk', 'langchain', 'mcp'] as const;
export type SurfaceName = (typeof SURFACES)[number];

/**
 * Retrieval on the request path is time-boxed and fail-open (default 1.5 s). Timing is not what
 * these tests measure, and on a loaded 2-core CI box a cold search of the whole bank can pass the
 * box, which would turn machine load into false failures; so every surface gets a wide box.
 */
export const RETRIEVAL_TIMEOUT_MS = 20_000;

export interface TurnSeen {
  /** what the model received as system/context text for this turn ('' when nothing) */
  text: string;
}

export interface SurfaceDriver {
  readonly name: SurfaceName;
  readonly sdk: AutoSkill;
  /** One turn: `messages` is the conversation so far, ending with the new user message. */
  turn(userId: string, sessionId: string, messages: Msg[]): Promise<TurnSeen>;
  /** Wait until everything this surface handed to learning for `userId` is final and indexed. */
  flush(userId: string): Promise<void>;
  close(): Promise<void>;
}

/** Wait for every job of the user (scheduled or running) to be final, then for the index. */
export async function waitForUserJobs(sdk: AutoSkill, userId: string): Promise<void> {
  for (let round = 0; round < 5; round++) {
    const open = (await sdk.jobs.list({ userId }, 10_000)).filter((j) => j.state !== 'completed' && j.state !== 'failed');
    if (open.length === 0) break;
    for (const j of open) await sdk.jobs.wait(undefined, j.id);
  }
  await sdk.settled();
}

/** Serializes a driver's turns so that "the request the model received last" is this turn's. */
function serial() {
  let chain: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const run = chain.then(fn, fn);
    chain = run.catch(() => undefined);
    return run;
  };
}

let upstream: Promise<FakeUpstream> | undefined;
/** the answer the fake upstream gives to each user (drivers of several languages may share it) */
const answers = new Map<string, string>();
/** One fake upstream per process, shared by every proxy driver. */
function fakeUpstream(): Promise<FakeUpstream> {
  return (upstream ??= startFakeUpstream({ reply: (body) => ({ content: answers.get(body?.user) ?? 'Here is the answer.' }) }));
}
export async function closeFakeUpstream(): Promise<void> {
  const u = upstream;
  upstream = undefined;
  if (u) await (await u).close();
}

function systemOfOpenAi(body: { messages?: Array<{ role: string; content: unknown }> } | undefined): string {
  return (body?.messages ?? [])
    .filter((m) => m.role === 'system' || m.role === 'developer')
    .map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)))
    .join('\n');
}

const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 5, text: 5, reasoning: undefined },
};

export async function openDriver(name: SurfaceName, sdk: AutoSkill, answer: string): Promise<SurfaceDriver> {
  const once = serial();
  switch (name) {
    case 'sdk':
      return {
        name,
        sdk,
        turn: (userId, sessionId, messages) =>
          once(async () => {
            const r = await sdk.retrieveForTurn(messages, { userId, timeoutMs: RETRIEVAL_TIMEOUT_MS });
            // what an app sends: [system: context.text, ...messages]; the model sees exactly that text
            const text = r.context?.text ?? '';
            await sdk.observeTurn(userId, messages, { sessionId });
            return { text };
          }),
        flush: (userId) => waitForUserJobs(sdk, userId),
        close: async () => undefined,
      };
    case 'proxy':
    case 'proxy-stream': {
      const stream = name === 'proxy-stream';
      const up = await fakeUpstream();
      const app = createAutoskillApp({
        sdk,
        upstream: new OpenAI({ apiKey: 'k', baseURL: up.url, maxRetries: 0 }),
        model: 'fake-model',
        // wait for the job to be recorded before answering, so flush() sees it in the journal
        scheduleTimeoutMs: 30_000,
        retrievalTimeoutMs: RETRIEVAL_TIMEOUT_MS,
      });
      const server: Server = await new Promise((resolve) => {
        const s = app.listen(0, '127.0.0.1', () => resolve(s));
      });
      const client = new OpenAI({ apiKey: 'anything', baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, maxRetries: 0, timeout: 60_000 });
      return {
        name,
        sdk,
        turn: (userId, sessionId, messages) =>
          once(async () => {
            answers.set(userId, answer);
            const before = up.requests.length;
            const body = { model: 'fake-model', messages, user: userId, autoskill: { session_id: sessionId } };
            if (stream) {
              const chunks = await client.chat.completions.create({ ...body, stream: true } as never);
              for await (const _chunk of chunks as unknown as AsyncIterable<unknown>) {
                // read the whole answer, as a chat UI does
              }
            } else {
              await client.chat.completions.create(body as never);
            }
            const mine = up.requests.slice(before).filter((r) => r.path === '/v1/chat/completions' && r.body?.user === userId);
            if (mine.length !== 1) throw new Error(`proxy: expected 1 upstream chat request for ${userId}, saw ${mine.length}`);
            return { text: systemOfOpenAi(mine[0]!.body) };
          }),
        flush: (userId) => waitForUserJobs(sdk, userId),
        async close() {
          app.close();
          server.closeAllConnections();
          await new Promise<void>((r) => server.close(() => r()));
        },
      };
    }
    case 'ai-sdk': {
      const mw = autoskillMiddleware({ sdk, learnWaitMs: 30_000, timeoutMs: RETRIEVAL_TIMEOUT_MS });
      return {
        name,
        sdk,
        turn: (userId, sessionId, messages) =>
          once(async () => {
            let received: string[] | undefined;
            const model = wrapLanguageModel({
              model: new MockLanguageModelV4({
                doGenerate: async (options) => {
                  received = options.prompt.filter((m) => m.role === 'system').map((m) => m.content);
                  return { content: [{ type: 'text', text: answer }], finishReason: { unified: 'stop', raw: undefined }, usage, warnings: [] };
                },
              }),
              middleware: mw,
            });
            await generateText({ model, messages: messages as ModelMessage[], providerOptions: { autoskill: { userId, sessionId } } });
            if (!received) throw new Error('ai-sdk: the model was not called');
            return { text: received.join('\n') };
          }),
        async flush(userId) {
          await mw.flush();
          await waitForUserJobs(sdk, userId);
        },
        close: () => mw.close(),
      };
    }
    case 'langchain': {
      const model = new ScriptedChatModel([answer]);
      const runnable = withSkills(model, { sdk, learnWaitMs: 30_000, timeoutMs: RETRIEVAL_TIMEOUT_MS });
      return {
        name,
        sdk,
        turn: (userId, sessionId, messages) =>
          once(async () => {
            const lc: BaseMessage[] = messages.map((m) => (m.role === 'user' ? new HumanMessage(m.content) : new AIMessage(m.content)));
            const before = model.received.length;
            await runnable.invoke(lc, { metadata: { userId, sessionId } });
            const calls = model.received.slice(before);
            // learning must use the SDK's extractor (offline here), never the chat model
            if (calls.some((c) => c.kind !== 'chat')) throw new Error('langchain: the chat model received an extraction prompt');
            if (calls.length !== 1) throw new Error(`langchain: expected 1 model call, saw ${calls.length}`);
            return { text: calls[0]!.messages.filter((m) => m.type === 'system').map((m) => m.text).join('\n') };
          }),
        async flush(userId) {
          await runnable.flush();
          await waitForUserJobs(sdk, userId);
        },
        close: () => runnable.close(),
      };
    }
    case 'mcp': {
      const clients = new Map<string, Client>();
      const clientFor = async (userId: string): Promise<Client> => {
        let c = clients.get(userId);
        if (c) return c;
        const server = createAutoskillMcpServer({ sdk, actor: { userId } });
        const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
        await server.connect(serverSide);
        c = new Client({ name: 'lifecycle-agent', version: '1.0.0' });
        await c.connect(clientSide);
        clients.set(userId, c);
        return c;
      };
      const textOf = (res: unknown): string =>
        (((res as { content?: unknown }).content ?? []) as Array<{ type: string; text?: string }>).filter((p) => p.type === 'text').map((p) => p.text ?? '').join('\n');
      return {
        name,
        sdk,
        turn: (userId, _sessionId, messages) =>
          once(async () => {
            const client = await clientFor(userId);
            const query = messages.at(-1)!.content;
            const found = await client.callTool({ name: 'search_skills', arguments: { query } });
            if (found.isError) throw new Error(`mcp search_skills failed: ${textOf(found)}`);
            const learned = await client.callTool({ name: 'extract_now', arguments: { messages, wait: true } });
            if (learned.isError) throw new Error(`mcp extract_now failed: ${textOf(learned)}`);
            // the model reads the tool result's text: that is what reached it
            return { text: textOf(found) };
          }),
        flush: (userId) => waitForUserJobs(sdk, userId),
        async close() {
          for (const c of clients.values()) await c.close();
          clients.clear();
        },
      };
    }
  }
}
