/**
 * Build the background term table shipped in data/ (see src/engine/index/background.ts).
 *
 *   npx tsx scripts/build-background.ts [bankDir] [--min-df N]
 *
 * Corpus: every SKILL.md under the bank's Common/ and ConvSkill/ (MIT), parsed with the
 * production codec and tokenized field by field exactly as the index does (retrievalFields +
 * tokenize), so the table's terms are the index's terms. Per term it stores the number of
 * skills containing it (df); per field, the average token length.
 *
 * Pruning: terms in fewer than `--min-df` skills (default 3) are dropped. They are the long tail
 * (typos, ids, one-off names: ~80% of the distinct terms) and the runtime gives any absent term
 * the IDF of a term seen once, which is within ~1 nat of their true IDF. Re-run after changing
 * the tokenizer: its fingerprint is recorded in the table's `source`.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { loadBank, DEFAULT_BANK } from '../bench/bank.js';
import { tokenizerFingerprint } from '../src/engine/index/term-cache.js';
import { tokenize } from '../src/engine/index/tokenize.js';
import { retrievalFields } from '../src/engine/index/skill-index.js';

const FIELDS = ['name', 'description', 'triggers', 'tags', 'instructions', 'resources'];

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--min-df');
  const minDf = at >= 0 ? Number(args[at + 1]) : 3;
  const bankDir = args.find((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1] === '--min-df')) ?? DEFAULT_BANK;
  const { skills, skipped } = loadBank(bankDir, { include: ['Common', 'ConvSkill'] });
  const df = new Map<string, number>();
  const total = FIELDS.map(() => 0);
  for (const s of skills) {
    const seen = new Set<string>();
    retrievalFields(s).forEach((text, f) => {
      const toks = tokenize(text);
      total[f]! += toks.length;
      for (const t of toks) seen.add(t);
    });
    for (const t of seen) df.set(t, (df.get(t) ?? 0) + 1);
  }
  const kept = [...df].filter(([t, n]) => n >= minDf && !t.includes('\n')).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const file = {
    format: 1,
    source: `skill bank Common + ConvSkill (${skills.length} skills, ${skipped} unreadable skipped); tokenizer ${(await tokenizerFingerprint()) ?? 'unknown'}; min df ${minDf}`,
    n: skills.length,
    fields: FIELDS,
    avgLen: total.map((t) => Math.round((t / Math.max(1, skills.length)) * 1000) / 1000),
    minDf,
    terms: kept.map(([t]) => t).join('\n'),
    df: kept.map(([, n]) => n),
  };
  const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../data/background-v1.json.gz');
  mkdirSync(path.dirname(out), { recursive: true });
  const gz = gzipSync(JSON.stringify(file), { level: 9 });
  writeFileSync(out, gz);
  console.log(`${out}: N=${file.n}, ${kept.length} of ${df.size} terms kept (df ≥ ${minDf}), avgLen ${file.avgLen.join(' / ')}, ${(gz.length / 1024).toFixed(0)} KiB`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
