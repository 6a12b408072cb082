import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import { MockLanguageModelV4 } from 'ai/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { aiSdkLlm } from '../../src/adapters/ai-sdk/llm.js';
import { langChainLlm } from '../../src/adapters/langchain/llm.js';
import { openAiLlm } from '../../src/adapters/openai/llm.js';
import { generateStructured } from '../../src/engine/learn/structured.js';

const Decision = z.object({ action: z.enum(['add', 'merge', 'discard']), reason: z.string() });
const req = { system: 'Decide.', user: { candidate: 'x' }, schema: Decision, schemaName: 'skill_decision' };
const usage = { inputTokens: { total: 1, noCache: 1, cacheRead: undefined, cacheWrite: undefined }, outputTokens: { total: 1, text: 1, reasoning: undefined } };

describe('aiSdkLlm (LanguageModelV4)', () => {
  const model = (text: string) =>
    new MockLanguageModelV4({ doGenerate: async () => ({ content: [{ type: 'text', text }], finishReason: { unified: 'stop', raw: undefined }, usage, warnings: [] }) });

  it('asks for JSON with the schema and returns the validated object', async () => {
    const m = model('{"action":"merge","reason":"same"}');
    const port = aiSdkLlm(m);
    expect(port.label).toBe('mock-provider:mock-model-id');
    await expect(port.generate(req)).resolves.toEqual({ action: 'merge', reason: 'same' });
    const call = m.doGenerateCalls[0]!;
    expect(call.responseFormat).toMatchObject({ type: 'json', name: 'skill_decision', schema: { properties: { action: { enum: ['add', 'merge', 'discard'] } } } });
    expect(call.prompt[0]).toMatchObject({ role: 'system', content: 'Decide.' });
    expect(JSON.stringify(call.prompt[1])).toContain('candidate');
  });

  it('hands back the raw text when the SDK cannot validate it, so the engine can recover', async () => {
    const port = aiSdkLlm(model('Here you go:\n```json\n{"action":"add","reason":"new"}\n```'));
    const raw = await port.generate(req);
    expect(typeof raw).toBe('string');
    await expect(generateStructured(port, req)).resolves.toEqual({ action: 'add', reason: 'new' });
  });
});

describe('openAiLlm (OpenAI-compatible HTTP endpoint on 127.0.0.1)', () => {
  let server: Server;
  let baseURL: string;
  const bodies: Array<Record<string, unknown>> = [];
  let reply: { content?: string | null; refusal?: string | null } = { content: '{"action":"discard","reason":"covered"}' };

  const readBody = (r: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let b = '';
      r.on('data', (d) => (b += d));
      r.on('end', () => resolve(b));
    });

  beforeAll(async () => {
    server = createServer(async (request, response) => {
      bodies.push(JSON.parse(await readBody(request)));
      response.setHeader('content-type', 'application/json');
      response.end(
        JSON.stringify({
          id: 'c1',
          object: 'chat.completion',
          created: 0,
          model: 'test-model',
          choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: reply.content ?? null, refusal: reply.refusal ?? null } }],
        }),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('json_schema mode sends the JSON Schema (non-strict) and returns the content', async () => {
    const port = openAiLlm({ baseURL, apiKey: 'test', model: 'test-model' });
    expect(port.label).toBe('openai:test-model');
    await expect(generateStructured(port, req)).resolves.toEqual({ action: 'discard', reason: 'covered' });
    const body = bodies.at(-1)!;
    expect(body.model).toBe('test-model');
    expect(body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'skill_decision', strict: false, schema: { type: 'object' } } });
    expect((body.response_format as { json_schema: { schema: Record<string, unknown> } }).json_schema.schema.$schema).toBeUndefined();
    expect(body.messages).toEqual([
      { role: 'system', content: 'Decide.' },
      { role: 'user', content: '{"candidate":"x"}' },
    ]);
  });

  it('json_object mode puts the schema into the system prompt', async () => {
    const port = openAiLlm({ baseURL, apiKey: 'test', model: 'test-model', mode: 'json_object' });
    await port.generate(req);
    const body = bodies.at(-1)!;
    expect(body.response_format).toEqual({ type: 'json_object' });
    expect(JSON.stringify(body.messages)).toContain('JSON Schema');
  });

  it('a refusal is an error', async () => {
    reply = { content: null, refusal: 'no' };
    await expect(openAiLlm({ baseURL, apiKey: 'test', model: 'm' }).generate(req)).rejects.toThrow(/refused/);
    reply = { content: '{"action":"discard","reason":"covered"}' };
  });
});

/** A chat model that answers with a tool call, as function-calling models do. */
class ToolCallingModel extends BaseChatModel {
  constructor(private readonly args: Record<string, unknown> | undefined, private readonly text = '') {
    super({});
  }
  _llmType() {
    return 'tool-fake';
  }
  override bindTools() {
    return this;
  }
  async _generate(_messages: BaseMessage[]): Promise<ChatResult> {
    const message = new AIMessageChunk({
      content: this.text,
      tool_calls: this.args ? [{ name: 'skill_decision', args: this.args, id: 'call_1', type: 'tool_call' }] : [],
    });
    return { generations: [{ text: this.text, message }] };
  }
}

describe('langChainLlm', () => {
  it('returns the parsed tool-call arguments through withStructuredOutput(includeRaw)', async () => {
    const port = langChainLlm(new ToolCallingModel({ action: 'merge', reason: 'same job' }));
    expect(port.label).toBe('tool-fake');
    await expect(generateStructured(port, req)).resolves.toEqual({ action: 'merge', reason: 'same job' });
  });

  it('falls back to the raw text when the model answered without a tool call', async () => {
    const port = langChainLlm(new ToolCallingModel(undefined, 'Answer: {"action":"add","reason":"new"}'));
    await expect(port.generate(req)).resolves.toBe('Answer: {"action":"add","reason":"new"}');
    await expect(generateStructured(port, req)).resolves.toEqual({ action: 'add', reason: 'new' });
  });

  it('works with the FakeListChatModel test double', async () => {
    const port = langChainLlm(new FakeListChatModel({ responses: ['{"action":"discard","reason":"generic"}'] }));
    await expect(generateStructured(port, req)).resolves.toEqual({ action: 'discard', reason: 'generic' });
  });
});
