/**
 * TEST-ONLY scripted language models built on the AI SDK's own mocks (`ai/test`), wrapped with
 * our `aiSdkLlm` adapter, so tests exercise the real adapter → generateText → structured-output
 * path. The responder sees which of our prompts was sent (by its system prompt) and the user
 * payload, and returns the model's raw text.
 */
import { MockLanguageModelV3, MockLanguageModelV4 } from 'ai/test';
import { aiSdkLlm } from '../../src/adapters/ai-sdk/llm.js';
import { EXTRACT_SYSTEM } from '../../src/engine/learn/prompts/extract.js';
import { DECIDE_SYSTEM, MERGE_SYSTEM } from '../../src/engine/learn/prompts/maintain.js';
import { REPAIR_SYSTEM } from '../../src/engine/learn/prompts/repair.js';
import type { LlmPort } from '../../src/engine/ports/llm.js';

export type PromptMode = 'extract' | 'decide' | 'merge' | 'repair' | 'other';

export interface ScriptedCall {
  mode: PromptMode;
  system: string;
  user: string;
  /** the user payload parsed as JSON when it is JSON */
  payload?: Record<string, unknown>;
}

export type Responder = (call: ScriptedCall) => string | Promise<string>;

const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 10, text: 10, reasoning: undefined },
};

function modeOf(system: string): PromptMode {
  if (system === EXTRACT_SYSTEM) return 'extract';
  if (system === DECIDE_SYSTEM) return 'decide';
  if (system === MERGE_SYSTEM) return 'merge';
  if (system === REPAIR_SYSTEM) return 'repair';
  return 'other';
}

type PromptMessage = { role: string; content: unknown };

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p) => (p && typeof p === 'object' && 'text' in p ? String((p as { text: unknown }).text) : '')).join('');
  return '';
}

export function toCall(prompt: PromptMessage[]): ScriptedCall {
  const system = prompt.filter((m) => m.role === 'system').map((m) => textOf(m.content)).join('\n');
  const user = prompt.filter((m) => m.role === 'user').map((m) => textOf(m.content)).join('\n');
  let payload: Record<string, unknown> | undefined;
  try {
    const v = JSON.parse(user);
    if (v && typeof v === 'object') payload = v as Record<string, unknown>;
  } catch {
    payload = undefined;
  }
  return { mode: modeOf(system), system, user, payload };
}

export interface ScriptedModel {
  llm: LlmPort;
  model: MockLanguageModelV3 | MockLanguageModelV4;
  calls: ScriptedCall[];
}

export function scriptedModel(respond: Responder, version: 'v3' | 'v4' = 'v3'): ScriptedModel {
  const calls: ScriptedCall[] = [];
  const doGenerate = async (options: { prompt: unknown }) => {
    const call = toCall(options.prompt as PromptMessage[]);
    calls.push(call);
    const text = await respond(call);
    return { content: [{ type: 'text' as const, text }], finishReason: { unified: 'stop' as const, raw: undefined }, usage, warnings: [] };
  };
  const model = version === 'v3' ? new MockLanguageModelV3({ doGenerate }) : new MockLanguageModelV4({ doGenerate });
  return { llm: aiSdkLlm(model, { label: `mock-${version}` }), model, calls };
}
