/**
 * Issue #13 part 6: an install that works without a registry release.
 *
 * - `npm pack` ships the built package (dist with the web page, bin, data, docs, README, LICENSE,
 *   the seed Common skills) and no runtime state: learned Users/ skills, vectors, .autoskill
 *   caches, runtime-added Common skills, sources, tests and .tmp stay out, even when present.
 * - `prepack` empties dist/ and builds, so a pack never ships stale output.
 * - The README's install lines run as printed, with two stand-ins: `npm ci` is not rerun (it would
 *   replace the node_modules other test files are using; the checkout's is what it produces) and
 *   `npm install -g` of the tarball is laid out as npm does it (helpers/packed-install.ts), because
 *   the dependencies would come from the registry. `npm pack` runs with --ignore-scripts: dist/ is
 *   built by the global setup, and a rebuild here would rewrite it under concurrently running
 *   tests (prepack is exercised in a copy below).
 * - Every MCP config printed in README.md, docs/mcp.md and examples/ starts that installed command
 *   and gets a working server.
 */
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { installTarball, npmPack, pathWith, REPO } from '../helpers/packed-install.js';

const run = promisify(execFile);
const pkg = JSON.parse(await readFile(path.join(REPO, 'package.json'), 'utf8')) as {
  version: string;
  bin: Record<string, string>;
  exports: Record<string, string | { types?: string; import?: string }>;
  scripts: Record<string, string>;
};
const SEEDS = (await readdir(path.join(REPO, 'Skills/Common'), { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'autoskill-install-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** A copy of what npm looks at, so state can be added without touching the shared checkout. */
async function packageCopy(name: string): Promise<string> {
  const dir = path.join(tmp, name);
  for (const p of ['package.json', 'README.md', 'LICENSE', 'bin', 'data', 'docs', 'examples', 'Skills', 'dist']) {
    await cp(path.join(REPO, p), path.join(dir, p), { recursive: true, filter: (src) => !src.includes(`${path.sep}Skills${path.sep}Users`) });
  }
  return dir;
}

async function put(root: string, rel: string, text = 'x\n'): Promise<void> {
  await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
  await writeFile(path.join(root, rel), text);
}

describe('npm pack', () => {
  test('ships the built package and none of the runtime state a checkout accumulates', async () => {
    const dir = await packageCopy('state');
    // What `npm start`, tests and the web page leave behind in a checkout.
    const state = [
      'Skills/Users/alice/learned-report-rules/SKILL.md',
      'Skills/vectors/local-v1/vectors.bin',
      'Skills/.autoskill/cache/skills.json',
      'Skills/.autoskill/history/abc/v-000001.json',
      'Skills/Common/added-by-an-admin/SKILL.md',
      '.tmp/run.log',
      'src/engine/autoskill.ts',
      'test/cli.test.ts',
      'bench/engine.ts',
      'coverage/index.html',
      'node_modules/left-pad/index.js',
      'examples/ai-sdk.ts',
    ];
    for (const rel of state) await put(dir, rel);
    const { files } = await npmPack(dir, ['--dry-run', '--ignore-scripts']);

    for (const rel of state) expect(files, rel).not.toContain(rel);
    expect(files.filter((f) => /(^|\/)(Users|vectors|\.autoskill|\.tmp|src|test|bench|coverage|node_modules)\//.test(f))).toEqual([]);

    // What a user of the package needs.
    const required = [
      'package.json',
      'README.md',
      'LICENSE',
      'dist/web/index.html',
      'data/background-v1.json.gz',
      'docs/mcp.md',
      'examples/claude-desktop.json',
      'examples/vscode-mcp.json',
      'Skills/README.md',
      ...Object.values(pkg.bin).map((b) => path.posix.normalize(b)),
      ...Object.values(pkg.exports).flatMap((e) => (typeof e === 'string' ? [e] : [e.types, e.import].filter((x): x is string => !!x))).map((p) => path.posix.normalize(p)),
      ...SEEDS.map((s) => `Skills/Common/${s}/SKILL.md`),
    ];
    for (const rel of required) expect(files, rel).toContain(rel);
    expect(files.filter((f) => f.startsWith('dist/web/assets/')).length).toBeGreaterThan(0);
    // Nothing outside the published folders.
    const allowed = /^(package\.json|README\.md|LICENSE|dist\/.+|bin\/.+|data\/.+|docs\/.+|examples\/[^/]+\.json|Skills\/README\.md|Skills\/Common\/[^/]+\/.+)$/;
    expect(files.filter((f) => !allowed.test(f))).toEqual([]);
    expect(files.filter((f) => f.startsWith('Skills/Common/')).map((f) => f.split('/')[2]).filter((s, i, a) => a.indexOf(s) === i).sort()).toEqual([...SEEDS].sort());
  }, 120_000);

  test('prepack empties dist/ and runs the build, so a pack never ships stale output', async () => {
    const dir = await packageCopy('prepack');
    await put(dir, 'dist/left-from-a-deleted-source.js');
    // The real prepack, with the (slow) build replaced by one that leaves a mark.
    const manifest = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(manifest.scripts.prepack).toBe(pkg.scripts.prepack);
    manifest.scripts.build = `node -e "require('node:fs').mkdirSync('dist/web',{recursive:true});require('node:fs').writeFileSync('dist/built-by-prepack.js','')"`;
    await writeFile(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
    const { files } = await npmPack(dir, ['--dry-run']);
    expect(files).toContain('dist/built-by-prepack.js');
    expect(files).not.toContain('dist/left-from-a-deleted-source.js');
    expect(files).not.toContain('dist/cli/main.js');
  }, 120_000);
});

// ------------------------------------------------------------------------------ README, as printed

function fencedBlocks(md: string): Array<{ lang: string; text: string; at: number }> {
  const out: Array<{ lang: string; text: string; at: number }> = [];
  for (const m of md.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)) out.push({ lang: m[1]!, text: m[2]!, at: m.index });
  return out;
}

/** The first bash block under the README's `## Install` heading, one command a line, comments dropped. */
function installLines(readme: string): string[] {
  const at = readme.search(/^## Install$/m);
  expect(at, 'README.md has an "## Install" section').toBeGreaterThan(-1);
  const block = fencedBlocks(readme).find((b) => b.at > at && b.lang === 'bash');
  return block!.text.split('\n').map((l) => l.replace(/\s+#.*$/, '').trim()).filter(Boolean);
}

describe('the README install, as printed', () => {
  let work: string;
  let bin: string;
  const env = () => ({ ...process.env, PATH: pathWith(bin) });

  beforeAll(async () => {
    work = path.join(tmp, 'checkout-out');
    await mkdir(work);
    let tarball: string | undefined;
    const lines = installLines(await readFile(path.join(REPO, 'README.md'), 'utf8'));
    expect(lines[0]).toBe('npm ci');
    for (const line of lines.slice(1)) {
      let m: RegExpExecArray | null;
      if (line === 'npm pack') {
        tarball = path.join(work, (await npmPack(REPO, ['--ignore-scripts', '--pack-destination', work])).filename);
      } else if ((m = /^npm install -g (\S+\.tgz)$/.exec(line))) {
        // The README names the file npm pack wrote (its version included).
        expect(path.basename(m[1]!)).toBe(path.basename(tarball!));
        bin = await installTarball(tarball!, path.join(tmp, 'prefix'));
      } else if ((m = /^autoskill (.+)$/.exec(line))) {
        const r = await run('autoskill', m[1]!.split(' '), { env: env(), cwd: work });
        if (m[1] === '--version') expect(r.stdout).toBe(`${pkg.version}\n`);
      } else {
        throw new Error(`README install line not covered by this test: ${line}`);
      }
    }
    expect(bin, 'the README installs the tarball').toBeDefined();
  }, 180_000);

  test('the installed command serves the API and the web page from the tarball', async () => {
    const store = path.join(tmp, 'serve-store');
    const child = spawn('autoskill', ['serve', '--port', '0', '--store', store], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /autoskill listening on (http:\/\/\S+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.once('exit', (code) => reject(new Error(`serve exited (${code}):\n${err}`)));
      });
      const page = await fetch(`${url}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      const script = /src="([^"]+\.js)"/.exec(await page.text())?.[1];
      expect((await fetch(new URL(script!, url))).status).toBe(200);
      const search = await fetch(`${url}/v1/autoskill/skills/search`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'weekly status report', scope: 'all' }),
      });
      expect(search.status, await search.clone().text()).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
  }, 60_000);

  /** Every stdio server printed in the docs and examples: [where, command, args]. */
  async function printedServers(): Promise<Array<[string, string, string[]]>> {
    const out: Array<[string, string, string[]]> = [];
    const fromConfig = (where: string, cfg: { mcpServers?: Record<string, any>; servers?: Record<string, any> }) => {
      for (const [name, s] of Object.entries({ ...cfg.mcpServers, ...cfg.servers })) if (s.command !== undefined) out.push([`${where} ${name}`, s.command, s.args]);
    };
    for (const doc of ['README.md', 'docs/mcp.md']) {
      for (const b of fencedBlocks(await readFile(path.join(REPO, doc), 'utf8'))) {
        if (b.lang === 'json' && /"(mcpServers|servers)"/.test(b.text)) fromConfig(doc, JSON.parse(b.text));
        for (const m of b.text.matchAll(/^claude mcp add (\S+) -- (.+)$/gm)) {
          const [command, ...args] = m[2]!.trim().split(/\s+/);
          out.push([`${doc} claude mcp add ${m[1]}`, command!, args]);
        }
      }
    }
    for (const f of (await readdir(path.join(REPO, 'examples'))).filter((f) => f.endsWith('.json'))) {
      fromConfig(`examples/${f}`, JSON.parse(await readFile(path.join(REPO, 'examples', f), 'utf8')));
    }
    return out;
  }

  test('every MCP config in README.md, docs/mcp.md and examples/ starts the installed command and gets a server', async () => {
    const servers = await printedServers();
    // README (config + claude), docs/mcp.md (Claude Desktop, claude, VS Code), examples (2)
    expect(servers.length).toBeGreaterThanOrEqual(7);
    let n = 0;
    for (const [where, command, printed] of servers) {
      expect(command, `${where} must start the installed command (the package is not on the registry)`).toBe('autoskill');
      expect(printed[0], where).toBe('mcp');
      const args = [...printed];
      const store = args.indexOf('--store');
      expect(store, `${where} names its store`).toBeGreaterThan(0);
      args[store + 1] = path.join(tmp, `mcp-store-${n++}`);
      const transport = new StdioClientTransport({ command, args, env: env() as Record<string, string>, cwd: tmp, stderr: 'pipe' });
      let err = '';
      transport.stderr?.on('data', (d: Buffer) => (err += d.toString()));
      const client = new Client({ name: 'install-test', version: '1.0.0' });
      try {
        await client.connect(transport);
      } catch (e) {
        throw new Error(`${where}: the server did not start: ${(e as Error).message}\n${err}`);
      }
      try {
        expect((await client.listTools()).tools.map((t) => t.name), where).toContain('search_skills');
      } finally {
        await client.close();
      }
    }
  }, 120_000);
});
