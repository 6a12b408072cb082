import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream.js';

/**
 * `autoskill chat` in a real terminal (tmux), typed into key by key: retrieval lines, the
 * streamed answer, learning results as they complete (v0.1.0, then v0.1.1 with the skill
 * injected), every slash command, and the offline mode (no answers, learning still works).
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/autoskill.js');
const TMUX = ['/usr/bin/tmux', '/usr/local/bin/tmux'].find((p) => existsSync(p));
const haveTmux = TMUX !== undefined || process.env.CI === 'true';
// Our own tmux server (one socket per test), so nothing else's sessions are touched and a
// server still shutting down never meets the next test.
let socketSeq = 0;
let SOCKET = '';

let dir: string;
let up: FakeUpstream;

function tmux(...args: string[]): string {
  return execFileSync(TMUX ?? 'tmux', ['-L', SOCKET, '-f', '/dev/null', ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: dir, TERM: 'xterm-256color' } });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The whole pane with its history, as the user sees it (no colours). */
function pane(name: string): string {
  return tmux('capture-pane', '-p', '-J', '-t', name, '-S', '-2000');
}

async function waitFor(name: string, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const text = pane(name);
    if (pattern.test(text)) return text;
    if (Date.now() > until) throw new Error(`timed out waiting for ${pattern} in the pane:\n${text}`);
    await sleep(100);
  }
}

/** Type a line (literally) and press Enter. */
function type(name: string, line: string): void {
  tmux('send-keys', '-t', name, '-l', line);
  tmux('send-keys', '-t', name, 'Enter');
}

