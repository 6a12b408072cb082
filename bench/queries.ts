import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';

/** Trigger phrases sampled deterministically from the bank (about half Chinese), for latency runs. */
export async function readBankQueries(bank: string, limit: number): Promise<string[]> {
  const files: string[] = [];
  async function walk(dir: string, depth: number): Promise<void> {
    if (depth > 6) return;
    for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) await walk(full, depth + 1);
      else if (e.name === 'SKILL.md') files.push(full);
    }
  }
  await walk(bank, 0);
  files.sort();
  const zh: string[] = [];
  const en: string[] = [];
  for (const f of files) {
    const text = await readFile(f, 'utf8').catch(() => '');
    const m = /\ntriggers:\n((?:\s+- .*\n)+)/.exec(text);
    const first = m?.[1]?.split('\n')[0]?.replace(/^\s+- /, '').replace(/^"|"$/g, '').trim();
    if (!first) continue;
    (/[\u4e00-\u9fff]/.test(first) ? zh : en).push(first);
  }
  const out: string[] = [];
  for (let i = 0; out.length < limit && (i < zh.length || i < en.length); i++) {
    if (i < en.length) out.push(en[i]!);
    if (i < zh.length && out.length < limit) out.push(zh[i]!);
  }
  return out;
}
