import OpenAI from 'openai';
import { z } from 'zod';
import type { LlmPort, StructuredRequest } from '../../engine/ports/llm.js';

/**
 * `LlmPort` for OpenAI and OpenAI-compatible Chat Completions endpoints (vLLM, Ollama, DashScope,
 * LM Studio, ...).
 *
 * - `json_schema` (default): `response_format: { type: 'json_schema' }` with the request's JSON
 *   Schema, non-strict (strict mode forbids optional fields, which our schemas use).
 * - `json_object`: for servers without schema support; the schema goes into the system prompt.
 */
export interface OpenAiLlmOptions {
  /** an existing client (wins over baseURL/apiKey) */
  client?: OpenAI;
  baseURL?: string;
  apiKey?: string;
  model: string;
  mode?: 'json_schema' | 'json_object';
  /** upper bound for the answer */
  maxTokens?: number;
  label?: string;
  /** `'offline'`: a job whose answer is unusable extracts with the offline rules (see `LlmPort.fallback`) */
  fallback?: 'offline';
  /** client timeout per call (ms, default 60 s) */
  timeoutMs?: number;
}

function schemaName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64) || 'answer';
}

function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { unrepresentable: 'any' }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}

export function openAiLlm(opts: OpenAiLlmOptions): LlmPort {
  const client =
    opts.client ??
    new OpenAI({
      apiKey: opts.apiKey ?? process.env.OPENAI_API_KEY ?? 'not-set',
      ...(opts.baseURL ? { baseURL: opts.baseURL } : {}),
      timeout: opts.timeoutMs ?? 60_000,
      maxRetries: 1,
    });
  const mode = opts.mode ?? 'json_schema';
  return {
    label: opts.label ?? `openai:${opts.model}`,
    ...(opts.fallback ? { fallback: opts.fallback } : {}),
    async generate(req: StructuredRequest<unknown>): Promise<string> {
      const user = typeof req.user === 'string' ? req.user : JSON.stringify(req.user);
      const schema = jsonSchemaOf(req.schema);
      // json_object mode needs the word "JSON" in the messages and gets the schema as text.
      const system =
        mode === 'json_object' ? `${req.system}\n\nRespond with one JSON object that matches this JSON Schema:\n${JSON.stringify(schema)}` : req.system;
      const completion = await client.chat.completions.create(
        {
          model: opts.model,
          messages: [
            { role: 'system', content: system },
            { role: 'user', content: user },
          ],
          temperature: req.temperature ?? 0,
          ...(opts.maxTokens ? { max_completion_tokens: opts.maxTokens } : {}),
          response_format:
            mode === 'json_schema'
              ? { type: 'json_schema', json_schema: { name: schemaName(req.schemaName), schema, strict: false } }
              : { type: 'json_object' },
        },
        req.signal ? { signal: req.signal } : undefined,
      );
      const message = completion.choices[0]?.message;
      if (message?.refusal) throw new Error(`the model refused: ${message.refusal}`);
      return message?.content ?? '';
    },
  };
}
