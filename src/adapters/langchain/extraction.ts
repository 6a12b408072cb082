import type { LlmPort } from '../../engine/ports/llm.js';
import { langChainLlm, type StructuredOutputModel } from './llm.js';
import { INTERNAL_TAG } from './messages.js';

/**
 * The extraction model a LangChain adapter opens the SDK with. Its calls are tagged, so an
 * `AutoSkillCallbackHandler` that is attached to the same model (e.g. in its constructor) does
 * not observe autoskill's own extraction prompts as user turns.
 */
export type ExtractionChoice = StructuredOutputModel | 'self' | 'offline';

export function hasStructuredOutput(v: unknown): v is StructuredOutputModel {
  return v !== null && typeof v === 'object' && typeof (v as { withStructuredOutput?: unknown }).withStructuredOutput === 'function';
}

/** The chat model inside a runnable: itself, or the model a `bindTools`/`withConfig` binding wraps. */
export function chatModelOf(runnable: unknown): StructuredOutputModel | undefined {
  if (hasStructuredOutput(runnable)) return runnable;
  const bound = (runnable as { bound?: unknown } | null)?.bound;
  return hasStructuredOutput(bound) ? bound : undefined;
}

function labelOf(model: object): string {
  const m = model as { _llmType?: () => string; model?: unknown; modelName?: unknown };
  const type = typeof m._llmType === 'function' ? m._llmType() : 'langchain';
  const name = typeof m.model === 'string' ? m.model : typeof m.modelName === 'string' ? m.modelName : undefined;
  return name ? `${type}:${name}` : type;
}

function tagged(model: StructuredOutputModel): StructuredOutputModel {
  return {
    withStructuredOutput(schema, config) {
      const runnable = model.withStructuredOutput(schema, config) as ReturnType<StructuredOutputModel['withStructuredOutput']> & {
        withConfig?: (c: { tags: string[]; metadata: Record<string, unknown> }) => ReturnType<StructuredOutputModel['withStructuredOutput']>;
      };
      return typeof runnable.withConfig === 'function'
        ? runnable.withConfig({ tags: [INTERNAL_TAG], metadata: { [INTERNAL_TAG]: true } })
        : runnable;
    },
  };
}

/** `LlmPort` for the chosen model; `self` means `fallback` (the model the adapter wraps). */
export function extractionLlm(choice: ExtractionChoice | undefined, fallback: unknown): LlmPort | undefined {
  if (choice === 'offline') return undefined;
  const model = choice === undefined || choice === 'self' ? chatModelOf(fallback) : choice;
  if (!model) {
    if (choice === undefined) return undefined;
    throw new Error("no chat model with withStructuredOutput to extract with: pass `extractionModel` (a chat model or 'offline')");
  }
  // The wrapped model ('self') was not chosen for structured output: a job whose answer is
  // unusable falls back to the offline extractor instead of failing.
  const self = choice === undefined || choice === 'self';
  return langChainLlm(tagged(model), { label: labelOf(model), ...(self ? { fallback: 'offline' as const } : {}) });
}
