/**
 * An external client: the official MCP Inspector CLI (@modelcontextprotocol/inspector 2.x, a dev
 * dependency; needs Node >= 22.19, which is the node vitest runs on) against `autoskill mcp` over
 * stdio and `autoskill serve` over Streamable HTTP.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, IDS, REPO, removeDir, seededStore, startServe, type Served } from '../helpers/mcp-fixture.js';

const INSPECTOR = path.join(REPO, 'node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js');

let dir: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function inspector(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [INSPECTOR, '--cli', ...args],
      // The Inspector keeps a server catalog; keep it out of the home directory.
      { cwd: REPO, env: { ...process.env, MCP_CATALOG_PATH: path.join(dir, 'inspector-catalog.json') }, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const stdioTarget = () => [process.execPath, BIN, 'mcp', '--store', dir, '--user', 'u1'];

beforeAll(async () => {
  dir = await seededStore('autoskill-mcp-inspector-');
});

afterAll(async () => {
  await removeDir(dir);
});

describe('MCP Inspector CLI → autoskill mcp (stdio)', () => {
  it('tools/list --strict: nine tools with schemas and no schema portability problems', async () => {
    const r = await inspector([...stdioTarget(), '--method', 'tools/list', '--strict']);
    expect(r.code, r.stderr).toBe(0);
    const { tools } = JSON.parse(r.stdout) as { tools: Array<{ name: string; inputSchema: { type: string }; outputSchema?: { type: string } }> };
    expect(tools.map((t) => t.name).sort()).toEqual(
      ['delete_skill', 'extract_now', 'get_skill', 'list_skills', 'rollback_skill', 'save_skill', 'search_skills', 'set_skill_applies', 'approve_skill'].sort(),
    );
    for (const t of tools) {
      expect(t.inputSchema.type).toBe('object');
      expect(t.outputSchema?.type).toBe('object');
    }
  });

  it('tools/call search_skills with a Chinese query', async () => {
    const r = await inspector([...stdioTarget(), '--method', 'tools/call', '--tool-name', 'search_skills', '--tool-arg', 'query=把docker run命令转换成docker-compose配置']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { structuredContent: { hits: Array<{ id: string }> } };
    expect(out.structuredContent.hits[0]!.id).toBe(IDS.docker);
  });

  it('a tool error is reported as one (non-zero exit), with the message', async () => {
    const r = await inspector([...stdioTarget(), '--method', 'tools/call', '--tool-name', 'get_skill', '--tool-arg', `id=${IDS.wechat}`]);
    expect(r.code).not.toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ isError: true });
    expect(r.stdout).toMatch(/not found/);
  });

  it('resources/read and prompts/get', async () => {
    const read = await inspector([...stdioTarget(), '--method', 'resources/read', '--uri', `skill://common/${IDS.dogfood}/references/issue-taxonomy.md`]);
    expect(read.code, read.stderr).toBe(0);
    expect(JSON.parse(read.stdout).contents[0].mimeType).toBe('text/markdown');
    const prompt = await inspector([...stdioTarget(), '--method', 'prompts/get', '--prompt-name', 'use_skill', '--prompt-args', 'id=24_game_expert']);
    expect(prompt.code, prompt.stderr).toBe(0);
    expect(JSON.parse(prompt.stdout).messages[0].content.text).toContain('<skill_instructions>');
  });
});

describe('MCP Inspector CLI → autoskill serve (Streamable HTTP)', () => {
  let served: Served;
  const KEY = 'inspector-key-0123456789abcdef';

  beforeAll(async () => {
    const keys = path.join(dir, 'keys.json');
    await writeFile(keys, JSON.stringify({ [KEY]: { user: 'u2' } }));
    served = await startServe(['--store', dir, '--api-keys', keys]);
  });

  afterAll(async () => {
    await served?.stop();
  });

  it('lists u2\'s resources with its API key, and is refused without one', async () => {
    const url = new URL('/mcp', served.url).href;
    const ok = await inspector([url, '--transport', 'http', '--header', `Authorization: Bearer ${KEY}`, '--method', 'resources/list']);
    expect(ok.code, ok.stderr).toBe(0);
    const uris = (JSON.parse(ok.stdout) as { resources: Array<{ uri: string }> }).resources.map((r) => r.uri);
    expect(uris.some((u) => u.startsWith(`skill://user/${IDS.wechat}/v0.1.0/`) && u.endsWith('/SKILL.md'))).toBe(true);
    expect(uris.some((u) => u.includes(IDS.docker))).toBe(false);
    const denied = await inspector([url, '--transport', 'http', '--method', 'tools/list']);
    expect(denied.code).not.toBe(0);
  });
});
