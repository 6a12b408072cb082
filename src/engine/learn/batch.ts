import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ExtractJobResult, LearnedSkillRef, Learner } from './learner.js';
import { contentToText, toChatMessages, type ChatMessage } from '../ports/chat.js';
import type { Surface } from './provenance.js';

/**
 * Offline batch learning from recorded conversations in OpenAI chat format: a `.json` file (an
 * array of conversations, or one), a `.jsonl` file (one conversation per line) or a directory of
 * them. Each conversation goes through the same pipeline as a live turn (`Learner.ingest`):
 * redaction, extraction, maintenance (planned outside the user lock, written under it).
 */

export interface BatchConversation {
  index: number;
  /** `<file>#<n>` or `inline#<n>` */
  source: string;
  messages: ChatMessage[];
}

export interface BatchInputError {
  source: string;
  reason: string;
}

export interface LoadedConversations {
  conversations: BatchConversation[];
  errors: BatchInputError[];
}

const MESSAGE_KEYS = ['messages', 'conversation', 'dialogue', 'history', 'chat_history'] as const;
const REQUEST_KEYS = ['body', 'request', 'input', 'payload'] as const;
const WRAPPER_KEYS = ['conversations', 'data', 'items', 'records', 'dialogues', 'samples'] as const;

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function looksLikeMessages(v: unknown): v is unknown[] {
  return Array.isArray(v) && v.length > 0 && v.every(isRecord) && v.some((m) => 'role' in m || 'content' in m);
}

/** The assistant answer recorded next to a request (`response.choices[0].message.content` or `output_text`). */
function responseText(record: Record<string, unknown>): string {
  const resp = record.response;
  if (!isRecord(resp)) return '';
  const choices = resp.choices;
  if (Array.isArray(choices) && isRecord(choices[0]) && isRecord(choices[0].message)) {
    return contentToText(choices[0].message.content).trim();
  }
  return typeof resp.output_text === 'string' ? resp.output_text.trim() : '';
}

/** Conversations found in one parsed JSON value (one record may hold one or many). */
export function conversationsIn(value: unknown): ChatMessage[][] {
  if (looksLikeMessages(value)) return [toChatMessages(value)];
  if (Array.isArray(value)) return value.flatMap((v) => conversationsIn(v));
  if (!isRecord(value)) return [];
  const out: ChatMessage[][] = [];
  for (const key of MESSAGE_KEYS) if (looksLikeMessages(value[key])) out.push(toChatMessages(value[key]));
  for (const key of REQUEST_KEYS) {
    const inner = value[key];
    if (isRecord(inner) && looksLikeMessages(inner.messages)) {
      const msgs = toChatMessages(inner.messages);
      const answer = responseText(value);
      if (answer && msgs[msgs.length - 1]?.role !== 'assistant') msgs.push({ role: 'assistant', content: answer });
      out.push(msgs);
    }
  }
  if (out.length === 0) for (const key of WRAPPER_KEYS) if (value[key] !== undefined) out.push(...conversationsIn(value[key]));
  return out.filter((c) => c.length > 0);
}

async function filesUnder(p: string): Promise<string[]> {
  const st = await stat(p);
  if (st.isFile()) return [p];
  const out: string[] = [];
  for (const entry of (await readdir(p, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(p, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(full)));
    else if (entry.isFile() && /\.(jsonl?|ndjson)$/i.test(entry.name)) out.push(full);
  }
  return out;
}

/** Parse conversations from files (or in-memory data). Unreadable lines/files become errors, not exceptions. */
export async function loadConversations(input: { path?: string; data?: unknown }): Promise<LoadedConversations> {
  const conversations: BatchConversation[] = [];
  const errors: BatchInputError[] = [];
  const push = (source: string, convs: ChatMessage[][]) => {
    convs.forEach((messages, i) => conversations.push({ index: conversations.length, source: `${source}#${i}`, messages }));
  };
  if (input.data !== undefined) push('inline', conversationsIn(input.data));
  if (input.path) {
    for (const file of await filesUnder(input.path)) {
      const name = path.basename(file);
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        errors.push({ source: name, reason: `unreadable: ${(err as Error).message}` });
        continue;
      }
      if (/\.(jsonl|ndjson)$/i.test(file)) {
        text.split(/\r?\n/).forEach((line, n) => {
          if (!line.trim()) return;
          try {
            const convs = conversationsIn(JSON.parse(line));
            if (convs.length === 0) errors.push({ source: `${name}:${n + 1}`, reason: 'no messages in this line' });
            push(`${name}:${n + 1}`, convs);
          } catch {
            errors.push({ source: `${name}:${n + 1}`, reason: 'invalid JSON' });
          }
        });
      } else {
        try {
          push(name, conversationsIn(JSON.parse(text)));
        } catch {
          errors.push({ source: name, reason: 'invalid JSON' });
        }
      }
    }
  }
  return { conversations, errors };
}

