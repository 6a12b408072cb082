import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream.js';

/**
 * The real `autoskill serve` bin (dist/, built by the global setup): port 0 prints the actual URL,
 * health answers, chat goes through to an upstream, one JSON log line per request, SIGTERM stops
 * cleanly.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/autoskill.js');

interface Served {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  exit: Promise<number | null>;
}

let dir: string;
let up: FakeUpstream;
const running: ChildProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'autoskill-serve-'));
  // "slow" is answered late: the graceful-shutdown check needs a request in flight.
  up = await startFakeUpstream({
    apiKey: 'upstream-secret',
    reply: (body) => (body?.messages?.at(-1)?.content === 'slow' ? { content: 'late but complete', delayMs: 1500 } : {}),
  });
});
afterEach(() => {
  for (const c of running.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});
afterAll(async () => {
  await up?.close();
  await rm(dir, { recursive: true, force: true });
});

function serve(args: string[], env: Record<string, string> = {}, store = path.join(dir, 'Skills')): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--store', store, ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', HOME: dir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${err}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /autoskill listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!, stderr: () => err, exit });
      }
    });
    void exit.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited early (${code}): ${err}`));
    });
  });
}

describe('autoskill serve', () => {
  test('offline: port 0, /health, chat → 503, per-request JSON logs, SIGTERM exits 0', async () => {
    const s = await serve([]);
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(s.url).not.toMatch(/:0$/);
    const health = await fetch(`${s.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, upstream: 'offline' });
    const chat = await fetch(`${s.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(chat.status).toBe(503);
    const preview = await fetch(`${s.url}/v1/autoskill/retrieval/preview`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'anything' }),
    });
    expect(preview.status).toBe(200);

    s.child.kill('SIGTERM');
    expect(await s.exit).toBe(0);
    const lines = s
      .stderr()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const requests = lines.filter((l) => l.msg === 'request');
    expect(requests.map((r) => [r.method, r.path, r.status])).toEqual([
      ['GET', '/health', 200],
      ['POST', '/v1/chat/completions', 503],
      ['POST', '/v1/autoskill/retrieval/preview', 200],
    ]);
    expect(lines.some((l) => l.msg === 'stopped')).toBe(true);
  });

  test('with an upstream and API keys: the key from the named env var reaches the upstream, never the log', async () => {
    const keys = path.join(dir, 'keys.json');
    await writeFile(keys, JSON.stringify({ 'client-key-0123456789': { user: 'u1' } }));
    const s = await serve(['--upstream-base-url', up.url, '--upstream-api-key-env', 'MY_UPSTREAM_KEY', '--model', 'fake-model', '--api-keys', keys], {
      MY_UPSTREAM_KEY: 'upstream-secret',
    });
    const client = new OpenAI({ apiKey: 'client-key-0123456789', baseURL: `${s.url}/v1`, maxRetries: 0 });
    const res = await client.chat.completions.create({ model: 'fake-model', messages: [{ role: 'user', content: 'ping' }] });
    expect(res.choices[0]!.message.content).toBe('echo: ping');
    expect(up.requests.at(-1)!.headers.authorization).toBe('Bearer upstream-secret');
    const denied = await fetch(`${s.url}/v1/models`);
    expect(denied.status).toBe(401);

    // Graceful shutdown: a request in flight when the signal arrives still gets its answer.
    const isSlow = () => up.chatBodies().some((b) => b.messages.at(-1)?.content === 'slow');
    const inFlight = client.chat.completions.create({ model: 'fake-model', messages: [{ role: 'user', content: 'slow' }] });
    while (!isSlow()) await new Promise((r) => setTimeout(r, 20));
    s.child.kill('SIGINT');
    expect((await inFlight).choices[0]!.message.content).toBe('late but complete');
    expect(await s.exit).toBe(0);
    expect(s.stderr()).not.toContain('upstream-secret');
    expect(s.stderr()).not.toContain('client-key-0123456789');
  });

  test('a skill edited by hand while serve was down reaches requests after the restart (the folders are checked after the open)', async () => {
    const store = path.join(dir, 'Restart');
    const file = path.join(store, 'Common', 'house-report', 'SKILL.md');
    await mkdir(path.dirname(file), { recursive: true });
    const skillMd = (topic: string, rule: string): string =>
      `---\nname: house-report\ndescription: How to write the ${topic}.\ntriggers:\n  - ${topic}\n---\n\n${rule}\n`;
    await writeFile(file, skillMd('quarterly cheese report', 'Cite the cheese board for every figure.'));
    const args = ['--upstream-base-url', up.url, '--upstream-api-key-env', 'MY_UPSTREAM_KEY', '--model', 'fake-model'];
    const env = { MY_UPSTREAM_KEY: 'upstream-secret' };
    const ask = async (url: string, request: string): Promise<string> => {
      const client = new OpenAI({ apiKey: 'unused', baseURL: `${url}/v1`, maxRetries: 0 });
      await client.chat.completions.create({ model: 'fake-model', messages: [{ role: 'user', content: request }] });
      return JSON.stringify(up.chatBodies().at(-1)!.messages);
    };

    const a = await serve(args, env, store);
    expect(await ask(a.url, 'Write the quarterly cheese report for Q3.')).toContain('Cite the cheese board');
    a.child.kill('SIGTERM');
    expect(await a.exit).toBe(0);

    // what the skill is retrieved by changes while no process watches: the restarted server learns
    // it from the folders it checks after opening (its index was loaded from the last run's records)
    await writeFile(file, skillMd('monthly wine digest', 'Cite the wine guild for every figure.'));
    const b = await serve(args, env, store);
    let seen = '';
    for (let i = 0; i < 100 && !seen.includes('wine guild'); i++) {
      seen = await ask(b.url, 'Write the monthly wine digest for March.');
      if (!seen.includes('wine guild')) await new Promise((r) => setTimeout(r, 100));
    }
    expect(seen).toContain('Cite the wine guild');
  });

  test('bad flags fail fast with exit code 2', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', 'abc'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    running.push(child);
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect([code, err]).toEqual([2, expect.stringMatching(/--port/)]);
  });
});
