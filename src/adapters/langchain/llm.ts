import type { LlmPort, StructuredRequest } from '../../engine/ports/llm.js';

/**
 * `LlmPort` for a LangChain chat model, through `withStructuredOutput(schema, { includeRaw: true })`.
 * With `includeRaw`, LangChain returns `{ raw, parsed }` and sets `parsed` to null instead of
 * throwing when the answer does not parse; the raw text (or tool-call arguments) is then handed
 * to the engine, which recovers or repairs it.
 *
 * Typed structurally so that any `@langchain/core` 1.x chat model (and its test fakes) fits
 * without this module importing LangChain at runtime.
 */
export interface StructuredOutputModel {
  withStructuredOutput(
    schema: any, // eslint-disable-line @typescript-eslint/no-explicit-any -- LangChain's overloads take zod v3/v4 or JSON Schema
    config: { name?: string; includeRaw: true; method?: 'functionCalling' | 'jsonMode' | 'jsonSchema' },
  ): { invoke(input: any, options?: any): Promise<unknown> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface LangChainLlmOptions {
  label?: string;
  /** `'offline'`: a job whose answer is unusable extracts with the offline rules (see `LlmPort.fallback`) */
  fallback?: 'offline';
  method?: 'functionCalling' | 'jsonMode' | 'jsonSchema';
}

interface RawMessage {
  content?: unknown;
  tool_calls?: Array<{ args?: unknown }>;
}

function isRawResult(v: unknown): v is { raw: RawMessage; parsed: unknown } {
  return v !== null && typeof v === 'object' && 'raw' in v && 'parsed' in v;
}

function rawText(msg: RawMessage): unknown {
  const args = msg.tool_calls?.[0]?.args;
  if (args && typeof args === 'object') return args;
  const c = msg.content;
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) {
    return c
      .map((p) => (typeof p === 'string' ? p : p && typeof p === 'object' && typeof (p as { text?: unknown }).text === 'string' ? (p as { text: string }).text : ''))
      .join('');
  }
  return '';
}

function labelOf(model: object): string {
  const m = model as { _llmType?: () => string; model?: string; modelName?: string };
  const type = typeof m._llmType === 'function' ? m._llmType() : 'langchain';
  const name = m.model ?? m.modelName;
  return name ? `${type}:${name}` : type;
}

export function langChainLlm(model: StructuredOutputModel, opts: LangChainLlmOptions = {}): LlmPort {
  return {
    label: opts.label ?? labelOf(model),
    ...(opts.fallback ? { fallback: opts.fallback } : {}),
    async generate(req: StructuredRequest<unknown>): Promise<unknown> {
      const user = typeof req.user === 'string' ? req.user : JSON.stringify(req.user);
      const runnable = model.withStructuredOutput(req.schema, {
        name: req.schemaName,
        includeRaw: true,
        ...(opts.method ? { method: opts.method } : {}),
      });
      const out = await runnable.invoke(
        [
          ['system', req.system],
          ['human', user],
        ],
        req.signal ? { signal: req.signal } : undefined,
      );
      if (isRawResult(out)) return out.parsed ?? rawText(out.raw);
      return out;
    },
  };
}
