import type { LanguageModelV4CallOptions, LanguageModelV4Message, LanguageModelV4Prompt } from '@ai-sdk/provider';
import { z } from 'zod';
import { insertAfterSystem } from '../../engine/index.js';

/**
 * The AI SDK side of injection: how the skills system message looks inside `params.prompt`, and
 * what a request may say about itself under `providerOptions.autoskill`.
 */

/** Our namespace in `providerOptions` (providers ignore namespaces that are not theirs). */
export const PROVIDER_KEY = 'autoskill';

/** Per-request settings: `generateText({ …, providerOptions: { autoskill: { userId: 'u1' } } })`. */
/** An id as text; a number (a database key) is taken as its decimal text. */
const IdSchema = z.union([z.string().trim().min(1).max(200), z.number().finite().transform(String)]);

export const RequestOptionsSchema = z.object({
  userId: IdSchema.optional(),
  /** conversation id; the extraction policy counts turns per user and session */
  sessionId: IdSchema.optional(),
  /** false: no skills for this call */
  inject: z.boolean().optional(),
  /** false: this turn is not learned from */
  learn: z.boolean().optional(),
  /** set on autoskill's own extraction calls, which are neither injected nor learned from */
  internal: z.boolean().optional(),
});
export type RequestOptions = z.infer<typeof RequestOptionsSchema>;

export type ParsedRequestOptions = { ok: true; value: RequestOptions } | { ok: false; error: string };

export function requestOptions(params: LanguageModelV4CallOptions): ParsedRequestOptions {
  const raw = params.providerOptions?.[PROVIDER_KEY];
  if (raw === undefined) return { ok: true, value: {} };
  const parsed = RequestOptionsSchema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, error: `invalid providerOptions.${PROVIDER_KEY}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}` };
}

/** Our system message carries a marker, so it is never learned from and never injected twice. */
export function isSkillsMessage(m: LanguageModelV4Message): boolean {
  if (m.role !== 'system') return false;
  const mark = m.providerOptions?.[PROVIDER_KEY];
  return mark !== undefined && (mark as { injected?: unknown }).injected === true;
}

export function withoutSkillsMessage(prompt: LanguageModelV4Prompt): LanguageModelV4Prompt {
  return prompt.some(isSkillsMessage) ? prompt.filter((m) => !isSkillsMessage(m)) : prompt;
}

export function skillsMessage(text: string): LanguageModelV4Message {
  return { role: 'system', content: text, providerOptions: { [PROVIDER_KEY]: { injected: true } } };
}

/** The prompt with the skills right after the leading system messages (see engine/retrieve/inject). */
export function injectSkills(prompt: LanguageModelV4Prompt, text: string): LanguageModelV4Prompt {
  return insertAfterSystem(withoutSkillsMessage(prompt), skillsMessage(text), (m) => m.role);
}

/**
 * A turn is learned from only when the prompt ends with a user message: later steps of a tool
 * loop end with tool results and repeat a user turn that was already counted.
 */
export function endsWithUserTurn(prompt: LanguageModelV4Prompt): boolean {
  return prompt.at(-1)?.role === 'user';
}
