/**
 * Chat sessions, kept per user in the browser (localStorage) so they survive a reload. The stored
 * and exported format is upstream's `web_sessions/<user>.json` layout (version 1), so files from
 * the original AutoSkill Studio import as they are and our exports open there too. Differences
 * from upstream, on purpose: no absolute `store_dir` (it leaked the author's home path), and each
 * turn keeps its final retrieval and extraction state instead of an unbounded event log.
 *
 * Everything here is plain data and pure functions, except the small storage adapter at the end.
 */

export type Role = 'user' | 'assistant' | 'system';

export interface Msg {
  role: Role;
  content: string;
}

export interface HitLite {
  id: string;
  name: string;
  version: string;
  owner: string;
  score: number;
}

export interface RetrievalInfo {
  original_query: string;
  search_query: string;
  rewritten_query: string | null;
  scope: string;
  top_k: number;
  min_score: number;
  hits: HitLite[];
  /** ids (id@version in `injected`) that went into the model's context */
  selected_for_context_ids: string[];
  /** `standing`: a standing preference, injected whatever the request (not retrieved, no score) */
  injected: Array<{ id: string; version: string; name?: string; standing?: boolean }>;
  context_injected: boolean;
  error: string | null;
  event_time: number;
}

export interface UpsertedLite {
  id: string;
  name: string;
  version: string;
  owner: string;
  action?: string;
  /** written as held for review (never injected until approved) */
  held?: boolean;
}

export interface ExtractionInfo {
  trigger: string;
  job_id: string;
  event_time: number;
  status: string;
  error: string;
  upserted: UpsertedLite[];
  /** why nothing was learned (completed without skills) */
  reason?: string;
}

export interface Turn {
  id: string;
  input: string;
  started_at_ms: number;
  finished_at_ms: number | null;
  kind: 'chat' | 'command' | 'unknown';
  command: string;
  chat_append: Msg[];
  retrieval: RetrievalInfo | null;
  extraction: ExtractionInfo | null;
  usage: null;
  error: string;
}

export interface SessionConfig {
  user_id: string;
  skill_scope: string;
  top_k: number;
  min_score: number;
  extract_mode: string;
  extract_turn_limit: number;
}

export interface Session {
  id: string;
  meta: { id: string; title: string; created_at_ms: number; updated_at_ms: number };
  state: { config: SessionConfig; messages: Msg[]; pending: boolean };
  trace: {
    version: 1;
    next_turn_seq: number;
    turns: Turn[];
    retrieval_events: unknown[];
    extraction_events: unknown[];
    config_events: unknown[];
    last_result: null;
  };
}

export interface SessionsFile {
  version: 1;
  user_id: string;
  saved_at_ms: number;
  sessions: Session[];
}

/** Turns kept per session; older ones lose their diagnostics (the messages stay). */
export const MAX_TURNS = 500;
const NEW_TITLE = 'New chat';

