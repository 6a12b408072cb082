/**
 * autoskill with the Vercel AI SDK: the middleware injects a user's skills into every call and
 * learns new ones from the conversation.
 *
 *   npm run example:ai-sdk                      # offline: a scripted mock model, rule-based extraction
 *   OPENAI_API_KEY=… npm run example:ai-sdk     # a real model (needs `npm i @ai-sdk/openai`)
 *
 * The store lives in a temporary directory and is removed at the end.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateText, simulateReadableStream, streamText, wrapLanguageModel, type LanguageModel, type ModelMessage } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { autoskillMiddleware, type AutoSkillProviderMetadata } from '../src/adapters/ai-sdk/index.js';

const USER = 'alice';

type ModelObject = Exclude<LanguageModel, string>;

/**
 * Offline stand-in for a chat model: canned answers. Like a real model it follows the system
 * prompt, here just one rule: with skills about emojis in the system prompt it drops them.
 */
function offlineModel(): ModelObject {
  const answer = (prompt: Array<{ role: string; content: unknown }>) => {
    const system = prompt.filter((m) => m.role === 'system').map((m) => String(m.content)).join('\n');
    if (/emoji/i.test(system)) return 'Wind supplied 54% of Denmark’s electricity in 2024 (source: Energinet).';
    if (prompt.some((m) => m.role === 'assistant')) return 'Solar power in Europe grew 40% in 2024 (source: IEA Renewables 2024).';
    return 'Renewables in Europe are booming 🌞🚀!';
  };
  const usage = { inputTokens: { total: 20, noCache: 20, cacheRead: undefined, cacheWrite: undefined }, outputTokens: { total: 12, text: 12, reasoning: undefined } };
  return new MockLanguageModelV4({
    provider: 'offline',
    modelId: 'scripted',
    doGenerate: async ({ prompt }) => ({
      content: [{ type: 'text', text: answer(prompt) }],
      finishReason: { unified: 'stop', raw: undefined },
      usage,
      warnings: [],
    }),
    doStream: async ({ prompt }) => ({
      stream: simulateReadableStream({
        chunks: [
          { type: 'text-start' as const, id: 't' },
          ...answer(prompt)
            .split(/(?<= )/)
            .map((delta) => ({ type: 'text-delta' as const, id: 't', delta })),
          { type: 'text-end' as const, id: 't' },
          { type: 'finish' as const, finishReason: { unified: 'stop' as const, raw: undefined }, usage },
        ],
      }),
    }),
  });
}

async function realModel(): Promise<ModelObject | undefined> {
  if (!process.env.OPENAI_API_KEY) return undefined;
  const name = '@ai-sdk/openai';
  const mod = (await import(name).catch(() => undefined)) as { openai: { chat(id: string): ModelObject } } | undefined;
  if (!mod) {
    console.log('OPENAI_API_KEY is set but @ai-sdk/openai is not installed; running offline.');
    return undefined;
  }
  return mod.openai.chat(process.env.OPENAI_MODEL ?? 'gpt-4o-mini');
}

function injected(meta: unknown): string[] {
  const report = (meta as { autoskill?: AutoSkillProviderMetadata } | undefined)?.autoskill;
  return report?.skills.map((s) => `${s.name} (v${s.version}, ${s.standing ? 'standing' : `score ${s.score}`})`) ?? [];
}

async function main(): Promise<void> {
  const storeDir = await mkdtemp(path.join(os.tmpdir(), 'autoskill-example-ai-sdk-'));
  const real = await realModel();
  const middleware = autoskillMiddleware({
    sdk: { storeDir },
    // Offline, learning uses the rule-based extractor; with a real model, the model itself extracts.
    extractionModel: real ? 'self' : 'offline',
    // Only the stream's final part may wait this long for the job id (default 200 ms); generous
    // here so that the example always shows it.
    learnWaitMs: 2000,
  });
  const model = wrapLanguageModel({ model: real ?? offlineModel(), middleware });
  const autoskill = { autoskill: { userId: USER, sessionId: 'chat-1' } };
  console.log(`model: ${real ? 'real provider' : 'offline mock'}; store: ${storeDir}`);

  try {
    // Turn 1: a plain request. Nothing to learn yet.
    const messages: ModelMessage[] = [{ role: 'user', content: 'Write a two-sentence report about solar power in Europe.' }];
    const first = await generateText({ model, messages, providerOptions: autoskill });
    console.log(`assistant: ${first.text}`);
    messages.push({ role: 'assistant', content: first.text });

    // Turn 2: the user corrects the answer with a durable rule. Streamed, part for part.
    messages.push({ role: 'user', content: "Don't use emojis in reports, and always cite your sources." });
    const second = streamText({ model, messages, providerOptions: autoskill });
    process.stdout.write('assistant (streamed): ');
    for await (const delta of second.textStream) process.stdout.write(delta);
    process.stdout.write('\n');
    const jobId = ((await second.providerMetadata)?.autoskill as AutoSkillProviderMetadata | undefined)?.extraction.job_id;
    console.log(`learning job: ${jobId ?? 'none'}`);

    // The learning job runs in the background; wait for it here only to show its result.
    await middleware.flush();
    const sdk = await middleware.getSdk();
    if (jobId) {
      const job = await sdk.jobs.wait({ userId: USER }, jobId);
      if (job) console.log(`job ${job.state}: ${JSON.stringify((job.result as { status?: string } | undefined)?.status)}`);
    }
    await sdk.settled();
    for (const skill of sdk.list({ userId: USER, scope: 'user' })) console.log(`learned: ${skill.name} (v${skill.version}) for user ${USER}`);

    // Turn 3, a new conversation: the learned skill is injected.
    const third = await generateText({ model, prompt: 'Write a two-sentence report about wind energy in Denmark.', providerOptions: { autoskill: { userId: USER } } });
    for (const line of injected(third.providerMetadata)) console.log(`injected into the next call: ${line}`);
    console.log(`assistant (alice): ${third.text}`);

    // Another user shares nothing with alice.
    const other = await generateText({ model, prompt: 'Write a two-sentence report about wind energy in Denmark.', providerOptions: { autoskill: { userId: 'bob' } } });
    console.log(`skills injected for bob: ${injected(other.providerMetadata).length}`);
    console.log(`assistant (bob): ${other.text}`);
  } finally {
    await middleware.close();
    await rm(storeDir, { recursive: true, force: true });
  }
}

await main();
