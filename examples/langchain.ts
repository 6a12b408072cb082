/**
 * autoskill with LangChain.js: `withSkills` injects a user's skills into a chat model's input
 * inside an ordinary chain, and learns from the turns that pass through it. The callback handler
 * does the learning half for a chain you cannot change.
 *
 *   npm run example:langchain                      # offline: LangChain's fake chat model
 *   OPENAI_API_KEY=… npm run example:langchain     # a real model (needs `npm i @langchain/openai`)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AIMessage, HumanMessage, type BaseMessage } from '@langchain/core/messages';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { StringOutputParser } from '@langchain/core/output_parsers';
import { ChatPromptTemplate, MessagesPlaceholder } from '@langchain/core/prompts';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import { AutoSkill } from '../src/engine/autoskill.js';
import { AutoSkillCallbackHandler, isSkillsMessage, langChainLlm, withSkills } from '../src/adapters/langchain/index.js';

const USER = 'alice';

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

/** Shows when a model call carried injected skills. */
const showInjection = {
  handleChatModelStart(_llm: unknown, messages: BaseMessage[][]) {
    const skills = messages[0]?.find(isSkillsMessage);
    if (skills) console.log(`injected into this call: a skills message of ${skills.text.length} chars`);
  },
};

async function main(): Promise<void> {
  const storeDir = await mkdtemp(path.join(os.tmpdir(), 'autoskill-example-langchain-'));
  const real = await realModel();
  const chatModel =
    real ??
    new FakeListChatModel({
      responses: ['Solar power in Europe is booming 🌞🚀!', 'Solar power in Europe grew 40% in 2024 (source: IEA Renewables 2024).', 'Wind supplied 54% of Denmark’s power in 2024 (source: Energinet).'],
    });
  // With a real model the SDK extracts with it; offline it uses the rule-based extractor.
  const sdk = await AutoSkill.open({ storeDir, ...(real ? { llm: langChainLlm(real) } : {}) });
  console.log(`model: ${real ? 'real provider' : 'offline fake'}; store: ${storeDir}`);

  const prompt = ChatPromptTemplate.fromMessages([['system', 'You are a concise report writer.'], new MessagesPlaceholder('history'), ['human', '{input}']]);
  const chain = prompt.pipe(withSkills(chatModel, { sdk })).pipe(new StringOutputParser());
  const config = { metadata: { userId: USER, sessionId: 'chat-1' }, callbacks: [showInjection] };

  try {
    const history: BaseMessage[] = [];
    const ask = async (input: string, stream = false): Promise<string> => {
      let answer = '';
      if (stream) {
        process.stdout.write('assistant (streamed): ');
        for await (const chunk of await chain.stream({ history, input }, config)) {
          process.stdout.write(chunk);
          answer += chunk;
        }
        process.stdout.write('\n');
      } else {
        answer = await chain.invoke({ history, input }, config);
        console.log(`assistant: ${answer}`);
      }
      history.push(new HumanMessage(input), new AIMessage(answer));
      return answer;
    };

    await ask('Write a two-sentence report about solar power in Europe.');
    await ask("Don't use emojis in reports, and always cite your sources.", true);

    // Learning runs in the background; wait for it here only to show its result.
    const [job] = await sdk.jobs.list({ userId: USER }, 1);
    if (job) await sdk.jobs.wait({ userId: USER }, job.id);
    await sdk.settled();
    for (const skill of sdk.list({ userId: USER, scope: 'user' })) console.log(`learned: ${skill.name} (v${skill.version}) for user ${USER}`);

    history.length = 0;
    await ask('Write a two-sentence report about wind energy in Denmark.');

    // A chain we cannot change: the handler only learns from it.
    const handler = new AutoSkillCallbackHandler({ sdk });
    const fixed = ChatPromptTemplate.fromMessages([new MessagesPlaceholder('messages')])
      .pipe(real ?? new FakeListChatModel({ responses: ['Noted: plain text, no markdown.'] }))
      .pipe(new StringOutputParser());
    await fixed.invoke(
      {
        messages: [new HumanMessage('Summarize the report.'), new AIMessage('**Summary**: wind is big.'), new HumanMessage('Please answer in plain text, no markdown.')],
      },
      { callbacks: [handler], metadata: { userId: 'bob' } },
    );
    await handler.flush();
    const [bobJob] = await sdk.jobs.list({ userId: 'bob' }, 1);
    if (bobJob) await sdk.jobs.wait({ userId: 'bob' }, bobJob.id);
    await sdk.settled();
    for (const skill of sdk.list({ userId: 'bob', scope: 'user' })) console.log(`learned from an unchanged chain: ${skill.name} for user bob`);
  } finally {
    await sdk.close();
    await rm(storeDir, { recursive: true, force: true });
  }
}

await main();
