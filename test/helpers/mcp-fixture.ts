/**
 * Shared setup for the MCP tests: a temp store seeded with a handful of REAL skills from the
 * skill bank (English and Chinese, Common and per-user, one with resource files), plus the
 * conversation that the offline extractor turns into a skill.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AutoSkill } from '../../src/engine/autoskill.js';
import { BANK } from '../fixtures/store-helpers.js';

export { BANK };

/** Ids as written in the bank files (imports keep a file's own id). */
export const IDS = {
  /** Common (vercel-labs-browser-skills): English, with references/ and templates/ */
  dogfood: '6986d0c4-b9fa-5d59-8512-63811123d7e7',
  /** Common (humanizer-zh-skills): Chinese */
  humanizer: '48319245-5ac7-50ce-96c6-a27b3825fb8e',
  /** user u1: Chinese */
  docker: '926411c6-6a82-4551-9884-912cde8f2a2e',
  /** user u1: English */
  game24: '002f7fb3-be28-484b-985f-b2d8834ff8db',
  /** user u2: Chinese; u1 must never see it */
  wechat: '3ee815c6-dfc7-4fa0-8a26-260d361d3b7d',
} as const;

export const BANK_PATHS = {
  dogfood: 'Common/vercel-labs-browser-skills/dogfood',
  humanizer: 'Common/humanizer-zh-skills/humanizer',
  docker: 'ConvSkill/chinese_gpt4_8/docker命令转docker-compose配置',
  game24: 'ConvSkill/english_gpt4_8/24_game_expert',
  wechat: 'Users/u6/公众号技术传播风格规范',
} as const;

export async function bankFile(key: keyof typeof BANK_PATHS, rel: string): Promise<string> {
  return readFile(path.join(BANK, BANK_PATHS[key], rel), 'utf8');
}

/** Create a temp store holding the five bank skills; returns its path. */
export async function seededStore(prefix = 'autoskill-mcp-'): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  const sdk = await AutoSkill.open({ storeDir: dir, learning: { start: false } });
  try {
    const imports: Array<[keyof typeof BANK_PATHS, Parameters<AutoSkill['importSkills']>[1]]> = [
      ['dogfood', { scope: 'common', library: 'vercel-labs-browser-skills' }],
      ['humanizer', { scope: 'common', library: 'humanizer-zh-skills' }],
      ['docker', { scope: 'user', userId: 'u1' }],
      ['game24', { scope: 'user', userId: 'u1' }],
      ['wechat', { scope: 'user', userId: 'u2' }],
    ];
    for (const [key, target] of imports) {
      const report = await sdk.importSkills(path.join(BANK, BANK_PATHS[key]), target);
      const ok = report.filter((r) => r.status === 'imported');
      if (ok.length !== 1 || ok[0]!.id !== IDS[key]) throw new Error(`fixture import of ${key} failed: ${JSON.stringify(report)}`);
    }
  } finally {
    await sdk.close();
  }
  return dir;
}

export async function removeDir(dir: string | undefined): Promise<void> {
  if (dir) await rm(dir, { recursive: true, force: true });
}

/** A request, an answer, then a durable rule: what the offline extractor learns from. */
export const REPORT_CONVERSATION = [
  { role: 'user', content: 'Write a report on the history of solar power.' },
  { role: 'assistant', content: 'Here is the report on the history of solar power: ...' },
  { role: 'user', content: "Don't hallucinate; always cite sources." },
] as const;

// ------------------------------------------------------------------------------ spawning the bin


export const REPO = path.resolve(import.meta.dirname, '../..');
export const BIN = path.join(REPO, 'bin/autoskill.js');

export interface Served {
  url: string;
  child: ChildProcess;
  stderr: () => string;
  stop(): Promise<number | null>;
}

/** Start `autoskill serve --port 0 …` and wait for the URL it prints. */
export async function startServe(args: string[]): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], {
    cwd: REPO,
    env: { ...process.env, AUTOSKILL_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /autoskill listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    void exited.then((code) => reject(new Error(`serve exited (${code}) before listening:\n${err}`)));
  });
  return {
    url,
    child,
    stderr: () => err,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
