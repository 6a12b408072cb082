import { ExtractionAnswerSchema, prepareExtractionAnswer, toProposedSkill } from './candidate.js';
import type { ExtractionInput, ExtractionOutcome, Extractor } from './extractor.js';
import type { LlmPort } from '../ports/llm.js';
import type { ChatMessage } from '../ports/chat.js';
import { EXTRACT_SYSTEM } from './prompts/extract.js';
import { generateStructured } from './structured.js';
import { clip } from './text.js';

/**
 * LLM extraction: build the payload from the (already redacted) window, ask for at most one
 * skill, validate, repair once, normalize. A malformed answer surfaces as `LlmOutputError`
 * (the job fails with that reason and the store is not touched).
 */

export interface LlmExtractorOptions {
  /** per-message limits (chars) so a pasted document does not drown the conversation */
  maxUserChars?: number;
  maxAssistantChars?: number;
  temperature?: number;
}

const EXPLICIT_NOTE = 'The user asked to save a skill from this conversation now.';

export function buildExtractionPayload(input: ExtractionInput, opts: LlmExtractorOptions = {}): Record<string, unknown> {
  const maxUser = opts.maxUserChars ?? 4000;
  const maxAssistant = opts.maxAssistantChars ?? 1500;
  const clipped: ChatMessage[] = input.messages.map((m) => ({
    role: m.role,
    content: clip(m.content, m.role === 'user' ? maxUser : maxAssistant),
  }));
  const userTurns = clipped.filter((m) => m.role === 'user').map((m) => m.content);
  const last = clipped[clipped.length - 1];
  const payload: Record<string, unknown> = {
    user_turns: userTurns,
    conversation: clipped.map((m) => `[${m.role}] ${m.content}`).join('\n\n'),
    latest_user_message: last?.role === 'user' ? last.content : null,
    hint: input.hint?.trim() ? input.hint.trim() : input.explicit ? EXPLICIT_NOTE : null,
    reference_skill: input.reference
      ? {
          name: input.reference.slug,
          title: input.reference.name,
          description: input.reference.description,
          triggers: input.reference.triggers.slice(0, 8),
          tags: input.reference.tags.slice(0, 8),
        }
      : null,
  };
  if (input.events && input.events.length > 0) payload.events = input.events.slice(-20);
  return payload;
}

export class LlmExtractor implements Extractor {
  readonly kind = 'llm';
  readonly label: string;
  constructor(
    private readonly llm: LlmPort,
    private readonly opts: LlmExtractorOptions = {},
  ) {
    this.label = `llm:${llm.label}`;
  }

  async extract(input: ExtractionInput, signal?: AbortSignal): Promise<ExtractionOutcome> {
    if (!input.messages.some((m) => m.role === 'user') && !input.hint) {
      return { candidate: null, reason: 'no user message in the window' };
    }
    const answer = await generateStructured(
      this.llm,
      {
        system: EXTRACT_SYSTEM,
        user: buildExtractionPayload(input, this.opts),
        schema: ExtractionAnswerSchema,
        schemaName: 'skill_extraction',
        temperature: this.opts.temperature ?? 0,
        signal,
      },
      { prepare: prepareExtractionAnswer },
    );
    if (!answer.skill) return { candidate: null, reason: answer.reason?.trim() || 'the model found no durable preference' };
    const proposed = toProposedSkill(answer.skill);
    if (!proposed.ok) return { candidate: null, reason: `candidate rejected: ${proposed.reason}` };
    return { candidate: proposed.skill, reason: answer.reason?.trim() || undefined };
  }
}
