import { createHash } from 'node:crypto';
import type { SkillSource, SourceMessage } from '../skill/schema.js';
import type { ChatMessage } from '../ports/chat.js';

/**
 * Provenance of learned versions: which surface, conversation, turn and message produced them.
 * The learner computes it when a turn is handed over (before the job is recorded, from the
 * already redacted text), the job carries it, and maintenance writes it into the version's
 * `source`, so `GET …/versions` shows where every learned version came from.
 */

/** The surfaces that hand turns to the learner; `sdk` is a direct library call. */
export const SURFACES = ['proxy', 'ai-sdk', 'langchain', 'mcp', 'chat', 'web', 'api', 'cli', 'sdk'] as const;
export type Surface = (typeof SURFACES)[number];

/** The provenance fields of a `SkillSource` (everything but kind, ref and trigger). */
export type SourceOrigin = Pick<SkillSource, 'surface' | 'session' | 'turn' | 'message'>;

const EXCERPT = 160;

function messageRef(role: SourceMessage['role'], text: string, index?: number): SourceMessage {
  const chars = [...text];
  return {
    role,
    ...(index !== undefined ? { index } : {}),
    sha256: createHash('sha256').update(text).digest('hex'),
    excerpt: chars.length > EXCERPT ? chars.slice(0, EXCERPT - 1).join('') + '…' : text,
  };
}

/**
 * Where a turn comes from. `conversation` is the whole conversation as the learner saw it (text
 * messages), not the extraction window; the message learned from is its newest user message, or
 * the hint when there is none. `clean` (redaction) is applied to that text before it is hashed.
 */
export function originOf(
  conversation: readonly ChatMessage[],
  opts: { surface?: string | undefined; sessionId?: string | undefined; hint?: string | undefined; clean?: (text: string) => string },
): SourceOrigin {
  const clean = opts.clean ?? ((t: string) => t);
  const origin: SourceOrigin = { surface: opts.surface ?? 'sdk' };
  if (opts.sessionId) origin.session = opts.sessionId;
  let last = -1;
  let turns = 0;
  conversation.forEach((m, i) => {
    if (m.role !== 'user') return;
    last = i;
    turns++;
  });
  if (last >= 0) {
    origin.turn = turns;
    origin.message = messageRef('user', clean(conversation[last]!.content), last);
  } else if (opts.hint?.trim()) {
    origin.message = messageRef('hint', clean(opts.hint.trim()));
  }
  return origin;
}

/** The `source` of a version written by the learner. */
export function learnedSource(kind: 'extraction' | 'merge', prov: { ref: string; trigger: string } & SourceOrigin): SkillSource {
  const source: SkillSource = { kind, ref: prov.ref, trigger: prov.trigger };
  if (prov.surface) source.surface = prov.surface;
  if (prov.session) source.session = prov.session;
  if (prov.turn !== undefined) source.turn = prov.turn;
  if (prov.message) source.message = prov.message;
  return source;
}
