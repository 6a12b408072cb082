import { ApiError } from '../api.js';
import type { App, View } from '../app.js';
import { confirmDialog, download, field, formatTime, h, replace } from '../dom.js';
import { renderMarkdown } from '../markdown.js';
import {
  beginTurn,
  emptySession,
  exportFileName,
  failTurn,
  finishTurn,
  loadSessions,
  mergeSessions,
  parseSessionsJson,
  preview,
  saveSessions,
  sessionsFile,
  sortSessions,
  turnsByMessage,
  type ExtractionInfo,
  type RetrievalInfo,
  type Session,
  type SessionConfig,
  type Turn,
} from '../sessions.js';
import { chatOptions, type Settings } from '../settings.js';
import { readSse } from '../sse.js';
import { extractionCard, followJob, jobToExtraction, retrievalCard } from './cards.js';

/**
 * Chat through our own proxy (`POST /v1/chat/completions`, streamed), one retrieval card and one
 * extraction card per answer, and the session list. Sessions live in localStorage per user.
 */

interface ProxyReport {
  retrieval?: { query?: string; error?: string | null; hits?: Array<{ id: string; name: string; version: string; owner: string; score: number }> };
  skills?: Array<{ id: string; version: string; name?: string; standing?: boolean }>;
}

function configOf(s: Settings, user: string): SessionConfig {
  return {
    user_id: user,
    skill_scope: s.scope,
    top_k: s.topK ?? 0,
    min_score: s.minScore ?? 0,
    extract_mode: s.extractMode,
    extract_turn_limit: s.turnLimit ?? 0,
  };
}

/** The retrieval card's data from what the proxy reported about this very request. */
export function retrievalFromReport(input: string, s: Settings, report: ProxyReport | null, header: string | null): RetrievalInfo {
  const fromHeader = (header ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)
    .map((x) => {
      const at = x.lastIndexOf('@');
      return at > 0 ? { id: x.slice(0, at), version: x.slice(at + 1) } : { id: x, version: '' };
    });
  // The report marks standing preferences (injected whatever the request); the early header cannot.
  const injected =
    report?.skills?.map((k) => ({ id: k.id, version: k.version, ...(k.name ? { name: k.name } : {}), ...(k.standing ? { standing: true } : {}) })) ?? fromHeader;
  const query = report?.retrieval?.query ?? input;
  return {
    original_query: input,
    search_query: query,
    rewritten_query: query !== input ? query : null,
    scope: s.scope,
    top_k: s.topK ?? 0,
    min_score: s.minScore ?? 0,
    hits: (report?.retrieval?.hits ?? []).map((x) => ({ id: x.id, name: x.name, version: x.version, owner: x.owner, score: x.score })),
    selected_for_context_ids: injected.map((i) => i.id),
    injected,
    context_injected: injected.length > 0,
    error: report?.retrieval?.error ?? null,
    event_time: Date.now(),
  };
}

