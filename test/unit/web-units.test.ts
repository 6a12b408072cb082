import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLine } from '../../src/cli/chat/commands.js';
import { diffLines, unifiedDiff } from '../../src/engine/diff.js';
import { diffStats, parseUnifiedDiff, versionDiff } from '../../web/src/diff.js';
import { canEdit, ownerLabel } from '../../web/src/owner.js';
import { scoreBand } from '../../web/src/score.js';
import { parseInline, parseMarkdown, safeHref, splitFrontMatter, type Block } from '../../web/src/markdown.js';
import {
  beginTurn,
  emptySession,
  failTurn,
  finishTurn,
  loadSessions,
  mergeSessions,
  newSessionId,
  parseSessionsJson,
  saveSessions,
  SessionsFormatError,
  sessionsFile,
  titleFrom,
  turnsByMessage,
  type SessionConfig,
} from '../../web/src/sessions.js';
import { chatOptions, DEFAULT_SETTINGS, loadSettings, normalizeSettings, saveSettings } from '../../web/src/settings.js';
import { SseParser } from '../../web/src/sse.js';
import { parseTranscript } from '../../web/src/views/import.js';
import { BANK } from '../fixtures/store-helpers.js';

/**
 * The page's pure parts, in Node: Markdown reading (nothing becomes markup), SSE parsing, diff
 * rows, sessions (including upstream's real web_sessions files), settings, pasted transcripts,
 * and the terminal chat's command parser.
 */

const SESSIONS_DIR = path.join(BANK, 'web_sessions');
const CONFIG: SessionConfig = { user_id: 'me', skill_scope: 'all', top_k: 3, min_score: 0.2, extract_mode: 'auto', extract_turn_limit: 1 };

function memoryKv() {
  const m = new Map<string, string>();
  return {
    map: m,
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
  };
}

/** Every text leaf of a Markdown tree, for "is this only text?" checks. */
function texts(blocks: Block[]): string[] {
  const out: string[] = [];
  const inline = (xs: unknown[]): void => {
    for (const x of xs as Array<Record<string, unknown>>) {
      if (typeof x.text === 'string') out.push(x.text);
      if (Array.isArray(x.children)) inline(x.children);
    }
  };
  for (const b of blocks) {
    if (b.t === 'paragraph' || b.t === 'heading') inline(b.children);
    else if (b.t === 'code') out.push(b.lang, b.text);
    else if (b.t === 'list') b.items.forEach((it) => out.push(...texts(it)));
    else if (b.t === 'quote') out.push(...texts(b.children));
    else if (b.t === 'table') [b.head, ...b.rows].forEach((r) => r.forEach((c) => inline(c)));
  }
  return out;
}