/** A UUIDv4. `crypto.randomUUID` exists only in secure contexts (not on plain http to a LAN address). */
export function newSessionId(): string {
  if (typeof crypto.randomUUID === 'function' && globalThis.isSecureContext !== false) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function emptySession(config: SessionConfig, now = Date.now(), id = newSessionId()): Session {
  return {
    id,
    meta: { id, title: NEW_TITLE, created_at_ms: now, updated_at_ms: now },
    state: { config: { ...config }, messages: [], pending: false },
    trace: { version: 1, next_turn_seq: 1, turns: [], retrieval_events: [], extraction_events: [], config_events: [], last_result: null },
  };
}

/** Upstream's rule: whitespace collapsed; over 32 characters → the first 29 plus "...". */
export function titleFrom(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  if (!t) return NEW_TITLE;
  return t.length > 32 ? `${t.slice(0, 29)}...` : t;
}

export function preview(s: Session): string {
  const last = s.state.messages.at(-1)?.content ?? '';
  return last.replace(/\s+/g, ' ').trim().slice(0, 120);
}

/** Start a chat turn: the user's message goes into the history at once. */
export function beginTurn(s: Session, input: string, now = Date.now()): Turn {
  const turn: Turn = {
    id: `turn_${s.trace.next_turn_seq++}`,
    input,
    started_at_ms: now,
    finished_at_ms: null,
    kind: 'chat',
    command: '',
    chat_append: [{ role: 'user', content: input }],
    retrieval: null,
    extraction: null,
    usage: null,
    error: '',
  };
  s.trace.turns.push(turn);
  if (s.trace.turns.length > MAX_TURNS) s.trace.turns.splice(0, s.trace.turns.length - MAX_TURNS);
  s.state.messages.push({ role: 'user', content: input });
  if (s.meta.title === NEW_TITLE) s.meta.title = titleFrom(input);
  s.meta.updated_at_ms = now;
  return turn;
}

export function finishTurn(s: Session, turn: Turn, reply: string, now = Date.now()): void {
  turn.chat_append = [{ role: 'user', content: turn.input }, { role: 'assistant', content: reply }];
  turn.finished_at_ms = now;
  s.state.messages.push({ role: 'assistant', content: reply });
  s.meta.updated_at_ms = now;
}

/** A failed turn: its user message is taken back so that a retry does not send it twice. */
export function failTurn(s: Session, turn: Turn, error: string, now = Date.now()): void {
  turn.error = error;
  turn.finished_at_ms = now;
  const last = s.state.messages.at(-1);
  if (last?.role === 'user' && last.content === turn.input) s.state.messages.pop();
  s.meta.updated_at_ms = now;
}

/**
 * Pair each assistant message with the turn that produced it, in order, by text (upstream kept
 * messages and turns apart; this is how its page matched them too).
 */
export function turnsByMessage(s: Session): Map<number, Turn> {
  const out = new Map<number, Turn>();
  const chat = s.trace.turns.filter((t) => t.kind === 'chat' && t.chat_append.length === 2);
  let k = 0;
  s.state.messages.forEach((m, i) => {
    if (m.role !== 'assistant') return;
    for (let j = k; j < chat.length; j++) {
      if (chat[j]!.chat_append[1]!.content === m.content) {
        out.set(i, chat[j]!);
        k = j + 1;
        return;
      }
    }
  });
  return out;
}

/** Failed turns have no assistant message; the page shows them after the last matched one. */
export function failedTurns(s: Session): Turn[] {
  return s.trace.turns.filter((t) => t.error);
}

// ------------------------------------------------------------------------------------------ files

export function sessionsFile(userId: string, sessions: Session[], now = Date.now()): SessionsFile {
  return { version: 1, user_id: userId, saved_at_ms: now, sessions };
}

const str = (v: unknown, d = ''): string => (typeof v === 'string' ? v : d);
const num = (v: unknown, d = 0): number => (typeof v === 'number' && Number.isFinite(v) ? v : d);
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function normMsg(v: unknown): Msg | null {
  const m = obj(v);
  const role = m.role;
  if (role !== 'user' && role !== 'assistant' && role !== 'system') return null;
  return { role, content: str(m.content) };
}

function normHit(v: unknown): HitLite {
  const h = obj(v);
  const skill = obj(h.skill);
  return {
    id: str(h.id, str(skill.id)),
    name: str(h.name, str(skill.name)),
    version: str(h.version, str(skill.version)),
    owner: str(h.owner, str(h.source, str(skill.owner))),
    score: num(h.score),
  };
}

function normRetrieval(v: unknown): RetrievalInfo | null {
  if (!v || typeof v !== 'object') return null;
  const r = obj(v);
  const hits = [...arr(r.hits), ...(arr(r.hits).length ? [] : [...arr(r.hits_user), ...arr(r.hits_library)])].map(normHit);
  const selected = arr(r.selected_for_context_ids).filter((x): x is string => typeof x === 'string');
  const injected = arr(r.injected)
    .map(obj)
    .map((i) => ({ id: str(i.id), version: str(i.version), ...(typeof i.name === 'string' && i.name ? { name: i.name } : {}), ...(i.standing === true ? { standing: true } : {}) }))
    .filter((i) => i.id);
  return {
    original_query: str(r.original_query),
    search_query: str(r.search_query, str(r.original_query)),
    rewritten_query: typeof r.rewritten_query === 'string' ? r.rewritten_query : null,
    scope: str(r.scope, 'all'),
    top_k: num(r.top_k, 1),
    min_score: num(r.min_score),
    hits,
    selected_for_context_ids: selected,
    injected: injected.length ? injected : selected.map((id) => ({ id, version: hits.find((h) => h.id === id)?.version ?? '' })),
    context_injected: r.context_injected === true || selected.length > 0,
    error: typeof r.error === 'string' && r.error ? r.error : null,
    event_time: num(r.event_time),
  };
}

function normExtraction(v: unknown): ExtractionInfo | null {
  if (!v || typeof v !== 'object') return null;
  const e = obj(v);
  if (!str(e.job_id)) return null;
  return {
    trigger: str(e.trigger, 'auto'),
    job_id: str(e.job_id),
    event_time: num(e.event_time),
    status: str(e.status, 'scheduled'),
    error: str(e.error),
    upserted: arr(e.upserted)
      .map(obj)
      .map((u) => ({
        id: str(u.id),
        name: str(u.name),
        version: str(u.version),
        owner: str(u.owner),
        ...(typeof u.action === 'string' ? { action: u.action } : {}),
        ...(u.held === true ? { held: true } : {}),
      })),
    ...(typeof e.reason === 'string' ? { reason: e.reason } : {}),
  };
}

/** Upstream logged every extraction state separately; a turn should show its job's final one. */
function latestByJob(events: unknown[]): Map<string, ExtractionInfo> {
  const out = new Map<string, ExtractionInfo>();
  for (const ev of events) {
    const e = normExtraction(obj(ev).extraction ?? ev);
    if (!e) continue;
    const prev = out.get(e.job_id);
    const rank = (s: string) => (s === 'completed' || s === 'failed' ? 2 : s === 'running' ? 1 : 0);
    if (!prev || rank(e.status) > rank(prev.status) || (rank(e.status) === rank(prev.status) && e.event_time >= prev.event_time)) out.set(e.job_id, e);
  }
  return out;
}

function normTurn(v: unknown, jobs: Map<string, ExtractionInfo>): Turn {
  const t = obj(v);
  const extraction = normExtraction(t.extraction);
  const kind = t.kind === 'chat' || t.kind === 'command' ? t.kind : 'unknown';
  return {
    id: str(t.id, 'turn_0'),
    input: str(t.input),
    started_at_ms: num(t.started_at_ms),
    finished_at_ms: typeof t.finished_at_ms === 'number' ? t.finished_at_ms : null,
    kind,
    command: str(t.command),
    chat_append: arr(t.chat_append).map(normMsg).filter((m): m is Msg => m !== null),
    retrieval: normRetrieval(t.retrieval),
    extraction: extraction ? (jobs.get(extraction.job_id) ?? extraction) : null,
    usage: null,
    error: str(t.error),
  };
}

function normConfig(v: unknown, fallback: SessionConfig): SessionConfig {
  const c = obj(v);
  return {
    user_id: fallback.user_id,
    skill_scope: str(c.skill_scope, fallback.skill_scope) === 'library' ? 'common' : str(c.skill_scope, fallback.skill_scope),
    top_k: num(c.top_k, fallback.top_k),
    min_score: num(c.min_score, fallback.min_score),
    extract_mode: str(c.extract_mode, fallback.extract_mode),
    extract_turn_limit: num(c.extract_turn_limit, fallback.extract_turn_limit),
  };
}

/** One session from upstream's file layout (tolerates the missing keys of older files). */
function normSession(v: unknown, fallback: SessionConfig): Session | null {
  const s = obj(v);
  const state = obj(s.state);
  const trace = obj(s.trace);
  const meta = obj(s.meta);
  const id = str(s.id, str(meta.id));
  if (!id) return null;
  const messages = arr(state.messages).map(normMsg).filter((m): m is Msg => m !== null);
  const jobs = latestByJob(arr(trace.extraction_events));
  const turns = arr(trace.turns).map((t) => normTurn(t, jobs)).slice(-MAX_TURNS);
  const created = num(meta.created_at_ms, Date.now());
  return {
    id,
    meta: { id, title: str(meta.title, titleFrom(messages.find((m) => m.role === 'user')?.content ?? '')), created_at_ms: created, updated_at_ms: num(meta.updated_at_ms, created) },
    state: { config: normConfig(state.config, fallback), messages, pending: false },
    trace: {
      version: 1,
      next_turn_seq: Math.max(num(trace.next_turn_seq, 1), turns.length + 1),
      turns,
      retrieval_events: [],
      extraction_events: [],
      config_events: [],
      last_result: null,
    },
  };
}

/** upstream's page export: `{session_id, session_state:{config,messages}, process:{turns, ...}}` */
function fromPageExport(doc: Record<string, unknown>, fallback: SessionConfig): Session | null {
  const state = obj(doc.session_state);
  const process = obj(doc.process);
  return normSession(
    {
      id: doc.session_id,
      meta: { id: doc.session_id, created_at_ms: process.trace_started_at_ms },
      state,
      trace: { turns: process.turns, extraction_events: process.extraction_events },
    },
    fallback,
  );
}

export class SessionsFormatError extends Error {}

/**
 * Read an imported JSON file: a `web_sessions` file (version 1, ours or upstream's) or
 * upstream's single-session page export. Sessions are re-owned by the importing user.
 */
export function parseSessionsJson(text: string, fallback: SessionConfig): Session[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new SessionsFormatError(`not JSON: ${(err as Error).message}`);
  }
  const d = obj(doc);
  if (Array.isArray(d.sessions)) {
    if (d.version !== 1) throw new SessionsFormatError(`unsupported sessions file version ${JSON.stringify(d.version)} (expected 1)`);
    return d.sessions.map((s) => normSession(s, fallback)).filter((s): s is Session => s !== null);
  }
  if (typeof d.session_id === 'string' && d.session_state) {
    const s = fromPageExport(d, fallback);
    return s ? [s] : [];
  }
  throw new SessionsFormatError('not a sessions file: expected {"version":1,"sessions":[...]} or an AutoSkill Studio export');
}

