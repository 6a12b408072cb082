import type { ChatMessage, ChatRole } from '../engine/ports/chat.js';

/**
 * A pasted conversation ("User: … / Assistant: …") turned into chat messages, so a model calling
 * `extract_now` can hand over a transcript as one string. Lines without a speaker label continue
 * the previous message; text without any label is one user message.
 */

const SPEAKERS: Record<string, ChatRole> = {
  user: 'user',
  human: 'user',
  me: 'user',
  用户: 'user',
  我: 'user',
  assistant: 'assistant',
  ai: 'assistant',
  model: 'assistant',
  bot: 'assistant',
  claude: 'assistant',
  助手: 'assistant',
  system: 'system',
  系统: 'system',
};

// "User:", "**Assistant**:", "用户：" (full-width colon), optionally after a list marker.
const LABEL = /^\s*(?:[-*>]\s*)?\**\s*([A-Za-z]+|[\u4e00-\u9fff]{1,2})\s*\**\s*[:：]\s?(.*)$/;

export function parseConversation(text: string): ChatMessage[] {
  const out: ChatMessage[] = [];
  let current: { role: ChatRole; lines: string[] } | undefined;
  let labelled = false;
  const flush = () => {
    if (!current) return;
    const content = current.lines.join('\n').trim();
    if (content) out.push({ role: current.role, content });
  };
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    const m = LABEL.exec(line);
    const role = m ? SPEAKERS[m[1]!.toLowerCase()] : undefined;
    if (m && role) {
      flush();
      labelled = true;
      current = { role, lines: [m[2] ?? ''] };
    } else if (current) {
      current.lines.push(line);
    } else {
      current = { role: 'user', lines: [line] };
    }
  }
  flush();
  if (!labelled) {
    const all = text.trim();
    return all ? [{ role: 'user', content: all }] : [];
  }
  return out;
}
