import { generateText, wrapLanguageModel } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { describe } from 'vitest';
import { extractionPromptTests } from './ai-sdk-extraction-prompt.shared.js';

describe('AI SDK 7 (LanguageModelV4)', () => {
  extractionPromptTests({ version: '7', generateText, wrapLanguageModel, mockModel: (doGenerate) => new MockLanguageModelV4({ doGenerate: doGenerate as never }) });
});
