/**
 * autoskill in a LangChain v1 agent (`createAgent`): the middleware appends a user's skills to
 * the agent's system prompt on every model call and learns from each finished run.
 *
 *   npm run example:langchain-agent                      # offline: LangChain's fake tool-calling model
 *   OPENAI_API_KEY=… npm run example:langchain-agent     # a real model (needs `npm i @langchain/openai`)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { BaseMessage } from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';
import { AIMessage, createAgent, HumanMessage, tool } from 'langchain';
import { z } from 'zod';
import { autoskillAgentMiddleware } from '../src/adapters/langchain/index.js';

const USER = 'alice';

const lookup = tool(async ({ country }: { country: string }) => `${country}: wind supplied 54% of electricity in 2024 (Energinet).`, {
  name: 'energy_stats',
  description: 'Look up the share of wind power in a country.',
  schema: z.object({ country: z.string() }),
});

async function realModel(): Promise<BaseChatModel | undefined> {
  if (!process.env.OPENAI_API_KEY) return undefined;
  const name = '@langchain/openai';
  const mod = (await import(name).catch(() => undefined)) as { ChatOpenAI: new (o: { model: string }) => BaseChatModel } | undefined;
  if (!mod) {
    console.log('OPENAI_API_KEY is set but @langchain/openai is not installed; running offline.');
    return undefined;
  }
  return new mod.ChatOpenAI({ model: process.env.OPENAI_MODEL ?? 'gpt-4o-mini' });
}

/** Offline: one tool call, then an answer, per run. */
function offlineModel() {
  return fakeModel()
    .respondWithTools([{ name: 'energy_stats', args: { country: 'Denmark' }, id: 'call-1' }])
    .respond(new AIMessage('Denmark: wind is huge 💨🔥!'))
    .respond(new AIMessage('Understood: no emojis, sources cited.'))
    .respondWithTools([{ name: 'energy_stats', args: { country: 'Denmark' }, id: 'call-2' }])
    .respond(new AIMessage('Wind supplied 54% of Denmark’s electricity in 2024 (source: Energinet).'));
}

/** Shows what the agent's model was sent. */
const showSystemPrompt = {
  handleChatModelStart(_llm: unknown, messages: BaseMessage[][]) {
    const system = messages[0]?.find((m) => m.type === 'system')?.text ?? '';
    const extra = system.replace('You are an energy analyst. Use the energy_stats tool for numbers.', '').trim();
    console.log(`model call: system prompt ${extra ? `+ ${extra.length} chars of skills` : 'unchanged'}`);
  },
};

async function main(): Promise<void> {
  const storeDir = await mkdtemp(path.join(os.tmpdir(), 'autoskill-example-agent-'));
  const real = await realModel();
  const middleware = autoskillAgentMiddleware({
    sdk: { storeDir },
    // With a real model the agent's own model extracts; offline the rule-based extractor does.
    extractionModel: real ? 'self' : 'offline',
  });
  const agent = createAgent({
    model: real ?? offlineModel(),
    tools: [lookup],
    systemPrompt: 'You are an energy analyst. Use the energy_stats tool for numbers.',
    middleware: [middleware],
  });
  console.log(`model: ${real ? 'real provider' : 'offline fake'}; store: ${storeDir}`);

  try {
    const first = await agent.invoke(
      { messages: [new HumanMessage('Write a one-line report on wind power in Denmark.')] },
      { context: { userId: USER }, configurable: { thread_id: 't1' }, callbacks: [showSystemPrompt] },
    );
    console.log(`agent: ${first.messages.at(-1)?.text}`);

    const second = await agent.invoke(
      { messages: [...first.messages, new HumanMessage("Don't use emojis in reports, and always cite your sources.")] },
      { context: { userId: USER }, configurable: { thread_id: 't1' }, callbacks: [showSystemPrompt] },
    );
    console.log(`agent: ${second.messages.at(-1)?.text}`);

    // Learning ran in the background after the run; wait for it here only to show its result.
    await middleware.flush();
    const sdk = await middleware.getSdk();
    const [job] = await sdk.jobs.list({ userId: USER }, 1);
    if (job) await sdk.jobs.wait({ userId: USER }, job.id);
    await sdk.settled();
    for (const skill of sdk.list({ userId: USER, scope: 'user' })) console.log(`learned: ${skill.name} (v${skill.version}) for user ${USER}`);

    const third = await agent.invoke(
      { messages: [new HumanMessage('Write a one-line report on solar power in Spain.')] },
      { context: { userId: USER }, configurable: { thread_id: 't2' }, callbacks: [showSystemPrompt] },
    );
    console.log(`agent: ${third.messages.at(-1)?.text}`);
  } finally {
    await middleware.close();
    await rm(storeDir, { recursive: true, force: true });
  }
}

await main();
