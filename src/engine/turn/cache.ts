import { hash } from 'node:crypto';
import type { ChatMessage } from '../ports/chat.js';

/**
 * Retrieval results of recent turns, so that the several model calls of one turn (an AI SDK or
 * LangChain agent calls the model again after every tool result) search once. A turn is known by
 * its user, its retrieval settings and the conversation up to and including its newest user
 * message: later steps only append assistant tool calls and tool results after it. Bounded in
 * entries (least recently used dropped) and in age, so a skill learned since is seen soon.
 * In-flight lookups are shared, so concurrent steps wait for one search.
 */

export interface TurnCacheOptions {
  /** entries kept (default 512) */
  maxEntries?: number;
  /** how long an entry is served (default 60 s) */
  ttlMs?: number;
  now?: () => number;
}

interface Entry<T> {
  value: Promise<T>;
  at: number;
}

export class TurnCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(opts: TurnCacheOptions = {}) {
    this.maxEntries = Math.max(1, opts.maxEntries ?? 512);
    this.ttlMs = Math.max(0, opts.ttlMs ?? 60_000);
    this.now = opts.now ?? Date.now;
  }

  /**
   * The cached value for `key`, or `compute()` stored under it. `hit` says which. A computation
   * that rejects, or whose value `keep` refuses (a timed-out retrieval), is not kept.
   */
  async get(key: string, compute: () => Promise<T>, keep: (v: T) => boolean = () => true): Promise<{ value: T; hit: boolean }> {
    const t = this.now();
    const found = this.entries.get(key);
    if (found && t - found.at <= this.ttlMs) {
      this.entries.delete(key);
      this.entries.set(key, found);
      return { value: await found.value, hit: true };
    }
    if (found) this.entries.delete(key);
    const value = compute();
    const entry: Entry<T> = { value, at: t };
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    const drop = () => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    };
    try {
      const v = await value;
      if (!keep(v)) drop();
      return { value: v, hit: false };
    } catch (err) {
      drop();
      throw err;
    }
  }

  clear(): void {
    this.entries.clear();
  }

  /** Drop the entries whose key starts with `prefix` (one user's turns, see `turnKey`). */
  clearPrefix(prefix: string): void {
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}

/** The part of every key of a user's turns, so a change to that user's skills drops only theirs. */
export function userKeyPrefix(userId: string): string {
  return `${encodeURIComponent(userId)}:`;
}

/**
 * The key of a turn: the user, then a digest of the settings and the messages up to and
 * including the newest user message. Hashing keeps entries small whatever the conversation length.
 */
export function turnKey(userId: string, settings: string, messages: readonly ChatMessage[]): string {
  let last = messages.length - 1;
  while (last >= 0 && messages[last]!.role !== 'user') last--;
  // One string, one-shot hash: a Hash object and an update() per field cost more than the digest
  // itself on the request path.
  let text = `${userId}\u0000${settings}`;
  for (let i = 0; i <= last; i++) {
    const m = messages[i]!;
    text += `\u0001${m.role}\u0002${m.content}`;
  }
  return userKeyPrefix(userId) + hash('sha256', text, 'base64url');
}