export interface BatchProgress {
  index: number;
  total: number;
  source: string;
  status: ExtractJobResult['status'] | 'error';
  skills: LearnedSkillRef[];
  reason?: string;
}

export interface BatchOptions {
  userId: string;
  path?: string;
  data?: unknown;
  hint?: string;
  /** keep only the last N messages of each conversation (0 / undefined = all) */
  maxMessages?: number;
  onProgress?: (p: BatchProgress) => void;
  /** stop at the first failure (default: continue) */
  stopOnError?: boolean;
  signal?: AbortSignal;
  /** recorded with what is learned (provenance; default `sdk`) */
  surface?: Surface;
}

export interface BatchSummary {
  conversations: number;
  processed: number;
  created: number;
  updated: number;
  unchanged: number;
  discarded: number;
  nothing: number;
  failed: number;
  failures: Array<{ source: string; reason: string }>;
  /** the final state of every skill touched, once each */
  skills: LearnedSkillRef[];
}

export async function runBatch(learner: Learner, opts: BatchOptions): Promise<BatchSummary> {
  const { conversations, errors } = await loadConversations({ path: opts.path, data: opts.data });
  const summary: BatchSummary = {
    conversations: conversations.length,
    processed: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    discarded: 0,
    nothing: 0,
    failed: errors.length,
    failures: [...errors],
    skills: [],
  };
  const touched = new Map<string, LearnedSkillRef>();
  for (const conv of conversations) {
    opts.signal?.throwIfAborted();
    const windowSize = opts.maxMessages && opts.maxMessages > 0 ? opts.maxMessages : Infinity;
    let progress: BatchProgress;
    try {
      const result = await learner.ingest(opts.userId, conv.messages, {
        hint: opts.hint,
        trigger: 'batch',
        // Keyed by content, not position: re-running the same conversation is a no-op, while a
        // different upload that happens to sit at the same index still learns.
        ref: `batch:${conversationHash(conv.messages)}`,
        windowSize,
        signal: opts.signal,
        ...(opts.surface ? { surface: opts.surface } : {}),
      });
      summary.processed++;
      if (result.status === 'nothing') summary.nothing++;
      else if (result.status === 'discarded') summary.discarded++;
      for (const s of result.skills) {
        if (s.action === 'created') summary.created++;
        else if (s.action === 'merged') summary.updated++;
        else summary.unchanged++;
        touched.set(s.id, s);
      }
      progress = { index: conv.index, total: conversations.length, source: conv.source, status: result.status, skills: result.skills, reason: result.reason };
    } catch (err) {
      if (opts.signal?.aborted) throw err;
      const reason = err instanceof Error ? err.message : String(err);
      summary.failed++;
      summary.failures.push({ source: conv.source, reason });
      progress = { index: conv.index, total: conversations.length, source: conv.source, status: 'error', skills: [], reason };
      opts.onProgress?.(progress);
      if (opts.stopOnError) break;
      continue;
    }
    opts.onProgress?.(progress);
  }
  summary.skills = [...touched.values()];
  return summary;
}

function conversationHash(messages: readonly ChatMessage[]): string {
  return createHash('sha256').update(JSON.stringify(messages.map((m) => [m.role, m.content]))).digest('hex').slice(0, 24);
}
