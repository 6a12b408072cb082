import type { ChatMessage } from '../ports/chat.js';
import { hasAssistantTurn, lastUserMessage } from '../ports/chat.js';
import { statesRule } from './rule-cue.js';

/**
 * When automatic extraction runs.
 *
 * - `never`: no automatic extraction (an explicit `extractNow` still runs).
 * - `always`: every turn.
 * - `auto`: every `turnLimit` turns.
 *
 * The first turn of a conversation (no assistant answer yet) has no feedback to learn from, so it
 * extracts only when its user message states a durable rule ("From now on answer in plain text.
 * What is BM25?"); a plain first request schedules nothing. That cue is cheap and generous: the
 * extractor decides what is actually learned. The first turn is not counted. Turns are counted
 * per user and session.
 */
export type ExtractMode = 'auto' | 'always' | 'never';

export interface PolicyOptions {
  mode?: ExtractMode;
  turnLimit?: number;
}

export interface PolicyVerdict {
  extract: boolean;
  reason: string;
  /** turns counted so far for this user/session (first turn excluded) */
  turn: number;
}

interface Counter {
  turns: number;
  lastExtractTurn: number;
}

export class ExtractionPolicy {
  private readonly counters = new Map<string, Counter>();
  private readonly mode: ExtractMode;
  private readonly turnLimit: number;
  private readonly maxKeys: number;

  constructor(defaults: PolicyOptions & { maxKeys?: number } = {}) {
    this.mode = defaults.mode ?? 'auto';
    this.turnLimit = normalizeLimit(defaults.turnLimit);
    this.maxKeys = defaults.maxKeys ?? 10_000;
  }

  static key(userId: string, sessionId?: string): string {
    return `${userId}\u0000${sessionId ?? ''}`;
  }

  /** Count one observed turn and say whether it should extract. */
  observe(key: string, messages: readonly ChatMessage[], opts: PolicyOptions = {}): PolicyVerdict {
    const mode = opts.mode ?? this.mode;
    const limit = opts.turnLimit === undefined ? this.turnLimit : normalizeLimit(opts.turnLimit);
    if (!hasAssistantTurn(messages)) {
      if (mode === 'never') return { extract: false, reason: 'extract_mode is never', turn: 0 };
      if (statesRule(lastUserMessage(messages)?.content ?? '')) return { extract: true, reason: 'first turn states a rule', turn: 0 };
      return { extract: false, reason: 'first turn without a stated rule (no answer to learn from yet)', turn: 0 };
    }
    const counter = this.touch(key);
    counter.turns += 1;
    if (mode === 'never') return { extract: false, reason: 'extract_mode is never', turn: counter.turns };
    if (mode === 'always' || counter.turns - counter.lastExtractTurn >= limit) {
      counter.lastExtractTurn = counter.turns;
      return { extract: true, reason: mode === 'always' ? 'extract_mode is always' : `every ${limit} turn(s)`, turn: counter.turns };
    }
    return { extract: false, reason: `waiting for ${limit - (counter.turns - counter.lastExtractTurn)} more turn(s)`, turn: counter.turns };
  }

  /** Forget a conversation (e.g. the user cleared it). */
  reset(key: string): void {
    this.counters.delete(key);
  }

  private touch(key: string): Counter {
    let c = this.counters.get(key);
    if (c) {
      // Re-insert to keep Map order = least recently used first.
      this.counters.delete(key);
    } else {
      c = { turns: 0, lastExtractTurn: 0 };
      if (this.counters.size >= this.maxKeys) {
        const oldest = this.counters.keys().next().value;
        if (oldest !== undefined) this.counters.delete(oldest);
      }
    }
    this.counters.set(key, c);
    return c;
  }
}

function normalizeLimit(n: number | undefined): number {
  return n === undefined || !Number.isFinite(n) || n < 1 ? 1 : Math.floor(n);
}
