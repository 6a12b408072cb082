import Anthropic from '@anthropic-ai/sdk';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { anthropicFromFlags } from '../../src/cli/anthropic-upstream.js';
import { CliError } from '../../src/cli/common.js';
import { startFakeAnthropic, type FakeAnthropic } from '../helpers/fake-anthropic.js';
import { startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream.js';

/**
 * The real `autoskill serve` bin (dist/, built by the global setup) in front of both upstreams at
 * once, configured the way the README's Claude Code set-up says: the Anthropic upstream by
 * `--anthropic-base-url` or `AUTOSKILL_ANTHROPIC_BASE_URL` with its key from the environment, the
 * OpenAI one by its own flags. `ANTHROPIC_BASE_URL` (the client's variable, pointing at autoskill)
 * is never read by serve.
 */

const BIN = path.resolve(import.meta.dirname, '../..', 'bin/autoskill.js');

let dir: string;
let anth: FakeAnthropic;
let oai: FakeUpstream;
const running: ChildProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'autoskill-anthropic-serve-'));
  anth = await startFakeAnthropic();
  oai = await startFakeUpstream();
});
afterEach(() => {
  for (const c of running.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});
afterAll(async () => {
  await anth?.close();
  await oai?.close();
  await rm(dir, { recursive: true, force: true });
});

function serve(args: string[], env: Record<string, string>): Promise<{ url: string; stderr: () => string }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--store', path.join(dir, 'Skills'), ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', HOME: dir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${err}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /autoskill listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, stderr: () => err });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited early (${code}): ${err}`));
    });
  });
}

describe('autoskill serve with an Anthropic upstream', () => {
  test('one proxy fronts both upstreams; each gets its own key; the keys never reach the log', async () => {
    const s = await serve(['--upstream-base-url', oai.url, '--anthropic-base-url', anth.url, '--anthropic-api-key-env', 'MY_ANTHROPIC_KEY'], {
      MY_ANTHROPIC_KEY: 'anthropic-secret',
      OPENAI_API_KEY: 'openai-secret',
      // What Claude Code reads; serve must not follow it back to itself.
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:9',
    });
    const claude = new Anthropic({ baseURL: s.url, apiKey: 'ignored', maxRetries: 0 });
    const msg = await claude.messages.create({ model: 'claude-test', max_tokens: 8, messages: [{ role: 'user', content: 'ping' }] });
    expect(msg.content).toEqual([{ type: 'text', text: 'echo: ping' }]);
    expect(anth.last().headers['x-api-key']).toBe('anthropic-secret');

    const openai = new OpenAI({ baseURL: `${s.url}/v1`, apiKey: 'ignored', maxRetries: 0 });
    const chat = await openai.chat.completions.create({ model: 'fake-model', messages: [{ role: 'user', content: 'pong' }] });
    expect(chat.choices[0]!.message.content).toBe('echo: pong');
    expect(oai.requests.at(-1)!.headers.authorization).toBe('Bearer openai-secret');

    const log = s.stderr();
    expect(log).toContain(anth.url);
    expect(log).not.toContain('anthropic-secret');
    expect(log).not.toContain('openai-secret');
  });

  test('AUTOSKILL_ANTHROPIC_BASE_URL without a key: the caller\'s own credentials are forwarded', async () => {
    const s = await serve([], { AUTOSKILL_ANTHROPIC_BASE_URL: anth.url });
    const res = await fetch(`${s.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer claude-login-token', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'claude-test', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(200);
    expect(anth.last().headers.authorization).toBe('Bearer claude-login-token');
  });
});

describe('anthropicFromFlags', () => {
  test('configured by the flag, its environment variable, or a key alone (api.anthropic.com); bad values are usage errors', () => {
    expect(anthropicFromFlags({}, {})).toEqual({ apiKeyEnv: 'ANTHROPIC_API_KEY', hasApiKey: false });
    expect(anthropicFromFlags({}, { ANTHROPIC_BASE_URL: 'http://127.0.0.1:1' }).options).toBeUndefined();
    expect(anthropicFromFlags({}, { AUTOSKILL_ANTHROPIC_BASE_URL: 'http://h:1/' }).options).toEqual({ baseURL: 'http://h:1' });
    expect(anthropicFromFlags({}, { ANTHROPIC_API_KEY: 'k' }).options).toEqual({ baseURL: 'https://api.anthropic.com', apiKey: 'k' });
    expect(anthropicFromFlags({ 'anthropic-base-url': 'http://a:2', 'anthropic-api-key-env': 'K2' }, { K2: 'x', AUTOSKILL_ANTHROPIC_BASE_URL: 'http://b:3' }).options).toEqual({
      baseURL: 'http://a:2',
      apiKey: 'x',
    });
    expect(() => anthropicFromFlags({ 'anthropic-base-url': 'nope' }, {})).toThrow(CliError);
    expect(() => anthropicFromFlags({ 'anthropic-base-url': 'ftp://x' }, {})).toThrow(/http/);
    expect(() => anthropicFromFlags({ 'anthropic-api-key-env': 'not a name' }, {})).toThrow(/variable name/);
  });
});
