import type { ChatMessage } from '../../../engine/ports/chat.js';

/**
 * The conversations behind recent response ids, so that a turn sent with `previous_response_id`
 * (only the new input; the history lives upstream) is retrieved for and learned from with its
 * context: "no, cite sources" means something only after the report it corrects. It holds what
 * this proxy relayed (the flattened input messages and the answer text), per user, bounded in
 * entries, messages per entry and age. After a restart or eviction a chain continues with its
 * new input alone, which is what the proxy would see without this cache. Never sent anywhere.
 */

export interface ResponseHistoryOptions {
  /** response ids remembered (default 1,000; least recently used dropped) */
  maxEntries?: number;
  /** messages kept per conversation, newest last (default 12: the learner looks at the last 6) */
  maxMessages?: number;
  /** characters kept per conversation, oldest messages dropped first (default 16,000) */
  maxChars?: number;
  /** how long an entry is served (default 6 h) */
  ttlMs?: number;
  now?: () => number;
}

interface Entry {
  user: string;
  messages: ChatMessage[];
  at: number;
}

export class ResponseHistory {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly maxMessages: number;
  private readonly maxChars: number;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(o: ResponseHistoryOptions = {}) {
    this.maxEntries = Math.max(1, o.maxEntries ?? 1000);
    this.maxMessages = Math.max(2, o.maxMessages ?? 12);
    this.maxChars = Math.max(1000, o.maxChars ?? 16_000);
    this.ttlMs = o.ttlMs ?? 6 * 3600_000;
    this.now = o.now ?? Date.now;
  }

  /** The conversation up to and including response `id`, if it was relayed for this same user. */
  get(id: string | null | undefined, user: string): ChatMessage[] {
    if (!id) return [];
    const e = this.entries.get(id);
    if (!e) return [];
    if (this.now() - e.at > this.ttlMs) {
      this.entries.delete(id);
      return [];
    }
    // Another user naming this id gets nothing: one user's words never reach another's learning.
    if (e.user !== user) return [];
    this.entries.delete(id);
    this.entries.set(id, e);
    return e.messages;
  }

  set(id: string, user: string, messages: readonly ChatMessage[]): void {
    this.entries.delete(id);
    this.entries.set(id, { user, messages: this.bounded(messages), at: this.now() });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  /** The newest messages within the bounds; one oversized message keeps its end (the newest words). */
  private bounded(messages: readonly ChatMessage[]): ChatMessage[] {
    const out: ChatMessage[] = [];
    let chars = 0;
    for (let i = messages.length - 1; i >= 0 && out.length < this.maxMessages; i--) {
      const m = messages[i]!;
      const room = this.maxChars - chars;
      if (room <= 0) break;
      out.push(m.content.length <= room ? m : { role: m.role, content: m.content.slice(-room) });
      chars += Math.min(m.content.length, room);
    }
    return out.reverse();
  }

  delete(id: string): void {
    this.entries.delete(id);
  }

  get size(): number {
    return this.entries.size;
  }
}
