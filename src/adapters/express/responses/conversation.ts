import { contentToText, type ChatMessage } from '../../../engine/ports/chat.js';
import type { ResponsesBody } from './schema.js';

/**
 * What the turn pipeline sees of a Responses turn. The pipeline works on plain `{role, content}`
 * messages; Responses input is a string or a list of typed items, and its answer is a list of
 * output items. Only messages carry the user's words: tool calls, reasoning, item references and
 * the like are dropped here (the generic flattening would read an unknown item as a user message,
 * and a reasoning item's text is the model's, not the user's evidence).
 */

const ROLES: Record<string, ChatMessage['role']> = { user: 'user', assistant: 'assistant', system: 'system', developer: 'system' };

/** `input` as chat messages: a string is one user message; message items keep their role. */
export function inputMessages(input: ResponsesBody['input']): ChatMessage[] {
  if (input === undefined) return [];
  if (typeof input === 'string') return input.trim() ? [{ role: 'user', content: input }] : [];
  const out: ChatMessage[] = [];
  for (const item of input) {
    const isMessage = item.type === undefined || item.type === 'message';
    if (isMessage && item.role) {
      const content = contentToText(item.content).trim();
      if (content) out.push({ role: ROLES[item.role]!, content });
    } else if (item.type === 'function_call_output' && typeof item.output === 'string' && item.output.trim()) {
      // Kept as a tool message: it tells the pipeline the turn moved past the user's message.
      out.push({ role: 'tool', content: item.output });
    }
  }
  return out;
}

/**
 * Output items that hand control back to the caller (a tool to run, an approval to give): the
 * turn is not finished, so it is not learned from yet. Hosted tools (web/file search) run inside
 * the response and do not count.
 */
const CLIENT_ACTIONS = new Set([
  'function_call',
  'custom_tool_call',
  'computer_call',
  'local_shell_call',
  'shell_call',
  'apply_patch_call',
  'mcp_approval_request',
]);

interface OutputItemLike {
  type?: unknown;
  role?: unknown;
  content?: unknown;
}

/**
 * The answer text of a Response object: its assistant messages' `output_text` parts. Empty when
 * the response waits on the caller (a tool call), has not run yet (background `queued`), or
 * failed: then there is nothing to learn from.
 */
export function answerText(response: unknown): string {
  if (!response || typeof response !== 'object') return '';
  const r = response as { status?: unknown; output?: unknown };
  if (r.status === 'failed' || r.status === 'queued' || r.status === 'in_progress' || r.status === 'cancelled') return '';
  if (!Array.isArray(r.output)) return '';
  const items = r.output as OutputItemLike[];
  if (items.some((i) => typeof i?.type === 'string' && CLIENT_ACTIONS.has(i.type))) return '';
  const parts: string[] = [];
  for (const item of items) {
    if (item?.type !== 'message' || item.role !== 'assistant' || !Array.isArray(item.content)) continue;
    for (const part of item.content as Array<{ type?: unknown; text?: unknown }>) {
      if (part?.type === 'output_text' && typeof part.text === 'string') parts.push(part.text);
    }
  }
  return parts.join('');
}

/**
 * The caller's `instructions` with the skills after them. Why `instructions` and not an input
 * item:
 * - the caller's own text stays a byte-identical prefix, so its prompt cache keeps matching;
 * - `instructions` are not carried over by `previous_response_id` and are not part of a stored
 *   conversation, so each turn gets the skills of that turn, once. An injected input item would be
 *   stored with the response and pile up, turn after turn, in every later request of the chain;
 * - it is not listed by `GET /v1/responses/{id}/input_items`, which stays the caller's input.
 */
export function instructionsWithSkills(instructions: string | null | undefined, skills: string): string {
  return instructions ? `${instructions}\n\n${skills}` : skills;
}
