import { generateText, NoObjectGeneratedError, Output, type LanguageModel } from 'ai';
import type { LlmPort, StructuredRequest } from '../../engine/ports/llm.js';

/**
 * `LlmPort` for any AI SDK language model (a provider model object, V3 or V4, or a gateway id
 * string). Uses `generateText` with `Output.object({ schema })`, so providers with native
 * structured output get the JSON Schema. When the SDK cannot parse or validate the answer it
 * throws `NoObjectGeneratedError`; its raw text is returned instead so the engine can recover or
 * repair it (the engine, not the adapter, owns validation).
 */
export interface AiSdkLlmOptions {
  /** label for logs and job records (default `<provider>:<modelId>`) */
  label?: string;
  /** SDK-level retries of failed calls (default 1) */
  maxRetries?: number;
  /** passed through to the provider, e.g. `{ openai: { reasoningEffort: 'low' } }` */
  providerOptions?: Parameters<typeof generateText>[0]['providerOptions'];
  /** `'offline'`: a job whose answer is unusable extracts with the offline rules (see `LlmPort.fallback`) */
  fallback?: 'offline';
}

function labelOf(model: LanguageModel): string {
  if (typeof model === 'string') return model;
  return `${model.provider}:${model.modelId}`;
}

export function aiSdkLlm(model: LanguageModel, opts: AiSdkLlmOptions = {}): LlmPort {
  return {
    label: opts.label ?? labelOf(model),
    ...(opts.fallback ? { fallback: opts.fallback } : {}),
    async generate(req: StructuredRequest<unknown>): Promise<unknown> {
      const prompt = typeof req.user === 'string' ? req.user : JSON.stringify(req.user);
      try {
        const result = await generateText({
          model,
          // AI SDK 7 reads `instructions`; AI SDK 6 knows only `system` and ignores `instructions`
          // (7 still accepts `system` and prefers `instructions` when both are set). Both are sent,
          // so the extraction prompt reaches the model with either installed.
          instructions: req.system,
          system: req.system,
          prompt,
          output: Output.object({ schema: req.schema, name: req.schemaName }),
          temperature: req.temperature ?? 0,
          maxRetries: opts.maxRetries ?? 1,
          ...(req.signal ? { abortSignal: req.signal } : {}),
          ...(opts.providerOptions ? { providerOptions: opts.providerOptions } : {}),
        });
        return result.output;
      } catch (err) {
        if (NoObjectGeneratedError.isInstance(err)) return err.text ?? '';
        throw err;
      }
    },
  };
}
