import { z } from 'zod';
import type { ChatMessage } from '../../../engine/ports/chat.js';
import { proxyAutoskillField } from '../schemas.js';

/**
 * The Anthropic Messages request as the proxy sees it: validated at the boundary (zod, errors in
 * Anthropic's shape), but what goes upstream is the caller's parsed JSON itself, not zod's output,
 * so key order and every field the schema does not name stay as sent. Also: how skills are added
 * without touching the caller's cached prefix, and the plain-text view of a conversation that the
 * turn pipeline (retrieval, learning) reads.
 */

const Block = z.object({ type: z.string().min(1) }).loose();

const SystemBlock = z.object({ type: z.string().min(1), text: z.string().optional() }).loose();

const MessageIn = z
  .object({
    role: z.enum(['user', 'assistant']),
    content: z.union([z.string(), z.array(Block)]),
  })
  .loose();

/** Our own per-request options; stripped before the request goes upstream. */
export const AnthropicAutoskillField = proxyAutoskillField(
  'add an `autoskill` field to the answer (a last `autoskill` event in streams)',
  'conversation id for the turn counter (default: header X-Claude-Code-Session-Id)',
);

const fields = {
  model: z.string().min(1).max(256),
  messages: z.array(MessageIn).min(1).max(100_000),
  system: z.union([z.string(), z.array(SystemBlock)]).optional(),
  autoskill: AnthropicAutoskillField.optional(),
};

export const MessagesRequest = z
  .object({ ...fields, max_tokens: z.number().int().positive(), stream: z.boolean().optional() })
  .loose()
  .describe('Anthropic Messages request; every field is forwarded as sent, skills are appended after the caller\'s system prompt');

export const CountTokensRequest = z
  .object(fields)
  .loose()
  .describe('Anthropic token counting request; the same skills as /v1/messages are appended, so the count is that of what would be sent');

export type MessagesBody = z.output<typeof CountTokensRequest>;

/**
 * The system prompt with the skills after it. Anthropic caches the prompt prefix up to each
 * `cache_control` breakpoint (tools, then system, then messages), so the caller's system stays a
 * byte-identical prefix, its blocks and markers included:
 * - block array: one text block appended at the end (no `cache_control` of its own: breakpoints
 *   are the caller's to place, and there are at most four);
 * - string: stays a string, the skills after a blank line (some Anthropic-compatible servers
 *   accept only a string);
 * - none: the skills are the system prompt.
 * A breakpoint in `messages` is hit again as long as the same skills are injected (same text).
 */
export function withSkillsSystem(system: unknown, skills: string): string | unknown[] {
  if (Array.isArray(system)) return [...system, { type: 'text', text: skills }];
  if (typeof system === 'string' && system.length > 0) return `${system}\n\n${skills}`;
  return skills;
}

/**
 * Context a harness adds inside user messages (Claude Code's `<system-reminder>` blocks: the
 * file tree, tool notes, ...) is not what the user said: learning from it would turn tool
 * boilerplate into "preferences".
 */
const HARNESS_BLOCK = /^\s*<system-reminder>[\s\S]*<\/system-reminder>\s*$/;

function textOf(block: unknown): string | undefined {
  if (!block || typeof block !== 'object') return undefined;
  const b = block as { type?: unknown; text?: unknown };
  return b.type === 'text' && typeof b.text === 'string' ? b.text : undefined;
}

function toolResultText(block: { content?: unknown }): string {
  if (typeof block.content === 'string') return block.content;
  if (Array.isArray(block.content)) return block.content.map((b) => textOf(b) ?? '').filter(Boolean).join('\n');
  return '';
}

/**
 * The conversation as plain `{role, content}` turns for the turn pipeline: the system prompt,
 * then user and assistant text. Tool results (user-role blocks in Anthropic's format) become
 * `tool` messages, so the newest *user* message stays the person's last words during a tool
 * loop (one retrieval per turn, and nothing learned from tool output); tool calls, thinking,
 * images and documents carry no text to learn from and are left out.
 */
export function toTurnMessages(body: MessagesBody): ChatMessage[] {
  const out: ChatMessage[] = [];
  const system = typeof body.system === 'string' ? body.system : (body.system ?? []).map((b) => textOf(b) ?? '').filter(Boolean).join('\n');
  if (system.trim()) out.push({ role: 'system', content: system });
  for (const m of body.messages) {
    if (typeof m.content === 'string') {
      if (m.content.trim()) out.push({ role: m.role, content: m.content });
      continue;
    }
    const texts: string[] = [];
    for (const block of m.content) {
      if (block.type === 'tool_result') {
        const t = toolResultText(block as { content?: unknown });
        if (t.trim()) out.push({ role: 'tool', content: t });
        continue;
      }
      const t = textOf(block);
      if (t && t.trim() && !(m.role === 'user' && HARNESS_BLOCK.test(t))) texts.push(t);
    }
    if (texts.length) out.push({ role: m.role, content: texts.join('\n') });
  }
  return out;
}

/** Stop reasons after which the model still has work to do: the turn is not finished. */
const UNFINISHED = new Set(['tool_use', 'pause_turn']);

/** The answer text of a (non-stream) Anthropic message, or '' while the turn is unfinished. */
export function replyTextOf(message: unknown): string {
  if (!message || typeof message !== 'object') return '';
  const m = message as { stop_reason?: unknown; content?: unknown };
  if (typeof m.stop_reason === 'string' && UNFINISHED.has(m.stop_reason)) return '';
  if (!Array.isArray(m.content)) return '';
  return m.content.map((b) => textOf(b) ?? '').join('');
}

export function isUnfinished(stopReason: string | null): boolean {
  return stopReason !== null && UNFINISHED.has(stopReason);
}