describe('markdown', () => {
  it('reads the structure of a SKILL.md body', () => {
    const md = [
      '# Write a report',
      '',
      'Use when **asked** for a `report`.',
      '',
      '## Prompt',
      '- Don\u2019t hallucinate',
      '- Cite sources',
      '  - nested rule',
      '',
      '1. first',
      '2. second',
      '',
      '```python',
      'print("<b>hi</b>")',
      '```',
      '',
      '| a | b |',
      '|---|:-:|',
      '| 1 | 2 |',
      '',
      '> quoted',
      '',
      '---',
    ].join('\n');
    const blocks = parseMarkdown(md);
    expect(blocks.map((b) => b.t)).toEqual(['heading', 'paragraph', 'heading', 'list', 'list', 'code', 'table', 'quote', 'hr']);
    const list = blocks[3] as Extract<Block, { t: 'list' }>;
    expect(list.ordered).toBe(false);
    expect(list.items).toHaveLength(2);
    expect(list.items[1]!.map((b) => b.t)).toEqual(['paragraph', 'list']);
    expect(blocks[5]).toEqual({ t: 'code', lang: 'python', text: 'print("<b>hi</b>")' });
    const table = blocks[6] as Extract<Block, { t: 'table' }>;
    expect(table.align).toEqual([null, 'center']);
    expect(table.rows).toHaveLength(1);
  });

  it('keeps HTML as text and drops unsafe link targets', () => {
    const blocks = parseMarkdown('<script>alert(1)</script> [x](javascript:alert(1)) [ok](https://example.com) <img src=x onerror=alert(1)>');
    const para = blocks[0] as Extract<Block, { t: 'paragraph' }>;
    expect(para.children.filter((c) => c.t === 'link')).toEqual([{ t: 'link', href: 'https://example.com', children: [{ t: 'text', text: 'ok' }] }]);
    expect(texts(blocks).join('')).toContain('<script>alert(1)</script>');
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('data:text/html,x')).toBeNull();
    expect(safeHref(' https://a.b/c ')).toBe('https://a.b/c');
    expect(safeHref('#top')).toBe('#top');
  });

  it('inline: code wins over emphasis, escapes are honoured', () => {
    expect(parseInline('`**not bold**` and **bold** and \\*stars\\*')).toEqual([
      { t: 'code', text: '**not bold**' },
      { t: 'text', text: ' and ' },
      { t: 'strong', children: [{ t: 'text', text: 'bold' }] },
      { t: 'text', text: ' and *stars*' },
    ]);
    expect(parseInline('snake_case_name stays')).toEqual([{ t: 'text', text: 'snake_case_name stays' }]);
  });

  it('splits front matter from the body', () => {
    expect(splitFrontMatter('---\nname: x\n---\n# Body\n')).toEqual({ frontMatter: 'name: x', body: '# Body\n' });
    expect(splitFrontMatter('# no front matter')).toEqual({ frontMatter: null, body: '# no front matter' });
  });

  it('reads every SKILL.md of the Common bank without throwing, and keeps all of its words', () => {
    const root = path.join(BANK, 'Common');
    let files = 0;
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name === 'SKILL.md') {
          const { body } = splitFrontMatter(readFileSync(p, 'utf8'));
          // Link targets are not text; every other word must survive.
          const words = body.replace(/\]\([^)]*\)/g, ']').match(/[A-Za-z]{4,}/g) ?? [];
          const seen = texts(parseMarkdown(body)).join(' ');
          expect(words.filter((w) => !seen.includes(w)), p).toEqual([]);
          files++;
        }
      }
    };
    walk(root);
    expect(files).toBeGreaterThan(50);
  });
});

describe('sse parser', () => {
  it('handles events split anywhere, comments, multi-line data and CRLF', () => {
    const stream = ': autoskill-job job_1\n\nevent: update\ndata: {"a":\ndata: 1}\n\r\ndata: [DONE]\n\n';
    for (let cut = 0; cut <= stream.length; cut++) {
      const p = new SseParser();
      const got = [...p.push(stream.slice(0, cut)), ...p.push(stream.slice(cut)), ...p.flush()];
      expect(got).toEqual([
        { event: 'comment', data: 'autoskill-job job_1' },
        { event: 'update', data: '{"a":\n1}' },
        { event: 'message', data: '[DONE]' },
      ]);
    }
  });

  it('a final message without its blank line still counts', () => {
    const p = new SseParser();
    expect([...p.push('data: last'), ...p.flush()]).toEqual([{ event: 'message', data: 'last' }]);
  });
});

describe('diff rows', () => {
  it('reads the engine diff (bare @@ hunks) into added, removed and same rows', () => {
    const a = 'one\ntwo\nthree\nfour\n';
    const b = 'one\n2\nthree\nfour\nfive\n';
    const rows = parseUnifiedDiff(unifiedDiff(a, b, ['x@0.1.0', 'x@0.1.1']));
    expect(rows.filter((r) => r.kind === 'add').map((r) => r.text)).toEqual(['2', 'five']);
    expect(rows.filter((r) => r.kind === 'del').map((r) => r.text)).toEqual(['two']);
    expect(diffStats(rows)).toEqual({ added: 2, removed: 1 });
    expect(diffLines(a, b).filter((o) => o.op !== 'equal')).toHaveLength(3);
  });

  it('numbers lines when hunk headers carry ranges', () => {
    const rows = parseUnifiedDiff('--- a\n+++ b\n@@ -3,2 +3,2 @@\n same\n-old\n+new\n');
    expect(rows.filter((r) => r.kind !== 'meta' && r.kind !== 'hunk')).toEqual([
      { kind: 'same', text: 'same', oldLine: 3, newLine: 3 },
      { kind: 'del', text: 'old', oldLine: 4 },
      { kind: 'add', text: 'new', newLine: 4 },
    ]);
  });
});

