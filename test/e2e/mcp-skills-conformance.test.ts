/**
 * The official MCP conformance suite's SEP-2640 (Skills extension) server scenarios against
 * `/mcp` of the real `autoskill serve` on 127.0.0.1, on a store seeded with real bank skills.
 *
 * The runner is @modelcontextprotocol/conformance, pinned in devDependencies to 0.2.0-alpha.12,
 * the first line that has these scenarios. It runs extension scenarios at protocol 2026-07-28 by
 * default, whose stateless wire (server/discover, per-request _meta) the SDK 1.x under our server
 * does not speak; `--spec-version 2025-11-25 --force` runs them over the initialize/session
 * lifecycle our HTTP endpoint implements (as the Go SDK's reference run did). At 2025-11-25 the
 * two ttlMs/cacheScope checks report SKIPPED by design; mcp-skills-extension.test.ts checks both.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, removeDir, seededStore, startServe, type Served } from '../helpers/mcp-fixture.js';

const RUNNER = path.join(REPO, 'node_modules/@modelcontextprotocol/conformance/dist/index.js');
/** scenario → checks that must pass; every other check of the scenario must be SKIPPED and listed below */
const SCENARIOS: Record<string, number> = {
  'sep-2640-skills-enumeration': 30,
  'sep-2640-skills-manifest': 6,
  'sep-2640-skills-directory': 7,
};
const SKIPPED_AT_2025_11_25 = new Set(['sep-2640-skills-list-cache-attributes', 'sep-2640-skills-get-cache-attributes']);

interface Check {
  id: string;
  status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'SKIPPED' | 'INFO';
  errorMessage?: string;
}

let store: string;
let out: string;
let served: Served;

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [RUNNER, ...args], { cwd: REPO, timeout: 90_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

async function checksOf(dir: string): Promise<Check[]> {
  const [sub] = await readdir(dir);
  return JSON.parse(await readFile(path.join(dir, sub!, 'checks.json'), 'utf8')) as Check[];
}

beforeAll(async () => {
  store = await seededStore('autoskill-conformance-');
  out = await mkdtemp(path.join(os.tmpdir(), 'autoskill-conformance-out-'));
  served = await startServe(['--store', store, '--host', '127.0.0.1']);
});

afterAll(async () => {
  expect(await served?.stop()).toBe(0);
  await removeDir(store);
  await removeDir(out);
});

describe('@modelcontextprotocol/conformance sep-2640 server scenarios', () => {
  it('the pinned runner has exactly these Skills scenarios for servers', async () => {
    const { code, stdout } = await run(['list']);
    expect(code).toBe(0);
    // Client-side (host) scenarios are named sep-2640-client-*; these are the server ones.
    const names = [...stdout.matchAll(/sep-2640-skills-[a-z-]+/g)].map((m) => m[0]);
    expect([...new Set(names)].sort()).toEqual(Object.keys(SCENARIOS).sort());
  });

  for (const [scenario, passing] of Object.entries(SCENARIOS)) {
    it(`${scenario}: every check passes against /mcp of autoskill serve`, async () => {
      const dir = path.join(out, scenario);
      const url = new URL('/mcp', served.url).href;
      const r = await run(['server', '--url', url, '--scenario', scenario, '--spec-version', '2025-11-25', '--force', '-o', dir]);
      const checks = await checksOf(dir);
      const bad = checks.filter((c) => c.status === 'FAILURE' || c.status === 'WARNING');
      expect(bad, r.stdout).toEqual([]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`Passed: ${passing}/${passing}, 0 failed, 0 warnings`));
      expect(checks.filter((c) => c.status === 'SUCCESS')).toHaveLength(passing);
      for (const c of checks.filter((c) => c.status === 'SKIPPED')) expect(SKIPPED_AT_2025_11_25.has(c.id), c.id).toBe(true);
    });
  }
});
