import { z } from 'zod';
import type { LlmPort } from '../ports/llm.js';
import type { ChatMessage } from '../ports/chat.js';
import { tokenize } from '../index/tokenize.js';

/**
 * Retrieval query rewriting. A chat turn is often not a good search query on its own:
 * "make it shorter", "用中文", "no tables please" only make sense with the topic of the turns
 * before. Two helpers:
 *  - `buildRewriteQuery`: cheap and deterministic. If the latest user turn looks like a
 *    continuation or a bare constraint, prepend the most recent earlier user turn that carries a
 *    topic. Otherwise the latest turn is the query.
 *  - `rewriteQueryWithLlm`: asks an LLM for one concise search line (topic anchor + the
 *    constraints that matter for choosing a skill). Any failure (call error, empty or unusable
 *    output) falls back to the original latest user text, so retrieval never breaks on it.
 */

export interface RewriteOptions {
  /** how many earlier messages may be consulted; default 12 */
  maxHistoryMessages?: number;
  /** cap on the history text sent to the LLM (characters); default 2000 */
  maxHistoryChars?: number;
  /** cap on the produced query (characters); default 300 */
  maxQueryChars?: number;
}

const DEFAULTS = { maxHistoryMessages: 12, maxHistoryChars: 2000, maxQueryChars: 300 };

/** Openers that mark a turn as refining the previous request rather than starting a new one. */
const CONTINUATION_EN =
  /^(and|also|but|then|now|again|instead|more|less|make it|make them|shorter|longer|simpler|continue|go on|keep going|same|another|one more|redo|rewrite it|try again|do it|in (english|chinese|french|german|spanish|japanese)|use |without |no |don'?t |do not |please (make|use|add|remove|keep)|can you (make|add|remove|shorten|expand)|what about|how about)\b/i;
const CONTINUATION_ZH =
  /^(再|还|继续|接着|然后|另外|改成|改为|换成|换个|用|不要|别|去掉|加上|加个|缩短|简短|精简|扩写|展开|更|重新|重写|同样|一样|那|那么|这个|那个|它|再来|翻译成|翻成|写成|变成)/;

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : chars.slice(0, max).join('');
}

function clean(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * True when a user turn is unlikely to name a topic by itself: it opens like a continuation, or
 * it is very short (few content tokens and, for CJK text, few characters).
 */
export function isContinuation(text: string): boolean {
  const t = clean(text);
  if (t === '') return true;
  if (CONTINUATION_EN.test(t) || CONTINUATION_ZH.test(t)) return true;
  const tokens = new Set(tokenize(t));
  const cjkChars = [...t].filter((c) => CJK.test(c)).length;
  if (cjkChars > 0) return cjkChars <= 4 && tokens.size <= 3;
  return tokens.size <= 2;
}

function lastUserIndex(messages: readonly ChatMessage[]): number {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.role === 'user' && messages[i]!.content.trim()) return i;
  return -1;
}

/** The latest user text, or '' when there is none. */
export function latestUserText(messages: readonly ChatMessage[]): string {
  const i = lastUserIndex(messages);
  return i < 0 ? '' : clean(messages[i]!.content);
}

/** Deterministic rewrite: the latest user turn, anchored to the earlier topic when it is only a continuation. */
export function buildRewriteQuery(messages: readonly ChatMessage[], opts: RewriteOptions = {}): string {
  const o = { ...DEFAULTS, ...opts };
  const i = lastUserIndex(messages);
  if (i < 0) return '';
  const latest = clean(messages[i]!.content);
  if (!isContinuation(latest)) return cut(latest, o.maxQueryChars);
  const floor = Math.max(0, i - o.maxHistoryMessages);
  const added: string[] = [];
  for (let j = i - 1; j >= floor; j--) {
    const m = messages[j]!;
    if (m.role !== 'user' || !m.content.trim()) continue;
    const text = clean(m.content);
    added.unshift(text);
    // Stop at the first earlier turn that names a topic; keep chained constraints on the way.
    if (!isContinuation(text) || added.length >= 3) break;
  }
  if (added.length === 0) return cut(latest, o.maxQueryChars);
  // The anchor goes first, but the newest constraint must survive the length cap.
  const tail = ` ${latest}`;
  const room = Math.max(0, o.maxQueryChars - [...tail].length);
  return clean(cut(added.join(' '), room) + tail);
}