describe('version diff, owners, scores', () => {
  const v1 = '---\nname: notes\ndescription: Take notes.\nmetadata:\n  version: "0.1.0"\n  updated_at: "2026-01-01"\n---\n\n# Notes\n\nUse bullets.\n';
  const v2 = v1.replace('0.1.0', '0.1.1').replace('2026-01-01', '2026-02-02').replace('Use bullets.', 'Use bullets.\nDate every note.');

  it('separates the instructions from the front matter and names the changed fields', () => {
    const d = versionDiff(v1, v2);
    expect(d.body.filter((r) => r.kind === 'add').map((r) => r.text)).toEqual(['Date every note.']);
    expect(d.body.some((r) => /version|updated_at/.test(r.text))).toBe(false);
    expect(d.metaKeys).toEqual(['version', 'updated_at']);
    // metadata-only change: the body diff is empty
    const metaOnly = versionDiff(v1, v1.replace('0.1.0', '0.2.0'));
    expect(diffStats(metaOnly.body)).toEqual({ added: 0, removed: 0 });
    expect(metaOnly.metaKeys).toEqual(['version']);
  });

  it('shows owners as people say them, and who may edit', () => {
    expect(ownerLabel('library:Common')).toBe('Common');
    expect(ownerLabel('library:superpowers')).toBe('Common · superpowers');
    expect(ownerLabel('user:alice')).toBe('mine');
    expect(canEdit('library:Common', false)).toBe(false);
    expect(canEdit('library:Common', true)).toBe(true);
    expect(canEdit('user:alice', false)).toBe(true);
  });

  it('puts a score in a band and clamps the bar', () => {
    expect(scoreBand(0.046).label).toBe('weak');
    expect(scoreBand(0.3).label).toBe('partial');
    expect(scoreBand(0.53).label).toBe('strong');
    expect(scoreBand(1.4).fraction).toBe(1);
    expect(scoreBand(-0.1).fraction).toBe(0);
  });
});

