/**
 * `autoskill mcp` over stdio: the official MCP Client spawns the real bin (built dist/), as
 * Claude Desktop or VS Code would. stdout must carry nothing but protocol messages.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ResourceListChangedNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BIN, IDS, REPO, REPORT_CONVERSATION, removeDir, seededStore } from '../helpers/mcp-fixture.js';

let dir: string;
let client: Client;
let transport: StdioClientTransport;
let stderr = '';
const protocolErrors: Error[] = [];
let changes = 0;

async function call(name: string, args: Record<string, unknown>) {
  return (await client.callTool({ name, arguments: args })) as CallToolResult & { structuredContent?: Record<string, any> };
}

beforeAll(async () => {
  // global-setup builds dist/ when it is missing or stale
  expect(existsSync(path.join(REPO, 'dist/cli/commands/mcp.js'))).toBe(true);
  dir = await seededStore('autoskill-mcp-stdio-');
  transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, 'mcp', '--store', dir, '--user', 'u1'],
    cwd: REPO,
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  client = new Client({ name: 'mcp-stdio-test', version: '1.0.0' });
  // A non-JSON line on stdout (a stray log) surfaces here as a parse error.
  client.onerror = (err) => protocolErrors.push(err);
  client.setNotificationHandler(ResourceListChangedNotificationSchema, () => {
    changes++;
  });
  try {
    await client.connect(transport);
  } catch (e) {
    throw new Error(`the server did not start: ${(e as Error).message}\n${stderr}`);
  }
});

afterAll(async () => {
  await client?.close();
  await removeDir(dir);
});

describe('autoskill mcp (stdio)', () => {
  it('identifies itself and lists the tools, resources and prompt', async () => {
    expect(client.getServerVersion()?.name).toBe('autoskill');
    expect(client.getInstructions()).toMatch(/search_skills/);
    const caps = client.getServerCapabilities();
    expect(caps?.resources?.listChanged).toBe(true);
    const { tools } = await client.listTools();
    expect(tools).toHaveLength(9);
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(['use_skill']);
    expect(stderr).toMatch(/serving .* for user "u1" over stdio/);
  });

  it('searches real bank skills in English and Chinese', async () => {
    const en = await call('search_skills', { query: 'solve the 24 game for these numbers' });
    expect(en.structuredContent!.hits[0].id).toBe(IDS.game24);
    const zh = await call('search_skills', { query: '去除AI写作痕迹，让文本更像人写的' });
    expect(zh.structuredContent!.hits[0].id).toBe(IDS.humanizer);
  });

  it('learns from extract_now (wait) and announces the new resource', async () => {
    const r = await call('extract_now', { messages: REPORT_CONVERSATION, wait: true });
    expect(r.structuredContent).toMatchObject({ done: true, status: 'upserted' });
    const id: string = r.structuredContent!.skills[0].id;
    await vi.waitFor(() => expect(changes).toBeGreaterThan(0), { timeout: 10_000 });
    const { resources } = await client.listResources();
    // listed under its versioned URI (MCP Skills extension): skill://user/<id>/v0.1.0/<name>/SKILL.md
    expect(resources.some((x) => x.uri.startsWith(`skill://user/${id}/v0.1.0/`) && x.uri.endsWith('/SKILL.md'))).toBe(true);
  });

  it('returns tool errors for bad input and keeps serving', async () => {
    const bad = await call('get_skill', { id: IDS.wechat });
    expect(bad.isError).toBe(true);
    const worse = await call('search_skills', { query: 42 });
    expect(worse.isError).toBe(true);
    const ok = await call('list_skills', {});
    expect(ok.structuredContent!.total).toBeGreaterThanOrEqual(2);
  });

  it('wrote nothing but protocol messages to stdout', () => {
    expect(protocolErrors).toEqual([]);
  });

  it('exits with code 0 on its own when the client closes stdin (no SIGTERM needed)', async () => {
    // The SDK keeps the child private; reading it is the only way to see how it ended.
    const child = (transport as unknown as { _process?: import('node:child_process').ChildProcess })._process!;
    const ended = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('exit', (code, signal) => resolve([code, signal])));
    await client.close();
    expect(await ended).toEqual([0, null]);
  });
});

describe('the shipped client configs launch a working server', () => {
  let binDir: string;
  beforeAll(async () => {
    // What `npm install -g <checkout>` leaves: an `autoskill` on PATH linking to the checkout's bin.
    // (test/install.test.ts does the same from the packed tarball.)
    binDir = await mkdtemp(path.join(os.tmpdir(), 'autoskill-bin-'));
    await symlink(BIN, path.join(binDir, 'autoskill'));
  });
  afterAll(async () => {
    await removeDir(binDir);
  });

  /** The config's own command and args, found on PATH; only the store is swapped for the seeded one. */
  async function launch(entry: { command: string; args: string[] }): Promise<Client> {
    // The package is not on the npm registry: a config must not fetch `autoskill` with npx.
    expect(entry.command).toBe('autoskill');
    expect(entry.args[0]).toBe('mcp');
    const rest = [...entry.args];
    const store = rest.indexOf('--store');
    expect(store).toBeGreaterThanOrEqual(0);
    rest[store + 1] = dir;
    const PATH = [binDir, path.dirname(process.execPath), process.env.PATH].join(path.delimiter);
    const t = new StdioClientTransport({ command: entry.command, args: rest, env: { ...(process.env as Record<string, string>), PATH }, cwd: REPO, stderr: 'pipe' });
    let err = '';
    t.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    const c = new Client({ name: 'config-test', version: '1.0.0' });
    try {
      await c.connect(t);
    } catch (e) {
      throw new Error(`the server did not start: ${(e as Error).message}\n${err}`);
    }
    return c;
  }

  it('examples/claude-desktop.json (mcpServers)', async () => {
    const cfg = JSON.parse(await readFile(path.join(REPO, 'examples/claude-desktop.json'), 'utf8'));
    const c = await launch(cfg.mcpServers.autoskill);
    try {
      expect((await c.listTools()).tools).toHaveLength(9);
    } finally {
      await c.close();
    }
  });

  it('examples/vscode-mcp.json (servers, stdio + http)', async () => {
    const cfg = JSON.parse(await readFile(path.join(REPO, 'examples/vscode-mcp.json'), 'utf8'));
    expect(cfg.mcpServers).toBeUndefined();
    expect(cfg.servers['autoskill-http']).toMatchObject({ type: 'http', url: expect.stringMatching(/\/mcp$/) });
    const entry = cfg.servers.autoskill;
    expect(entry.type).toBe('stdio');
    const c = await launch(entry);
    try {
      expect((await c.listPrompts()).prompts.map((p) => p.name)).toEqual(['use_skill']);
    } finally {
      await c.close();
    }
  });
});