export function chatView(app: App): View {
  const user = app.userId();
  const storage = window.localStorage;
  let sessions = loadSessions(storage, user, configOf(app.settings, user));
  let current: Session = sessions[0] ?? newSession();
  let busy = false;
  let abort: AbortController | null = null;
  const following = new Set<AbortController>();
  /** turns whose answer is done and whose learning report is on its way */
  const reporting = new Set<string>();
  const followedJobs = new Set<string>();

  function newSession(): Session {
    const s = emptySession(configOf(app.settings, user));
    sessions = sortSessions([s, ...sessions]);
    return s;
  }

  const storageWarning = h('p', { class: 'error', role: 'alert', hidden: true });
  function persist(): void {
    try {
      saveSessions(storage, user, sessions.filter((s) => s.state.messages.length > 0 || s === current));
      storageWarning.hidden = true;
    } catch (err) {
      storageWarning.hidden = false;
      storageWarning.textContent = `Could not save sessions in this browser (${(err as Error).message}). Export the session to keep it.`;
    }
  }

  // ------------------------------------------------------------------------------- session list
  const sessionList = h('ul', { class: 'session-list' });
  const importInput = h('input', { type: 'file', accept: '.json,application/json', class: 'sr-only', id: 'import-sessions', tabindex: -1 });
  const importStatus = h('p', { class: 'muted small', role: 'status' });
  importInput.addEventListener('change', async () => {
    const file = importInput.files?.[0];
    importInput.value = '';
    if (!file) return;
    try {
      const incoming = parseSessionsJson(await file.text(), configOf(app.settings, user));
      const merged = mergeSessions(sessions, incoming);
      sessions = merged.sessions;
      persist();
      renderSessions();
      importStatus.textContent = `Imported ${merged.added} new and ${merged.updated} updated session(s) from ${file.name}.`;
    } catch (err) {
      importStatus.textContent = `Import failed: ${(err as Error).message}`;
    }
  });

  function renderSessions(): void {
    replace(
      sessionList,
      sessions.map((s) =>
        h(
          'li',
          { class: s === current ? 'session current' : 'session' },
          h(
            'button',
            { type: 'button', class: 'session-open', 'aria-current': s === current ? 'true' : undefined, onClick: () => select(s) },
            h('span', { class: 'title' }, s.meta.title),
            h('span', { class: 'meta' }, `${formatTime(s.meta.updated_at_ms)} · ${s.state.messages.length} msg`),
            h('span', { class: 'preview' }, preview(s)),
          ),
          h('div', { class: 'session-actions' },
            h('button', { type: 'button', class: 'small', 'aria-label': `Export session ${s.meta.title}`, onClick: () => exportSession(s) }, 'Export'),
            h('button', { type: 'button', class: 'small danger', 'aria-label': `Delete session ${s.meta.title}`, onClick: () => void removeSession(s) }, '×'),
          ),
        ),
      ),
    );
  }

  function select(s: Session): void {
    if (busy) return;
    current = s;
    renderSessions();
    renderConversation();
    resume(s);
    input.focus();
  }

  function exportSession(s: Session): void {
    download(exportFileName(s), JSON.stringify(sessionsFile(user, [s]), null, 2), 'application/json');
    app.announce('Session exported');
  }

  async function removeSession(s: Session): Promise<void> {
    if (!(await confirmDialog(`Delete the session "${s.meta.title}"? This cannot be undone.`, { confirm: 'Delete', danger: true }))) return;
    sessions = sessions.filter((x) => x !== s);
    if (current === s) current = sessions[0] ?? newSession();
    persist();
    renderSessions();
    renderConversation();
  }

  // ------------------------------------------------------------------------------- conversation
  const heading = h('h1', { class: 'session-title', tabindex: -1 });
  const log = h('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-label': 'Conversation' });

  function bubble(role: string, content: Node | string, extra?: HTMLElement | null): HTMLElement {
    const body = h('div', { class: 'bubble-body' }, content);
    return h('article', { class: `msg ${role}`, 'aria-label': role === 'user' ? 'You' : role === 'assistant' ? 'Assistant' : 'Notice' }, h('div', { class: 'who', 'aria-hidden': 'true' }, role === 'user' ? 'You' : role === 'assistant' ? 'AS' : '!'), body, extra ?? null);
  }

  function turnCards(t: Turn | undefined): HTMLElement {
    const note = t && reporting.has(t.id) ? 'Checking whether to learn from this turn…' : undefined;
    return h('div', { class: 'turn-cards', 'data-turn': t?.id ?? '' }, retrievalCard(t?.retrieval ?? null), extractionCard(t?.extraction ?? null, note ? { note } : {}));
  }

  function renderConversation(): void {
    heading.textContent = current.meta.title;
    const byMsg = turnsByMessage(current);
    const nodes: HTMLElement[] = [];
    current.state.messages.forEach((m, i) => {
      if (m.role === 'assistant') nodes.push(bubble('assistant', renderMarkdown(m.content), turnCards(byMsg.get(i))));
      else nodes.push(bubble(m.role, h('p', { class: 'plain' }, m.content)));
    });
    const lastFailed = current.trace.turns.at(-1);
    if (lastFailed?.error) nodes.push(bubble('system', h('p', { class: 'error' }, `The last message failed: ${lastFailed.error}`)));
    if (nodes.length === 0) {
      nodes.push(
        // Offline, the banner has already said why there is no chat; this only says what works.
        app.offline
          ? h('div', { class: 'empty' },
              h('p', null, 'Open a saved session, or bring in saved sessions with Import….'),
              h('p', { class: 'muted' }, 'To learn skills from a conversation, paste it under ', h('a', { href: '#/import' }, 'Import & extract'), '.'),
            )
          : h('div', { class: 'empty' },
              h('p', null, 'Ask anything. Skills learned from earlier conversations are injected when they match.'),
              h('p', { class: 'muted' }, 'Tell the assistant how you want things done ("always cite sources", "no markdown"): after the next turn it learns a skill from it.'),
            ),
      );
    }
    replace(log, nodes);
    log.scrollTop = log.scrollHeight;
  }

  // ------------------------------------------------------------------------------- composer
  const input = h('textarea', { id: 'chat-input', rows: 3, placeholder: 'Message (Enter to send, Shift+Enter for a new line)', disabled: app.offline, 'aria-describedby': 'chat-help' });
  const sendBtn = h('button', { type: 'submit', class: 'primary', disabled: app.offline }, 'Send');
  const stopBtn = h('button', { type: 'button', hidden: true, onClick: () => abort?.abort() }, 'Stop');
  const composer = h(
    'form',
    { class: 'composer', hidden: app.offline, onSubmit: (e: Event) => (e.preventDefault(), void send()) },
    h('label', { for: 'chat-input', class: 'sr-only' }, 'Message'),
    input,
    h('div', { class: 'composer-actions' }, sendBtn, stopBtn),
    h('small', { id: 'chat-help', class: 'hint' }, 'Answers come from the upstream model through this server.'),
  );
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      void send();
    }
  });

  const hint = h('input', { type: 'text', placeholder: 'e.g. remember that I want plain text', maxlength: 2000 });
  const extractNowCard = h('div', { class: 'extract-now-result', 'aria-live': 'polite' });
  const extractNowBtn = h('button', { type: 'button', onClick: () => void extractNow() }, 'Extract now');
  hint.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      void extractNow();
    }
  });
  const extractNowBox = h(
    'details',
    { class: 'extract-now' },
    h('summary', null, 'Extract a skill from this conversation now'),
    field('What should be remembered? (optional)', hint),
    extractNowBtn,
    extractNowCard,
  );

  async function extractNow(): Promise<void> {
    const messages = current.state.messages.map((m) => ({ role: m.role, content: m.content }));
    if (!messages.length && !hint.value.trim()) {
      replace(extractNowCard, h('p', { class: 'error' }, 'Nothing to extract from yet: chat first, or write what should be remembered.'));
      return;
    }
    extractNowBtn.disabled = true;
    try {
      const job = await app.api.extractNow(messages, hint.value.trim() || undefined);
      const show = (e: ExtractionInfo) => replace(extractNowCard, extractionCard(e));
      show(jobToExtraction(job, 'extract_now'));
      const ac = new AbortController();
      following.add(ac);
      await followJob(app.api, job.job_id, 'extract_now', show, ac.signal);
      following.delete(ac);
    } catch (err) {
      replace(extractNowCard, h('p', { class: 'error', role: 'alert' }, `Extract now failed: ${(err as Error).message}`));
    } finally {
      extractNowBtn.disabled = false;
    }
  }

  function setBusy(on: boolean): void {
    busy = on;
    sendBtn.disabled = on || app.offline;
    stopBtn.hidden = !on;
    log.setAttribute('aria-busy', on ? 'true' : 'false');
  }

  async function send(): Promise<void> {
    const text = input.value.trim();
    if (!text || busy || app.offline) return;
    input.value = '';
    const session = current;
    const turn = beginTurn(session, text);
    if (!sessions.includes(session)) sessions.unshift(session);
    persist();
    renderSessions();
    if (session.state.messages.length === 1) renderConversation();
    else {
      // Append, not re-render: the log is a live region.
      log.querySelector('.msg.system')?.remove();
      log.append(bubble('user', h('p', { class: 'plain' }, text)));
    }
    heading.textContent = session.meta.title;
    setBusy(true);

    const replyText = h('p', { class: 'plain streaming' });
    const pendingCards = h('div', { class: 'turn-cards', 'data-turn': turn.id }, retrievalCard(null, { pending: true }), extractionCard(null, { note: 'Waiting for the answer…' }));
    const answer = bubble('assistant', replyText, pendingCards);
    answer.setAttribute('aria-busy', 'true');
    log.append(answer);
    log.scrollTop = log.scrollHeight;

    abort = new AbortController();
    let reply = '';
    let report: ProxyReport | null = null;
    let header: string | null = null;
    try {
      const res = await app.api.fetch('/v1/chat/completions', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-autoskill-return': '1' },
        body: JSON.stringify({
          ...(app.settings.model ? { model: app.settings.model } : {}),
          messages: session.state.messages,
          stream: true,
          autoskill: chatOptions(app.settings, session.id),
        }),
        signal: abort.signal,
      });
      header = res.headers.get('x-autoskill-skills');
      // The injected skills are known before the first token: show them right away.
      replace(pendingCards, retrievalCard(retrievalFromReport(text, app.settings, null, header)), extractionCard(null, { note: 'Waiting for the answer…' }));
      if (!res.body) throw new Error('the server sent no stream');
      for await (const m of readSse(res.body)) {
        if (m.event === 'comment') continue;
        if (m.data === '[DONE]') break;
        const chunk = JSON.parse(m.data) as {
          error?: { message?: string };
          autoskill?: ProxyReport;
          choices?: Array<{ index?: number; delta?: { content?: string | null } }>;
        };
        if (chunk.error) throw new ApiError(chunk.error.message ?? 'the model failed', 502);
        if (chunk.autoskill) report = chunk.autoskill;
        const delta = chunk.choices?.find((c) => (c.index ?? 0) === 0)?.delta?.content;
        if (delta) {
          reply += delta;
          replyText.textContent = reply;
          if (log.scrollHeight - log.scrollTop - log.clientHeight < 160) log.scrollTop = log.scrollHeight;
        }
      }
      turn.retrieval = retrievalFromReport(text, app.settings, report, header);
      finishTurn(session, turn, reply);
      persist();
    } catch (err) {
      const aborted = abort.signal.aborted;
      failTurn(session, turn, aborted ? 'stopped' : (err as Error).message);
      if (header !== null || report) turn.retrieval = retrievalFromReport(text, app.settings, report, header);
      persist();
      setBusy(false);
      if (current === session) {
        renderConversation();
        input.value = text;
      }
      app.announce(aborted ? 'Stopped' : 'The message failed');
      return;
    } finally {
      abort = null;
    }
    reporting.add(turn.id);
    setBusy(false);
    // Update the answer in place: re-rendering the whole log would make screen readers read it all again.
    answer.removeAttribute('aria-busy');
    answer.querySelector('.bubble-body')?.replaceChildren(renderMarkdown(reply));
    pendingCards.replaceWith(turnCards(turn));
    heading.textContent = session.meta.title;
    renderSessions();
    app.announce('Answer complete');
    try {
      await learn(session, turn);
    } finally {
      reporting.delete(turn.id);
    }
  }

  /** Re-draw one turn's cards in place (when that session is on screen) and save. */
  function updateTurn(session: Session, turn: Turn, note?: string): void {
    persist();
    if (current !== session) return;
    const slot = log.querySelector<HTMLElement>(`.turn-cards[data-turn="${turn.id}"]`);
    slot?.replaceChildren(retrievalCard(turn.retrieval), extractionCard(turn.extraction, note ? { note } : {}));
  }

  /** Follow a turn's learning job live until it is final. */
  async function follow(session: Session, turn: Turn, jobId: string, trigger: string): Promise<void> {
    if (followedJobs.has(jobId)) return;
    followedJobs.add(jobId);
    const ac = new AbortController();
    following.add(ac);
    try {
      await followJob(
        app.api,
        jobId,
        trigger,
        (e) => {
          turn.extraction = e;
          updateTurn(session, turn);
        },
        ac.signal,
      );
    } finally {
      following.delete(ac);
      followedJobs.delete(jobId);
    }
  }

  /** Jobs still running when the page was left or reloaded: pick them up again. */
  function resume(session: Session): void {
    for (const t of session.trace.turns) {
      const e = t.extraction;
      if (e && (e.status === 'scheduled' || e.status === 'running')) void follow(session, t, e.job_id, e.trigger);
    }
  }

  /** Report the finished turn for learning with this page's extraction settings, then follow the job. */
  async function learn(session: Session, turn: Turn): Promise<void> {
    try {
      const obs = await app.api.observeTurn(session.state.messages, {
        sessionId: session.id,
        mode: app.settings.extractMode,
        turnLimit: app.settings.turnLimit ?? 0,
      });
      reporting.delete(turn.id);
      if (!obs.data) {
        updateTurn(session, turn, `Not scheduled: ${obs.reason}.`);
        return;
      }
      const trigger = app.settings.extractMode === 'always' ? 'always' : 'auto';
      turn.extraction = jobToExtraction(obs.data, trigger);
      updateTurn(session, turn);
      await follow(session, turn, obs.data.job_id, trigger);
    } catch (err) {
      reporting.delete(turn.id);
      updateTurn(session, turn, `Learning could not be scheduled: ${(err as Error).message}`);
    }
  }

  const newBtn = h('button', { type: 'button', class: 'primary', onClick: () => select(newSession()) }, 'New chat');
  const importBtn = h('button', { type: 'button', onClick: () => importInput.click() }, 'Import…');
  const el = h(
    'div',
    { class: 'chat-layout' },
    h('aside', { class: 'sessions panel', 'aria-labelledby': 'sessions-h' },
      h('h2', { id: 'sessions-h' }, 'Sessions'),
      h('div', { class: 'row' }, newBtn, importBtn, importInput),
      importStatus,
      sessionList,
    ),
    h('section', { class: 'conversation panel', 'aria-labelledby': 'chat-h' },
      h('h2', { id: 'chat-h', class: 'sr-only' }, 'Chat'),
      heading,
      storageWarning,
      log,
      composer,
      extractNowBox,
    ),
  );
  renderSessions();
  renderConversation();
  resume(current);
  return {
    el,
    dispose() {
      abort?.abort();
      for (const ac of following) ac.abort();
    },
  };
}

