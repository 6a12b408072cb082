/**
 * Extraction failures are never silent: a job whose model cannot produce the extraction JSON is
 * logged (warn, with the job id and the reason) and visible as a failed job; with the chat model
 * as its own extraction model (`'self'`, `fallback: 'offline'`), the job uses the offline extractor
 * instead and that is said once (one warning however many jobs fall back).
 */
import { HumanMessage } from '@langchain/core/messages';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import { generateText, wrapLanguageModel } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { aiSdkLlm } from '../../src/adapters/ai-sdk/llm.js';
import { autoskillMiddleware } from '../../src/adapters/ai-sdk/middleware.js';
import { withSkills } from '../../src/adapters/langchain/index.js';
import type { TurnReport } from '../../src/engine/turn/report.js';
import { AutoSkill } from '../../src/engine/autoskill.js';
import type { Logger } from '../../src/engine/logger.js';
import { tempStoreDir } from '../helpers/adapter-fixtures.js';

const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 5, text: 5, reasoning: undefined },
};

/** A chat model that never answers in JSON, whatever it is asked. */
function proseModel() {
  return new MockLanguageModelV4({
    doGenerate: async () => ({ content: [{ type: 'text', text: 'Sure! Happy to help with that.' }], finishReason: { unified: 'stop', raw: undefined }, usage, warnings: [] }),
  });
}

type Line = { level: string; msg: string; fields: Record<string, unknown> };

function captureLogger(lines: Line[]): Logger {
  const at = (level: string) => (msg: string, fields: Record<string, unknown> = {}) => void lines.push({ level, msg, fields });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

const RULES = ['From now on, never use emojis in reports.', '以后写周报都不要超过三百字。'];

let dir: string;
let cleanup: () => Promise<void>;
let sdk: AutoSkill | undefined;

beforeEach(async () => {
  ({ dir, cleanup } = await tempStoreDir('fallback'));
});

afterEach(async () => {
  await sdk?.close();
  sdk = undefined;
  await cleanup();
});

describe('extraction failures', () => {
  test('a model without the JSON: each job fails, is logged with its id and reason, and listed as failed', async () => {
    const lines: Line[] = [];
    sdk = await AutoSkill.open({ storeDir: dir, llm: aiSdkLlm(proseModel()), logger: captureLogger(lines) });
    const jobs = [];
    for (const rule of RULES) {
      const { job } = await sdk.turns.extractNow([{ role: 'user', content: rule }], { userId: 'u1', wait: true });
      jobs.push(job);
    }
    for (const job of jobs) {
      expect(job.state).toBe('failed');
      expect(job.error).toMatch(/no usable JSON|no_json|unusable/);
      const warned = lines.filter((l) => l.level === 'warn' && l.fields.id === job.id);
      expect(warned).toHaveLength(1);
      expect(warned[0]!.fields.error).toBe(job.error);
    }
    expect((await sdk.jobs.list({ userId: 'u1' })).map((j) => j.state)).toEqual(['failed', 'failed']);
    expect(sdk.list({ userId: 'u1', scope: 'user' })).toEqual([]);
  });

  test("the 'self' model falls back to the offline extractor per job and says so once", async () => {
    const lines: Line[] = [];
    sdk = await AutoSkill.open({ storeDir: dir, llm: aiSdkLlm(proseModel(), { fallback: 'offline' }), logger: captureLogger(lines) });
    for (const [i, rule] of RULES.entries()) {
      const { job } = await sdk.turns.extractNow([{ role: 'user', content: rule }], { userId: `u${i}`, wait: true });
      expect(job.state).toBe('completed');
      expect(job.result).toMatchObject({ status: 'upserted', extractor: expect.stringMatching(/^offline \(fallback from llm:/) });
    }
    const fallbacks = lines.filter((l) => l.level === 'warn' && /fall back to the offline extractor/.test(l.msg));
    expect(fallbacks).toHaveLength(1);
    expect(fallbacks[0]!.fields.reason).toBeTruthy();
    // The model was not asked to decide or merge once it had failed: no further model warnings.
    expect(lines.filter((l) => l.level === 'warn')).toHaveLength(1);
  });

  test("AI SDK middleware, default extractionModel 'self', a model without JSON: first-turn rules are still learned, one warning", async () => {
    const lines: Line[] = [];
    const mw = autoskillMiddleware({ sdk: { storeDir: dir }, logger: captureLogger(lines), learnWaitMs: 10_000 });
    try {
      const model = wrapLanguageModel({ model: proseModel(), middleware: mw });
      for (const [i, rule] of RULES.entries()) {
        const result = await generateText({ model, prompt: rule, providerOptions: { autoskill: { userId: `m${i}` } } });
        const report = result.providerMetadata?.autoskill as { extraction: { job_id: string } };
        const own = await mw.getSdk();
        const job = (await own.jobs.wait(undefined, report.extraction.job_id))!;
        expect(job).toMatchObject({ state: 'completed', result: { status: 'upserted', extractor: expect.stringMatching(/^offline/) } });
      }
      expect(lines.filter((l) => l.level === 'warn' && /fall back/.test(l.msg))).toHaveLength(1);
    } finally {
      await mw.close();
    }
  });

  test("LangChain runnable, default extractionModel 'self', a chat model without JSON: learned offline, one warning", async () => {
    const lines: Line[] = [];
    const reports: TurnReport[] = [];
    const runnable = withSkills(new FakeListChatModel({ responses: ['Sure! Happy to help with that.'] }), {
      sdk: { storeDir: dir },
      logger: captureLogger(lines),
      learnWaitMs: 10_000,
      onReport: (r) => reports.push(r),
    });
    try {
      for (const [i, rule] of RULES.entries()) await runnable.invoke([new HumanMessage(rule)], { metadata: { userId: `l${i}` } });
      const own = await runnable.getSdk();
      for (const r of reports) {
        const job = (await own.jobs.wait(undefined, r.extraction.job_id!))!;
        expect(job).toMatchObject({ state: 'completed', result: { status: 'upserted', extractor: expect.stringMatching(/^offline \(fallback from /) } });
      }
      expect(reports).toHaveLength(2);
      expect(lines.filter((l) => l.level === 'warn' && /fall back/.test(l.msg))).toHaveLength(1);
    } finally {
      await runnable.close();
    }
  });
});