function start(name: string, args: string[]): void {
  SOCKET = `autoskill-chat-test-${process.pid}-${++socketSeq}`;
  const cmd = [process.execPath, BIN, 'chat', ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  // Keep the pane after the program ends so its last words can be read.
  tmux('new-session', '-d', '-s', name, '-x', '200', '-y', '60', `${cmd}; echo "[exited $?]"; sleep 600`);
}

/** Count the prompts so a wait can target "the next prompt". */
const prompts = (text: string) => text.split('\n').filter((l) => l.startsWith('You>')).length;

async function waitPrompt(name: string, count: number): Promise<string> {
  const until = Date.now() + 30_000;
  for (;;) {
    const text = pane(name);
    if (prompts(text) >= count) return text;
    if (Date.now() > until) throw new Error(`timed out waiting for prompt #${count}:\n${text}`);
    await sleep(100);
  }
}

beforeAll(async () => {
  if (!haveTmux) return;
  dir = await mkdtemp(path.join(os.tmpdir(), 'autoskill-chat-cli-'));
  up = await startFakeUpstream({ reply: () => ({ content: 'Noted, here is the answer.', chunkDelayMs: 20 }) });
});

afterEach(() => {
  if (!haveTmux) return;
  try {
    tmux('kill-server');
  } catch {
    // no server left
  }
});

afterAll(async () => {
  await up?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!haveTmux)('autoskill chat (in tmux)', () => {
  test('online: streams answers, learns v0.1.0 then v0.1.1 with the skill injected; slash commands', async () => {
    const s = 'online';
    start(s, ['--store', path.join(dir, 'online'), '--user', 'u1', '--upstream-base-url', up.url, '--min-score', '0.01']);
    let text = await waitPrompt(s, 1);
    expect(text).toMatch(/user: u1 +scope: all +extraction: auto, every 1 turn\(s\)/);
    expect(text).toMatch(/mode: online \(http:\/\/127\.0\.0\.1:\d+\/v1 .*model fake-model\)/);

    // A plain first request: the same policy as every surface schedules no learning job.
    type(s, 'Write a report about self-evolving agents.');
    text = await waitPrompt(s, 2);
    expect(text).toContain('[retrieve] no skill injected');
    expect(text).toContain('Assistant> Noted, here is the answer.');
    expect(text).not.toContain('[extract:');

    type(s, "Don't hallucinate, cite sources.");
    const created = /created "([^"]+)" v0\.1\.0 \(([0-9a-f-]{36})\)/;
    text = await waitFor(s, created);
    const [, name, id] = created.exec(text)! as unknown as [string, string, string];

    type(s, 'Also use plain text, no markdown.');
    text = await waitFor(s, new RegExp(`merged "${esc(name)}" v0\\.1\\.1`));
    expect(text).toMatch(new RegExp(`\\[retrieve\\] injected 1 skill\\(s\\):\\n +- ${esc(name)} +v0\\.1\\.0 +score [01]\\.\\d{3} +\\(yours, `));
    // the model got the skill as a system message
    expect(up.chatBodies().at(-1).messages[0]).toMatchObject({ role: 'system', content: expect.stringContaining(name) });

    type(s, '/skills');
    await waitFor(s, new RegExp(`- ${id} \\| v0\\.1\\.1 \\| ${esc(name)}`));
    type(s, '/search report');
    await waitFor(s, new RegExp(`1\\. [01]\\.\\d{3} +${esc(name)} +\\(v0\\.1\\.1, yours, `));
    type(s, `/export ${id}`);
    await waitFor(s, /version: "0\.1\.1"[\s\S]*- Use plain text, no markdown\./);
    type(s, '/export nope');
    await waitFor(s, /\[export\] .*not found/i);

    type(s, '/help');
    await waitFor(s, /Commands:[\s\S]*\/extract_every <n>/);
    type(s, '/scope common');
    await waitFor(s, /\[scope\] common/);
    type(s, '/scope everywhere');
    await waitFor(s, /Usage: \/scope user\|common\|all/);
    type(s, '/extract_every 0');
    await waitFor(s, /Usage: \/extract_every <n>/);
    type(s, '/extract_every 2');
    await waitFor(s, /\[extract\] every 2 turn\(s\)/);
    type(s, '/extract never');
    await waitFor(s, /\[extract\] mode never/);
    type(s, '/bogus');
    await waitFor(s, /Unknown command\. Use \/help\./);

    // With scope common the user's skill is not retrieved; with extraction off nothing is scheduled.
    const before = prompts(pane(s));
    type(s, 'Write a report on tides.');
    text = await waitPrompt(s, before + 1);
    const lastTurn = text.slice(text.lastIndexOf('You> Write a report on tides.'));
    expect(lastTurn).toContain('[retrieve] no skill injected');
    expect(lastTurn).toContain('Assistant> Noted, here is the answer.');
    expect(lastTurn).not.toContain('[extract:');

    type(s, '/extract_now Always keep reports short.');
    await waitFor(s, new RegExp(`\\[extract:extract_now\\] 1 skill\\(s\\):\\n +- merged "${esc(name)}" v0\\.1\\.2[\\s\\S]*- Always keep reports short\\.`));
    type(s, '/clear');
    await waitFor(s, /\[clear\] new conversation\./);
    type(s, '/exit');
    text = await waitFor(s, /Bye\.\n\[exited 0\]/);
  });

  test('offline: a clear notice instead of answers; learning from your messages and commands still work', async () => {
    const s = 'offline';
    start(s, ['--store', path.join(dir, 'offline'), '--user', 'u2']);
    let text = await waitPrompt(s, 1);
    expect(text).toContain('mode: offline (no upstream model)');
    expect(text).toContain('No upstream model is configured, so messages get no answer.');

    type(s, 'Write a report about the harbour.');
    text = await waitFor(s, /\[offline\] No upstream model is configured, so there is no answer\./);
    text = await waitPrompt(s, 2);
    expect(text).not.toContain('[extract:');
    type(s, 'From now on, never use emojis in reports.');
    const created = /\[extract:auto\] 1 skill\(s\):\n +- created "([^"]+)" v0\.1\.0/;
    text = await waitFor(s, created);
    const name = created.exec(text)![1]!;
    expect(text).not.toContain('Assistant>');

    type(s, '/skills');
    await waitFor(s, new RegExp(`\\| v0\\.1\\.0 \\| ${esc(name)}`));
    type(s, '/extract_now Always cite sources.');
    // extract now also prints the learned SKILL.md
    text = await waitFor(s, new RegExp(`\\[extract:extract_now\\] 1 skill\\(s\\):\\n +- merged "${esc(name)}" v0\\.1\\.1[\\s\\S]*name: "`));
    type(s, 'exit');
    await waitFor(s, /Bye\.\n\[exited 0\]/);
  });

  test('a rule stated in the first message is learned (English and Chinese), online', async () => {
    const s = 'first-turn';
    start(s, ['--store', path.join(dir, 'first-turn'), '--user', 'u3', '--upstream-base-url', up.url]);
    await waitPrompt(s, 1);
    type(s, 'From now on answer in plain text. What is BM25?');
    let text = await waitFor(s, /\[extract:auto\] 1 skill\(s\):\n +- created "[^"]+" v0\.1\.0/);
    expect(text).toContain('Assistant> Noted, here is the answer.');
    type(s, '/clear');
    await waitFor(s, /\[clear\] new conversation\./);
    type(s, '以后回答都不要用表情符号。今天天气怎么样？');
    text = await waitFor(s, /\[extract:auto\] 1 skill\(s\):\n +- created "[^"]+" v0\.1\.0[\s\S]*\[extract:auto\] 1 skill\(s\):\n +- (?:created|merged) "[^"]+" v0\.1\.\d/);
    type(s, '/exit');
    await waitFor(s, /Bye\.\n\[exited 0\]/);
  });

  test('--review: a first-message preference is held (not injected) until /approve; then it is injected as standing', async () => {
    const s = 'review';
    start(s, ['--store', path.join(dir, 'review'), '--user', 'u4', '--upstream-base-url', up.url, '--review']);
    let text = await waitPrompt(s, 1);
    expect(text).toContain('review mode: learned skills are held until you /approve them');
    type(s, 'Plain text only for me, please.');
    const held = /\[extract:auto\] 1 skill\(s\):\n +- created "([^"]+)" v0\.1\.0 \(([0-9a-f-]{36})\) — held for review \(review mode is on\); \/approve ([0-9a-f-]{36})/;
    text = await waitFor(s, held);
    const [, name, id] = held.exec(text)! as unknown as [string, string, string];
    // held: the next, unrelated request gets nothing
    type(s, '/clear');
    await waitFor(s, /\[clear\] new conversation\./);
    let before = prompts(pane(s));
    type(s, 'What is a hash map?');
    text = await waitPrompt(s, before + 1);
    expect(text.slice(text.lastIndexOf('You> What is a hash map?'))).toContain('[retrieve] no skill injected');
    type(s, '/review');
    await waitFor(s, new RegExp(`- ${id} \\| v0\\.1\\.0 \\| ${esc(name)}\\n +held: held for review \\(review mode is on\\)`));
    type(s, '/approve nope');
    await waitFor(s, /\[approve\] nope is not one of your skills held for review/);
    type(s, `/approve ${id}`);
    await waitFor(s, new RegExp(`\\[approve\\] "${esc(name)}" is live as v0\\.1\\.1\\.`));
    // approved: injected into an unrelated request, marked standing in the retrieval line
    before = prompts(pane(s));
    type(s, 'What is a linked list?');
    text = await waitPrompt(s, before + 1);
    expect(text.slice(text.lastIndexOf('You> What is a linked list?'))).toMatch(
      new RegExp(`\\[retrieve\\] injected 1 skill\\(s\\), 1 standing \\(every turn\\):\\n +- ${esc(name)} +v0\\.1\\.1 +standing +\\(yours, ${id}\\)`),
    );
    expect(up.chatBodies().at(-1).messages[0]).toMatchObject({ role: 'system', content: expect.stringContaining(name) });
    type(s, '/review');
    await waitFor(s, /\[review\] nothing held for review\./);
    type(s, '/exit');
    await waitFor(s, /Bye\.\n\[exited 0\]/);
  });
});