/** Add imported sessions; an id already present is replaced only by a newer copy. */
export function mergeSessions(existing: Session[], incoming: Session[]): { sessions: Session[]; added: number; updated: number } {
  const byId = new Map(existing.map((s) => [s.id, s]));
  let added = 0;
  let updated = 0;
  for (const s of incoming) {
    const prev = byId.get(s.id);
    if (!prev) added++;
    else if (s.meta.updated_at_ms > prev.meta.updated_at_ms) updated++;
    else continue;
    byId.set(s.id, s);
  }
  return { sessions: sortSessions([...byId.values()]), added, updated };
}

export function sortSessions(list: Session[]): Session[] {
  return [...list].sort((a, b) => b.meta.updated_at_ms - a.meta.updated_at_ms);
}

export function exportFileName(s: Session, now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  return `autoskill-session-${s.id.slice(0, 8)}-${stamp}.json`;
}

// ------------------------------------------------------------------------------------------ storage

export interface KeyValue {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const keyFor = (user: string) => `autoskill:sessions:${user}`;

export function loadSessions(kv: KeyValue, user: string, fallback: SessionConfig): Session[] {
  const raw = kv.getItem(keyFor(user));
  if (!raw) return [];
  try {
    return sortSessions(parseSessionsJson(raw, fallback));
  } catch {
    return [];
  }
}

/** Throws when the browser's storage is full; the caller tells the user. */
export function saveSessions(kv: KeyValue, user: string, sessions: Session[]): void {
  kv.setItem(keyFor(user), JSON.stringify(sessionsFile(user, sessions)));
}
