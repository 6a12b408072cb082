import { describe, vi } from 'vitest';

// The adapter imports `ai`; here that is AI SDK 6 (the `ai6` alias of ai@6), as in an app that
// has ai@6 installed. AI SDK 6's generateText knows `system` and ignores `instructions`.
vi.mock('ai', async () => await import('ai6'));

const { generateText, wrapLanguageModel } = await import('ai6');
const { MockLanguageModelV3 } = await import('ai6/test');
const { extractionPromptTests } = await import('./ai-sdk-extraction-prompt.shared.js');

describe('AI SDK 6 (LanguageModelV3)', () => {
  extractionPromptTests({ version: '6', generateText, wrapLanguageModel, mockModel: (doGenerate) => new MockLanguageModelV3({ doGenerate: doGenerate as never }) });
});
