import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream.js';

/**
 * `autoskill serve` loads its MCP handler after it starts answering (src/cli/lazy-mcp.ts): the
 * first MCP request right after the listening line, before the preload, still gets a working
 * session, concurrent first requests share one load, chat answers meanwhile, and SIGTERM with an
 * MCP session open exits 0.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/autoskill.js');

let dir: string;
let up: FakeUpstream;
const running: ChildProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'autoskill-serve-mcp-'));
  up = await startFakeUpstream({ apiKey: 'upstream-secret' });
});
afterEach(() => {
  for (const c of running.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});
afterAll(async () => {
  await up?.close();
  await rm(dir, { recursive: true, force: true });
});

function serve(store: string): Promise<{ child: ChildProcess; url: string; exit: Promise<number | null> }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--store', store, '--upstream-base-url', up.url, '--model', 'fake-model'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', HOME: dir, UPSTREAM_API_KEY: 'upstream-secret', OPENAI_API_KEY: 'upstream-secret' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /autoskill listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]!, exit });
    });
    void exit.then((code) => reject(new Error(`serve exited early (${code}): ${err}`)));
  });
}

async function mcpClient(url: string): Promise<Client> {
  const client = new Client({ name: 'lazy-mcp-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`)));
  return client;
}

describe('serve: /mcp loaded on first use', () => {
  test('MCP sessions opened right after the listening line work, chat answers meanwhile, SIGTERM exits 0', async () => {
    const s = await serve(path.join(dir, 'Skills'));
    // At once, and two at a time: both wait for the one load of the handler.
    const [a, b] = await Promise.all([mcpClient(s.url), mcpClient(s.url)]);
    const openai = new OpenAI({ baseURL: `${s.url}/v1`, apiKey: 'unused', defaultHeaders: { 'x-autoskill-user': 'alice' } });
    const [toolsA, toolsB, chat] = await Promise.all([
      a.listTools(),
      b.listTools(),
      openai.chat.completions.create({ model: 'fake-model', messages: [{ role: 'user', content: 'hello' }] }),
    ]);
    const names = toolsA.tools.map((t) => t.name);
    expect(names).toContain('search_skills');
    expect(toolsB.tools.map((t) => t.name)).toEqual(names);
    expect(chat.choices[0]?.message.content).toBeTruthy();
    // A tool call through the lazily created handler reaches the store.
    const saved = await a.callTool({
      name: 'save_skill',
      arguments: { skill_md: '---\nname: lazy-mcp-check\ndescription: Checks the lazily loaded MCP handler; use for a lazy mcp check.\n---\n# Goal\nAnswer in haiku.\n' },
    });
    expect(saved.isError ?? false).toBe(false);
    const found = await b.callTool({ name: 'search_skills', arguments: { query: 'lazy mcp check' } });
    expect(JSON.stringify(found.content)).toContain('lazy-mcp-check');
    s.child.kill('SIGTERM');
    expect(await s.exit).toBe(0);
    await Promise.allSettled([a.close(), b.close()]);
  }, 60_000);
});
