import type { BaseLanguageModelInput } from '@langchain/core/language_models/base';
import { coerceMessageLikeToMessage, HumanMessage, SystemMessage, type BaseMessage } from '@langchain/core/messages';
import { insertAfterSystem } from '../../engine/index.js';

/**
 * The LangChain side of injection: normalizing chat-model input to messages, the skills
 * SystemMessage and where it goes, and reading the user id from a run's metadata.
 */

/** Marker in `response_metadata` (never sent to providers) of the SystemMessage we add. */
const MARK = 'autoskill';

/** Tag and metadata key of autoskill's own extraction calls, which the handler ignores. */
export const INTERNAL_TAG = 'autoskill:internal';

export function toMessages(input: BaseLanguageModelInput): BaseMessage[] {
  if (typeof input === 'string') return [new HumanMessage(input)];
  if (Array.isArray(input)) return input.map((m) => coerceMessageLikeToMessage(m));
  return input.toChatMessages();
}

/** LangChain message type → the engine's role names. */
export function roleOf(m: BaseMessage): string {
  const type = m.type as string;
  if (type === 'generic') return String((m as unknown as { role?: unknown }).role ?? 'user');
  if (type === 'human') return 'user';
  if (type === 'ai') return 'assistant';
  return type;
}

export function isSkillsMessage(m: BaseMessage): boolean {
  return m.type === 'system' && (m.response_metadata as Record<string, unknown> | undefined)?.[MARK] === 'skills';
}

export function withoutSkillsMessage(messages: BaseMessage[]): BaseMessage[] {
  return messages.some(isSkillsMessage) ? messages.filter((m) => !isSkillsMessage(m)) : messages;
}

export function skillsMessage(text: string): SystemMessage {
  return new SystemMessage({ content: text, response_metadata: { [MARK]: 'skills' } });
}

/** The messages with the skills right after the leading system messages. */
export function injectSkills(messages: BaseMessage[], text: string): BaseMessage[] {
  return insertAfterSystem(withoutSkillsMessage(messages), skillsMessage(text) as BaseMessage, roleOf);
}

/** Append the skills to an agent's system message (after its static text, keeping its prefix cacheable). */
export function appendSkills(system: SystemMessage, text: string): SystemMessage {
  return system.concat(system.text.trim() === '' ? text : `\n\n${text}`);
}

/** A turn is learned from only when it ends with a user message (not a tool result of a loop). */
export function endsWithHumanTurn(messages: readonly BaseMessage[]): boolean {
  const last = messages.at(-1);
  return last !== undefined && roleOf(last) === 'user';
}

/** The conversation up to and including the newest user message (an agent run ends with answers). */
export function upToLastHumanTurn(messages: readonly BaseMessage[]): BaseMessage[] {
  for (let i = messages.length - 1; i >= 0; i--) if (roleOf(messages[i]!) === 'user') return messages.slice(0, i + 1);
  return [];
}

export type IdLookup = { ok: true; value?: string } | { ok: false; error: string };

/**
 * Read an id (user or session) from a metadata-like record under the given keys. Numbers are
 * accepted as their decimal text; anything else present is an error, because silently falling
 * back to the shared default user would mix users' skills.
 */
export function readId(record: Record<string, unknown> | undefined, keys: readonly string[]): IdLookup {
  if (!record) return { ok: true };
  for (const key of keys) {
    const v = record[key];
    if (v === undefined || v === null) continue;
    if (typeof v === 'string' && v.trim() !== '') return { ok: true, value: v.trim() };
    if (typeof v === 'number' && Number.isFinite(v)) return { ok: true, value: String(v) };
    return { ok: false, error: `${key} must be a non-empty string` };
  }
  return { ok: true };
}

/** The first id found across sources, in order; the first malformed one is an error. */
export function firstId(lookups: readonly IdLookup[]): IdLookup {
  for (const l of lookups) if (!l.ok || l.value !== undefined) return l;
  return { ok: true };
}

export const USER_KEYS = ['userId', 'user_id'] as const;
export const SESSION_KEYS = ['sessionId', 'session_id', 'thread_id'] as const;
