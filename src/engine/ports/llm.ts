import type { z } from 'zod';

/**
 * The one LLM port the engine needs: structured JSON generation against a zod schema.
 * Implementations exist for AI SDK models, OpenAI-compatible endpoints and LangChain chat models.
 */
export interface StructuredRequest<T> {
  system: string;
  /** the user payload; objects are sent as JSON */
  user: string | Record<string, unknown>;
  schema: z.ZodType<T>;
  /** short name for the schema (used by providers that want one) */
  schemaName: string;
  temperature?: number;
  signal?: AbortSignal;
}

export interface LlmPort {
  /** a short label for logs and job records, e.g. `openai:gpt-4o-mini` */
  readonly label: string;
  /**
   * `'offline'`: when this model cannot produce the structured answer (no JSON, a schema miss,
   * a refused `response_format`), the job extracts with the offline rule-based extractor instead
   * of failing. Set for the `'self'` extraction choice: the chat model itself, which was never
   * picked for structured output. Default: the job fails with the model's reason.
   */
  readonly fallback?: 'offline';
  /**
   * Returns raw model text (or an already-parsed object). The engine parses, validates and
   * repairs; adapters only transport.
   */
  generate(req: StructuredRequest<unknown>): Promise<string | unknown>;
}
