import type { ChatMessage } from '../ports/chat.js';
import { tokenize } from '../index/tokenize.js';

/**
 * Retrieval query rewriting. A chat turn is often not a good search query on its own:
 * "make it shorter", "用中文", "no tables please" only make sense with the topic of the turns
 * before. `buildRewriteQuery` is cheap and deterministic: if the latest user turn looks like a
 * continuation or a bare constraint, the most recent earlier user turn that carries a topic is
 * prepended; otherwise the latest turn is the query.
 */

export interface RewriteOptions {
  /** how many earlier messages may be consulted; default 12 */
  maxHistoryMessages?: number;
  /** cap on the produced query (characters); default 300 */
  maxQueryChars?: number;
}

const DEFAULTS = { maxHistoryMessages: 12, maxQueryChars: 300 };

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

/**
 * Whitespace collapsed, on the message's head only: a query keeps at most `maxQueryChars`, so a
 * megabyte-long message is not scanned, spread into characters and tokenized whole on the request
 * path (that took seconds and stalled every other request).
 */
function clean(text: string, max = HEAD_CHARS): string {
  const head = text.length > max ? text.slice(0, text.charCodeAt(max - 1) >= 0xd800 && text.charCodeAt(max - 1) < 0xdc00 ? max - 1 : max) : text;
  return head.replace(/\s+/g, ' ').trim();
}

/** how much of a message the query is built from (several times any query cap in use) */
const HEAD_CHARS = 4000;

/**
 * True when a user turn is unlikely to name a topic by itself: it opens like a continuation, or
 * it is very short (few content tokens and, for CJK text, few characters).
 */
export function isContinuation(text: string): boolean {
  const t = clean(text);
  if (t === '') return true;
  if (CONTINUATION_EN.test(t) || CONTINUATION_ZH.test(t)) return true;
  // The CJK count first: past 4 CJK characters the answer is no without tokenizing (a chat turn's
  // whole text is tokenized here before the search tokenizes its query again).
  const cjkChars = [...t].filter((c) => CJK.test(c)).length;
  if (cjkChars > 4) return false;
  const tokens = new Set(tokenize(t));
  if (cjkChars > 0) return tokens.size <= 3;
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
  const latest = clean(messages[i]!.content, Math.max(HEAD_CHARS, o.maxQueryChars));
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
