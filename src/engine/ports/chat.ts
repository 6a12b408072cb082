import { z } from 'zod';

/**
 * Chat messages as the learning loop sees them: plain text per turn. Inputs arrive in OpenAI,
 * AI SDK or LangChain shapes, so everything is flattened to `{ role, content }` at the boundary.
 */
export type ChatRole = 'user' | 'assistant' | 'system' | 'tool';

export const ChatMessageSchema = z.object({
  role: z.enum(['user', 'assistant', 'system', 'tool']),
  content: z.string(),
});
export interface ChatMessage {
  role: ChatRole;
  content: string;
}

const ROLE_ALIASES: Record<string, ChatRole> = {
  user: 'user',
  human: 'user',
  assistant: 'assistant',
  ai: 'assistant',
  model: 'assistant',
  bot: 'assistant',
  system: 'system',
  developer: 'system',
  tool: 'tool',
  function: 'tool',
};

/** Flatten message content: a string, an array of parts (`text`/`content`), or a `{text}` object. */
export function contentToText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => {
        if (typeof part === 'string') return part;
        if (part && typeof part === 'object') {
          const p = part as Record<string, unknown>;
          if (typeof p.text === 'string') return p.text;
          if (typeof p.content === 'string') return p.content;
        }
        return '';
      })
      .filter((s) => s.length > 0)
      .join('\n');
  }
  if (content && typeof content === 'object') {
    const c = content as Record<string, unknown>;
    if (typeof c.text === 'string') return c.text;
    if (typeof c.content === 'string') return c.content;
  }
  return '';
}

/** Normalize one message-like value; returns undefined for anything without text. */
export function toChatMessage(raw: unknown): ChatMessage | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const r = raw as Record<string, unknown>;
  const roleRaw = typeof r.role === 'string' ? r.role : typeof r.type === 'string' ? r.type : 'user';
  const role = ROLE_ALIASES[roleRaw.toLowerCase()] ?? 'user';
  const content = contentToText(r.content ?? r.text ?? r.parts).trim();
  if (!content) return undefined;
  return { role, content };
}

export function toChatMessages(raw: readonly unknown[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const m of raw) {
    const msg = toChatMessage(m);
    if (msg) out.push(msg);
  }
  return out;
}

/**
 * The slice of a conversation extraction looks at: the last `size` user/assistant messages before
 * the newest user message, plus that newest user message (the feedback). System and tool messages
 * are dropped because they are the application's words (often our own injected skills), never
 * the user's evidence.
 */
export function selectWindow(messages: readonly ChatMessage[], size = 6): ChatMessage[] {
  const dialog = messages.filter((m) => m.role === 'user' || m.role === 'assistant');
  if (dialog.length === 0) return [];
  const last = dialog[dialog.length - 1]!;
  const limit = Number.isFinite(size) ? Math.max(1, Math.floor(size)) : dialog.length;
  if (last.role === 'user') {
    const before = dialog.slice(0, -1);
    return [...before.slice(Math.max(0, before.length - limit)), last];
  }
  return dialog.slice(Math.max(0, dialog.length - limit));
}

export function hasAssistantTurn(messages: readonly ChatMessage[]): boolean {
  return messages.some((m) => m.role === 'assistant');
}

/**
 * The conversation up to and including its newest user message. A turn is learned from as the
 * user left it: an answer appended after it is not evidence, and would make a first turn look
 * like a follow-up.
 */
export function upToLastUser(messages: readonly ChatMessage[]): ChatMessage[] {
  let last = messages.length - 1;
  while (last >= 0 && messages[last]!.role !== 'user') last--;
  return messages.slice(0, last + 1);
}

export function lastUserMessage(messages: readonly ChatMessage[]): ChatMessage | undefined {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.role === 'user') return messages[i];
  return undefined;
}
