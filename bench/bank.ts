/**
 * Load the real skill bank for benchmarks and tests: walk for SKILL.md files, parse each with
 * the production codec. Unreadable files (NUL bytes, broken YAML) are skipped and counted.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseSkillMd } from '../src/engine/skill/skill-md.js';
import type { Owner, Skill } from '../src/engine/skill/schema.js';

export const DEFAULT_BANK = process.env.AUTOSKILL_BANK ?? path.resolve(import.meta.dirname, '../../shared/data/skillbank');

export interface BankLoadOptions {
  /** only these top-level parts, e.g. ['ConvSkill/chinese_gpt4_8'] (relative to the bank) */
  include?: string[];
  /** `library` (default): every skill as a library skill; `users`: Users/<u>/… owned by user:<u> */
  owners?: 'library' | 'users';
  /** stop after this many skills */
  max?: number;
}

export interface BankLoadResult {
  skills: Skill[];
  skipped: number;
}

function findSkillFiles(dir: string, depth: number, out: string[]): void {
  if (depth > 8) return;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) findSkillFiles(p, depth + 1, out);
    else if (e.isFile() && e.name === 'SKILL.md') out.push(p);
  }
}

function ownerFor(rel: string, mode: 'library' | 'users'): Owner {
  const parts = rel.split('/');
  const clean = (s: string): string => s.replace(/[\s/\\]+/g, '_') || 'x';
  if (mode === 'users' && parts[0] === 'Users' && parts[1]) return `user:${clean(parts[1])}`;
  if (parts[0] === 'Common' && parts[1]) return `library:${clean(parts[1])}`;
  if (parts[0] === 'ConvSkill' && parts[1]) return `library:${clean(parts[1])}`;
  return `library:${clean(parts[0] ?? 'bank')}`;
}

export function loadBank(bankDir: string = DEFAULT_BANK, opts: BankLoadOptions = {}): BankLoadResult {
  const roots = opts.include?.map((p) => path.join(bankDir, p)) ?? [bankDir];
  const files: string[] = [];
  for (const r of roots) findSkillFiles(r, 0, files);
  const skills: Skill[] = [];
  const seen = new Set<string>();
  let skipped = 0;
  for (const file of files) {
    if (opts.max !== undefined && skills.length >= opts.max) break;
    const rel = path.relative(bankDir, file).split(path.sep).join('/');
    const slug = path.basename(path.dirname(file));
    try {
      const text = readFileSync(file, 'utf8');
      const { skill } = parseSkillMd(text, { owner: ownerFor(rel, opts.owners ?? 'library'), slug, fallbackId: `bank:${rel}` });
      if (seen.has(skill.id)) {
        skipped++;
        continue;
      }
      seen.add(skill.id);
      skills.push(skill);
    } catch {
      skipped++;
    }
  }
  return { skills, skipped };
}

/**
 * The command line the bank benches and scripts share: `[bankDir] [--name value ...] [--switch]`.
 * `num` reads a numeric flag, `str` a string one, `has` a switch; `bankDir` is the first bare
 * argument that is not a flag's value (default DEFAULT_BANK).
 */
export function benchArgs(args: string[] = process.argv.slice(2)) {
  const at = (name: string): string | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  return {
    bankDir: args.find((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1]!.startsWith('--'))) ?? DEFAULT_BANK,
    num: (name: string, dflt: number): number => {
      const v = at(name);
      return v !== undefined ? Number(v) : dflt;
    },
    str: at,
    has: (name: string): boolean => args.includes(name),
  };
}

/** Run one bench phase script in a fresh plain-Node process; resolves with the JSON its last stdout line holds. */
export function runPhaseScript<T>(script: string, args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`phase ${args[0]} exited with ${code}: ${out}`));
      try {
        resolve(JSON.parse(line) as T);
      } catch {
        reject(new Error(`phase ${args[0]} printed no result: ${out}`));
      }
    });
  });
}