describe('sessions', () => {
  it('a turn: title from the first message, answer appended, paired with its turn', () => {
    const s = emptySession(CONFIG, 1000, 'sid');
    const t1 = beginTurn(s, '  Write   a report about a very long subject indeed  ', 1001);
    expect(s.meta.title).toBe('Write a report about a very l...');
    finishTurn(s, t1, 'Here it is.', 1002);
    const t2 = beginTurn(s, 'again', 1003);
    failTurn(s, t2, 'upstream 502', 1004);
    expect(s.state.messages).toEqual([
      { role: 'user', content: '  Write   a report about a very long subject indeed  ' },
      { role: 'assistant', content: 'Here it is.' },
    ]);
    expect(turnsByMessage(s).get(1)?.id).toBe('turn_1');
    expect(s.trace.turns.map((t) => [t.id, t.error])).toEqual([
      ['turn_1', ''],
      ['turn_2', 'upstream 502'],
    ]);
    expect(titleFrom('short')).toBe('short');
  });

  it('keeps the standing mark of injected skills and the held mark of learned ones through storage', () => {
    const s = emptySession(CONFIG, 1000, 'sid-2');
    const t = beginTurn(s, 'hi', 1001);
    finishTurn(s, t, 'hello', 1002);
    t.retrieval = {
      original_query: 'hi', search_query: 'hi', rewritten_query: null, scope: 'all', top_k: 3, min_score: 0, hits: [],
      selected_for_context_ids: ['p', 'r'],
      injected: [{ id: 'p', version: '0.1.0', name: 'Answers: plain text', standing: true }, { id: 'r', version: '0.2.0' }],
      context_injected: true, error: null, event_time: 1,
    };
    t.extraction = { trigger: 'auto', job_id: 'job_2', event_time: 5, status: 'completed', error: '', upserted: [{ id: 'k', name: 'K', version: '0.1.0', owner: 'user:me', action: 'created', held: true }] };
    const kv = memoryKv();
    saveSessions(kv, 'me', [s]);
    const back = loadSessions(kv, 'me', CONFIG)[0]!.trace.turns[0]!;
    expect(back.retrieval?.injected).toEqual([{ id: 'p', version: '0.1.0', name: 'Answers: plain text', standing: true }, { id: 'r', version: '0.2.0' }]);
    expect(back.extraction?.upserted[0]).toMatchObject({ id: 'k', held: true });
  });

  it('round-trips through storage and export in the web_sessions v1 layout', () => {
    const s = emptySession(CONFIG, 1000, 'sid-1');
    finishTurn(s, beginTurn(s, 'hi', 1001), 'hello', 1002);
    s.trace.turns[0]!.extraction = { trigger: 'auto', job_id: 'job_1', event_time: 5, status: 'completed', error: '', upserted: [{ id: 'k', name: 'K', version: '0.1.0', owner: 'user:me', action: 'created' }] };
    const kv = memoryKv();
    saveSessions(kv, 'me', [s]);
    const stored = JSON.parse(kv.map.get('autoskill:sessions:me')!);
    expect(stored).toMatchObject({ version: 1, user_id: 'me', sessions: [{ id: 'sid-1', meta: { title: 'hi' }, state: { messages: [{ role: 'user' }, { role: 'assistant' }] } }] });
    expect(JSON.stringify(stored)).not.toContain('store_dir');
    const back = loadSessions(kv, 'me', CONFIG);
    expect(back).toHaveLength(1);
    expect(back[0]!.trace.turns[0]!.extraction?.upserted[0]?.version).toBe('0.1.0');
    expect(loadSessions(kv, 'someone-else', CONFIG)).toEqual([]);
    // an export is a one-session sessions file, and imports again
    expect(parseSessionsJson(JSON.stringify(sessionsFile('me', [s])), CONFIG)[0]!.state.messages).toEqual(s.state.messages);
  });

  it('reads all of upstream’s real web_sessions files (82 sessions), re-owned and without store_dir', () => {
    const files = readdirSync(SESSIONS_DIR).filter((f) => f.endsWith('.json'));
    expect(files.length).toBe(27);
    let sessions = 0;
    let messages = 0;
    let finalStates = 0;
    for (const f of files) {
      const list = parseSessionsJson(readFileSync(path.join(SESSIONS_DIR, f), 'utf8'), CONFIG);
      sessions += list.length;
      for (const s of list) {
        messages += s.state.messages.length;
        expect(s.state.config.user_id).toBe('me');
        expect(JSON.stringify(s.state.config)).not.toContain('store_dir');
        for (const t of s.trace.turns) if (t.extraction?.status === 'completed' || t.extraction?.status === 'failed') finalStates++;
      }
    }
    expect(sessions).toBe(82);
    expect(messages).toBe(602);
    // Upstream's turns recorded only "scheduled"; the final state comes from the event log.
    expect(finalStates).toBeGreaterThan(150);
  });

  it('u11: the turn shows its job’s completed state with the learned skill', () => {
    const [s] = parseSessionsJson(readFileSync(path.join(SESSIONS_DIR, 'u11.json'), 'utf8'), CONFIG);
    const t2 = s!.trace.turns.find((t) => t.id === 'turn_2')!;
    expect(t2.extraction).toMatchObject({ status: 'completed', upserted: [{ version: '0.1.0', name: '政府报告撰写-无幻觉-word兼容' }] });
    expect(s!.meta.title).toBe('帮我写一个关于大模型自进化的政府报告。');
    expect(turnsByMessage(s!).size).toBe(2);
  });

  it('session ids are UUIDv4 also where crypto.randomUUID is unavailable (plain http on a LAN address)', () => {
    const v4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(newSessionId()).toMatch(v4);
    const g = globalThis as { isSecureContext?: boolean };
    const before = g.isSecureContext;
    g.isSecureContext = false;
    try {
      const ids = new Set(Array.from({ length: 50 }, () => newSessionId()));
      expect(ids.size).toBe(50);
      for (const id of ids) expect(id).toMatch(v4);
    } finally {
      if (before === undefined) delete g.isSecureContext;
      else g.isSecureContext = before;
    }
  });

  it('rejects other files with a clear message, and merges by id keeping the newer copy', () => {
    expect(() => parseSessionsJson('nope', CONFIG)).toThrow(SessionsFormatError);
    expect(() => parseSessionsJson('{"version":2,"sessions":[]}', CONFIG)).toThrow(/version 2/);
    expect(() => parseSessionsJson('{"x":1}', CONFIG)).toThrow(/not a sessions file/);
    const a = emptySession(CONFIG, 10, 'a');
    const b = emptySession(CONFIG, 20, 'b');
    const newerA = { ...emptySession(CONFIG, 10, 'a'), meta: { ...a.meta, updated_at_ms: 30 } };
    const r = mergeSessions([a, b], [newerA, emptySession(CONFIG, 5, 'c'), emptySession(CONFIG, 1, 'b')]);
    expect(r).toMatchObject({ added: 1, updated: 1 });
    expect(r.sessions.map((s) => s.id)).toEqual(['a', 'b', 'c']);
  });
});

