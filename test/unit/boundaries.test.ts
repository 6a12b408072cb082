import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The module boundary check CI runs (`npm run lint:deps`, .dependency-cruiser.cjs): the real
 * dependency-cruiser CLI with the real config, once on a planted tree that breaks each rule (it
 * must fail and name every violation) and once on this repository's src (it must pass).
 */

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruiser.mjs');
const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs');

interface Outcome {
  code: number;
  violations: Array<{ rule: string; from: string; to: string }>;
}

/**
 * depcruise as `npm run lint:deps` runs it (project config, `err` reporter, whose exit code CI
 * relies on), over `src` of `cwd`; the reporter's violation lines parsed.
 */
async function depcruise(cwd: string): Promise<Outcome> {
  const args = [BIN, '--config', CONFIG, '--output-type', 'err', 'src'];
  let stdout: string;
  let code = 0;
  try {
    ({ stdout } = await run(process.execPath, args, { cwd, maxBuffer: 64 * 1024 * 1024 }));
  } catch (err) {
    const e = err as { code?: number; stdout?: string };
    code = typeof e.code === 'number' ? e.code : 1;
    stdout = e.stdout ?? '';
  }
  // "  error <rule>: <from> → <to>"
  const violations = [...stdout.matchAll(/^\s*error ([\w-]+): (\S+) \u2192 (\S+)\s*$/gmu)].map((m) => ({
    rule: m[1]!,
    from: m[2]!,
    to: m[3]!,
  }));
  return { code, violations };
}

const PLANTED: Record<string, string> = {
  'tsconfig.json': JSON.stringify({
    compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2023', strict: true },
    include: ['src'],
  }),
  'src/engine/skill/schema.ts': 'export interface Skill { id: string }\nexport const SKILL = 1;\n',
  'src/engine/index.ts': "export { SKILL, type Skill } from './skill/schema.js';\n",
  'src/engine/ports/llm.ts': "export interface LlmPort { label: string }\n",
  'src/engine/autoskill.ts': "export class AutoSkill {}\n",
  'src/engine/store/lock.ts': "export const lock = () => undefined;\n",
  // allowed: the engine's entry points and the package root
  'src/index.ts': "export * from './engine/index.js';\n",
  'src/adapters/good/index.ts':
    "import { SKILL, type Skill } from '../../engine/index.js';\nimport type { LlmPort } from '../../engine/ports/llm.js';\nimport { SKILL as S } from '../../index.js';\nexport const s: Skill = { id: String(SKILL + S) };\nexport type L = LlmPort;\n",
  // allowed: the PostgreSQL backend reuses store helpers to implement the store port
  'src/adapters/postgres/store.ts': "import { lock } from '../../engine/store/lock.js';\nexport const l = lock;\n",
  // planted: the backend driving the facade
  'src/adapters/postgres/bad.ts': "import { AutoSkill } from '../../engine/autoskill.js';\nexport const A = AutoSkill;\n",
  // planted: an adapter, the MCP server and the CLI reaching into an engine internal (value and type-only)
  'src/adapters/bad/index.ts': "import { SKILL } from '../../engine/skill/schema.js';\nexport const n = SKILL;\n",
  'src/mcp/tools.ts': "import type { Skill } from '../engine/skill/schema.js';\nexport const t: Skill | undefined = undefined;\n",
  'src/cli/main.ts': "export async function load() { return import('../engine/skill/schema.js'); }\n",
  // planted: the headless engine importing frameworks (resolved from node_modules, and a subpath)
  'src/engine/web.ts': "import express from 'express';\nexport const app = express;\n",
  'src/engine/mcp.ts': "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';\nexport const M = McpServer;\n",
  'src/engine/llm.ts': "import type OpenAI from 'openai';\nexport type Client = OpenAI;\n",
  'src/engine/learn/db.ts': "import pg from 'pg';\nexport const P = pg;\n",
  // allowed: the engine's PostgreSQL backend needs pg, and its preset loads it (dynamically)
  'src/engine/store/postgres/store.ts': "import pg from 'pg';\nimport { lock } from '../lock.js';\nexport const P = [pg, lock];\n",
  'src/engine/store/backends.ts': "export const load = () => import('./postgres/store.js');\n",
  // planted: another engine module reaching the PostgreSQL backend past its preset, and the backend driving the facade
  'src/engine/learn/usage.ts': "import { P } from '../store/postgres/store.js';\nexport const U = P;\n",
  'src/engine/store/postgres/bad.ts': "import { AutoSkill } from '../../autoskill.js';\nexport const A = AutoSkill;\n",
  // planted: product code using the test-only hooks
  'src/engine/testing.ts': "export const indexProbe = () => undefined;\n",
  'src/engine/retrieve/probe.ts': "import { indexProbe } from '../testing.js';\nexport const p = indexProbe;\n",
};

describe('module boundaries (dependency-cruiser, .dependency-cruiser.cjs)', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'autoskill-boundaries-'));
    for (const [rel, text] of Object.entries(PLANTED)) {
      await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
      await writeFile(path.join(dir, rel), text);
    }
    // The planted framework imports resolve exactly as in the repository.
    await symlink(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('fails on a planted tree and names each violation', async () => {
    const { code, violations } = await depcruise(dir);
    expect(code).not.toBe(0);
    const seen = violations.map((v) => `${v.rule}: ${v.from} -> ${v.to}`).sort();
    // Sorted by rule, then by the planted file.
    expect(seen).toEqual(
      [
        'adapters-use-engine-entry-points: src/adapters/bad/index.ts -> src/engine/skill/schema.ts',
        'adapters-use-engine-entry-points: src/cli/main.ts -> src/engine/skill/schema.ts',
        'adapters-use-engine-entry-points: src/mcp/tools.ts -> src/engine/skill/schema.ts',
        'backend-does-not-drive-the-engine: src/adapters/postgres/bad.ts -> src/engine/autoskill.ts',
        'backend-does-not-drive-the-engine: src/engine/store/postgres/bad.ts -> src/engine/autoskill.ts',
        expect.stringMatching(/^engine-imports-no-framework: src\/engine\/learn\/db\.ts -> (\S*\/)?node_modules\/pg\//),
        expect.stringMatching(/^engine-imports-no-framework: src\/engine\/llm\.ts -> (\S*\/)?node_modules\/openai\//),
        expect.stringMatching(/^engine-imports-no-framework: src\/engine\/mcp\.ts -> (\S*\/)?node_modules\/@modelcontextprotocol\/sdk\//),
        expect.stringMatching(/^engine-imports-no-framework: src\/engine\/web\.ts -> (\S*\/)?node_modules\/express\//),
        'postgres-loaded-only-by-its-preset: src/engine/learn/usage.ts -> src/engine/store/postgres/store.ts',
        'testing-hooks-stay-in-tests: src/engine/retrieve/probe.ts -> src/engine/testing.ts',
      ],
    );
  });

  it('passes on the repository', async () => {
    const { code, violations } = await depcruise(ROOT);
    expect(violations).toEqual([]);
    expect(code).toBe(0);
  });
});