const REWRITE_SYSTEM = [
  'You turn the latest message of a chat into one search query for a library of reusable skills',
  '(procedures, preferences and style rules an assistant can follow).',
  '',
  'Rules:',
  '- Decide whether the latest message continues the current topic or starts a new one. If it continues it,',
  '  or only adds a constraint ("shorter", "in Chinese", "no tables"), keep the topic from the conversation and add the new constraint.',
  '  If it starts a new topic, use only the new topic.',
  '- Always name the topic concretely: the kind of object or domain, the deliverable, and the action',
  '  (for example "weekly status email to the team, draft").',
  '- Keep the constraints that matter for choosing a skill (format, forbidden elements, length, tone, audience, language,',
  '  tools), at most about six. Replace pronouns with what they refer to.',
  '- Leave out pleasantries, pasted content, names of people, numbers and other one-off details.',
  '- Write the query in the language the user writes in.',
  '- Answer with JSON: {"query": "<one line, no quotes or labels>"}.',
].join('\n');

const RewriteSchema = z.object({ query: z.string() });

function historyText(messages: readonly ChatMessage[], upTo: number, o: typeof DEFAULTS): string {
  const floor = Math.max(0, upTo - o.maxHistoryMessages);
  const blocks: string[] = [];
  let used = 0;
  for (let j = upTo - 1; j >= floor; j--) {
    const m = messages[j]!;
    if (m.role !== 'user' && m.role !== 'assistant') continue;
    const text = clean(m.content);
    if (!text) continue;
    const block = `${m.role === 'user' ? 'User' : 'Assistant'}: ${text}`;
    const size = [...block].length;
    if (used + size > o.maxHistoryChars) {
      // keep the head of the newest long message rather than nothing at all
      if (blocks.length === 0) blocks.push(cut(block, o.maxHistoryChars));
      break;
    }
    blocks.unshift(block);
    used += size;
  }
  return blocks.join('\n');
}

/** Pull a query string out of whatever the model returned. */
export function extractRewrittenQuery(raw: unknown): string | undefined {
  let value: unknown = raw;
  if (typeof value === 'string') {
    const s = value.trim().replace(/^```[a-zA-Z]*\s*|\s*```$/g, '').trim();
    if (s.startsWith('{')) {
      try {
        value = JSON.parse(s);
      } catch {
        value = s;
      }
    } else value = s;
  }
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const q = [o.query, o.rewritten_query, o.search_query, o.rewrite].find((x) => typeof x === 'string' && x.trim());
    if (typeof q !== 'string') return undefined;
    value = q;
  }
  if (typeof value !== 'string') return undefined;
  const firstLine = value.split(/\r?\n/).find((l) => l.trim()) ?? '';
  const line = clean(firstLine)
    .replace(/^(rewritten (search )?query|search query|query)\s*[:：]\s*/i, '')
    .replace(/^["'“”‘’「」]+|["'“”‘’「」]+$/g, '')
    .trim();
  // A JSON-looking leftover is not a query (upstream injected `{"skills": []}` this way).
  if (!line || /^[[{]/.test(line)) return undefined;
  return line;
}

/**
 * LLM rewrite of the latest user turn into one search line. Never throws: on any failure it
 * returns the original latest user text.
 */
export async function rewriteQueryWithLlm(
  llm: LlmPort,
  messages: readonly ChatMessage[],
  opts: RewriteOptions & { signal?: AbortSignal; temperature?: number } = {},
): Promise<string> {
  const o = { ...DEFAULTS, ...opts };
  const i = lastUserIndex(messages);
  if (i < 0) return '';
  const original = clean(messages[i]!.content);
  try {
    const history = historyText(messages, i, o);
    const user = `${history ? `Conversation so far:\n${history}\n\n` : ''}Latest user message:\n${cut(original, 4000)}`;
    const raw = await llm.generate({
      system: REWRITE_SYSTEM,
      user,
      schema: RewriteSchema,
      schemaName: 'search_query',
      temperature: opts.temperature ?? 0,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    const q = extractRewrittenQuery(raw);
    return q ? cut(q, o.maxQueryChars) : original;
  } catch {
    return original;
  }
}