describe('settings', () => {
  it('bad stored values fall back to defaults; the key stays in the tab unless remembered', () => {
    expect(normalizeSettings({ scope: 'everything', topK: 0, minScore: 2, extractMode: 'sometimes', turnLimit: 1.5 })).toEqual(DEFAULT_SETTINGS);
    const local = memoryKv();
    const session = memoryKv();
    saveSettings(local, session, { ...DEFAULT_SETTINGS, apiKey: 'sk-secret-0123456789', topK: 2 });
    expect(local.map.get('autoskill:settings')).not.toContain('sk-secret');
    expect(session.map.get('autoskill:api-key')).toBe('sk-secret-0123456789');
    expect(loadSettings(local, session)).toMatchObject({ apiKey: 'sk-secret-0123456789', topK: 2 });
    saveSettings(local, session, { ...DEFAULT_SETTINGS, apiKey: 'sk-secret-0123456789', rememberKey: true });
    expect(session.map.has('autoskill:api-key')).toBe(false);
    expect(loadSettings(local, memoryKv()).apiKey).toBe('sk-secret-0123456789');
  });

  it('chat options: the page reports turns itself and pins only what the user set', () => {
    expect(chatOptions({ ...DEFAULT_SETTINGS, minScore: 0.1 }, 's1')).toEqual({ return: true, learn: false, scope: 'all', session_id: 's1', min_score: 0.1 });
  });
});

describe('pasted transcripts and chat commands', () => {
  it('reads role-prefixed lines as a conversation, anything else as one message', () => {
    expect(parseTranscript('User: Write a report\nabout X.\nAssistant: Here.\n用户：不要用markdown')).toEqual([
      { role: 'user', content: 'Write a report\nabout X.' },
      { role: 'assistant', content: 'Here.' },
      { role: 'user', content: '不要用markdown' },
    ]);
    expect(parseTranscript('  Always cite sources.  ')).toEqual([{ role: 'user', content: 'Always cite sources.' }]);
    expect(parseTranscript('   ')).toEqual([]);
  });

  it('slash commands: names, arguments, bare aliases and the full-width slash', () => {
    expect(parseLine('/extract_now  keep it short ')).toEqual({ kind: 'command', name: 'extract_now', arg: 'keep it short' });
    expect(parseLine('extract_now')).toEqual({ kind: 'command', name: 'extract_now', arg: '' });
    expect(parseLine('／SCOPE user')).toEqual({ kind: 'command', name: 'scope', arg: 'user' });
    expect(parseLine('help')).toEqual({ kind: 'command', name: 'help', arg: '' });
    expect(parseLine('help me write')).toEqual({ kind: 'chat', text: 'help me write' });
    expect(parseLine('/nope')).toEqual({ kind: 'unknown', name: 'nope' });
    expect(parseLine('   ')).toEqual({ kind: 'empty' });
  });
});
