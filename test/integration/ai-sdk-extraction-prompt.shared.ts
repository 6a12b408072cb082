/**
 * TEST-ONLY: the extraction-prompt checks run against AI SDK 7 (`ai`) and AI SDK 6 (`ai6`, an
 * alias of ai@6 whose `generateText` knows only `system`). Each test file passes in its SDK's
 * functions and mock model, so the same assertions cover both versions.
 */
import { expect, test } from 'vitest';
import { z } from 'zod';
import { aiSdkLlm } from '../../src/adapters/ai-sdk/llm.js';
import { autoskillMiddleware } from '../../src/adapters/ai-sdk/middleware.js';
import { EXTRACT_SYSTEM } from '../../src/engine/learn/prompts/extract.js';
import { EXTRACTION_JSON, tempStoreDir } from '../helpers/adapter-fixtures.js';

const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 5, text: 5, reasoning: undefined },
};

type Prompt = Array<{ role: string; content: unknown }>;

export interface AiSdkUnderTest {
  version: string;
  generateText: (opts: any) => Promise<any>;
  wrapLanguageModel: (opts: any) => any;
  /** a mock model whose doGenerate sees the provider prompt */
  mockModel: (doGenerate: (opts: { prompt: Prompt }) => Promise<any>) => any;
}

function systemOf(prompt: Prompt): string {
  return prompt
    .filter((m) => m.role === 'system')
    .map((m) => (typeof m.content === 'string' ? m.content : ''))
    .join('\n');
}

export function extractionPromptTests(sdk: AiSdkUnderTest): void {
  test(`AI SDK ${sdk.version}: aiSdkLlm sends the extraction prompt as the system message`, async () => {
    const seen: Prompt[] = [];
    const model = sdk.mockModel(async ({ prompt }) => {
      seen.push(prompt);
      return { content: [{ type: 'text', text: '{"ok":true}' }], finishReason: { unified: 'stop', raw: undefined }, usage, warnings: [] };
    });
    const llm = aiSdkLlm(model);
    const out = await llm.generate({ system: 'SYSTEM PROMPT UNDER TEST', user: { q: 1 }, schema: z.object({ ok: z.boolean() }), schemaName: 'probe' });
    expect(out).toEqual({ ok: true });
    expect(seen).toHaveLength(1);
    expect(seen[0]![0]).toMatchObject({ role: 'system', content: 'SYSTEM PROMPT UNDER TEST' });
    expect(seen[0]!.filter((m) => m.role === 'system')).toHaveLength(1);
  });

  test(`AI SDK ${sdk.version}: the middleware's 'self' extraction reaches the model with the extraction system prompt`, async () => {
    const tmp = await tempStoreDir(`ai-sdk-${sdk.version}`);
    const extractionSystems: string[] = [];
    const model = sdk.mockModel(async ({ prompt }) => {
      const system = systemOf(prompt);
      const extracting = system.includes(EXTRACT_SYSTEM);
      if (extracting) extractionSystems.push(system);
      const text = extracting ? EXTRACTION_JSON : 'Sure.';
      return { content: [{ type: 'text', text }], finishReason: { unified: 'stop', raw: undefined }, usage, warnings: [] };
    });
    const mw = autoskillMiddleware({ sdk: { storeDir: tmp.dir }, learnWaitMs: 10_000 });
    try {
      const result = await sdk.generateText({
        model: sdk.wrapLanguageModel({ model, middleware: mw }),
        prompt: "Don't use emojis in reports, and always cite your sources. Write a report on wind power.",
        providerOptions: { autoskill: { userId: 'u1' } },
      });
      const jobId = result.providerMetadata?.autoskill?.extraction?.job_id as string;
      expect(jobId).toBeTruthy();
      const own = await mw.getSdk();
      const job = (await own.jobs.wait(undefined, jobId))!;
      expect(job.result).toMatchObject({ status: 'upserted', extractor: expect.stringMatching(/^llm:/) });
      expect(extractionSystems).toHaveLength(1);
    } finally {
      await mw.close();
      await tmp.cleanup();
    }
  });
}
