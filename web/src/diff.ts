/**
 * Read the server's unified diff into rows for display: each line with its kind and its line
 * numbers in the old and new file, hunk headers kept as separators.
 */
import { unifiedDiff } from '../../src/engine/diff.js';
import { splitFrontMatter } from './markdown.js';

export interface DiffRow {
  kind: 'add' | 'del' | 'same' | 'hunk' | 'meta';
  text: string;
  oldLine?: number;
  newLine?: number;
}

const HUNK = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

export function parseUnifiedDiff(diff: string): DiffRow[] {
  const rows: DiffRow[] = [];
  let oldLine = 0;
  let newLine = 0;
  let inHunk = false;
  // Our server writes bare `@@` hunk headers (no ranges): then line numbers are unknown.
  let numbered = false;
  for (const line of diff.replace(/\r\n?/g, '\n').split('\n')) {
    if (line.startsWith('@@')) {
      const hunk = HUNK.exec(line);
      numbered = hunk !== null;
      if (hunk) {
        oldLine = Number(hunk[1]);
        newLine = Number(hunk[2]);
      }
      inHunk = true;
      rows.push({ kind: 'hunk', text: line });
      continue;
    }
    if (!inHunk) {
      if (line) rows.push({ kind: 'meta', text: line });
      continue;
    }
    const num = (n: number) => (numbered ? n : undefined);
    if (line.startsWith('+')) rows.push(row('add', line.slice(1), undefined, num(newLine++)));
    else if (line.startsWith('-')) rows.push(row('del', line.slice(1), num(oldLine++), undefined));
    else if (line.startsWith(' ')) rows.push(row('same', line.slice(1), num(oldLine++), num(newLine++)));
    else if (line.startsWith('\\')) rows.push({ kind: 'meta', text: line });
  }
  return rows;
}

function row(kind: DiffRow['kind'], text: string, oldLine: number | undefined, newLine: number | undefined): DiffRow {
  return { kind, text, ...(oldLine !== undefined ? { oldLine } : {}), ...(newLine !== undefined ? { newLine } : {}) };
}

export function diffStats(rows: DiffRow[]): { added: number; removed: number } {
  return { added: rows.filter((r) => r.kind === 'add').length, removed: rows.filter((r) => r.kind === 'del').length };
}

/**
 * Two versions of a SKILL.md compared the way a reader wants: the body (the instructions, what
 * actually changed) first, and the front matter separately, since every save bumps `version`
 * and `updated_at` and would otherwise lead the diff. `metaKeys` names the changed fields.
 */
export function versionDiff(oldMd: string, newMd: string): { body: DiffRow[]; meta: DiffRow[]; metaKeys: string[] } {
  const a = splitFrontMatter(oldMd);
  const b = splitFrontMatter(newMd);
  const body = parseUnifiedDiff(unifiedDiff(a.body, b.body, ['old', 'new'])).filter((r) => r.kind !== 'meta');
  const meta = parseUnifiedDiff(unifiedDiff(a.frontMatter ?? '', b.frontMatter ?? '', ['old', 'new'])).filter((r) => r.kind !== 'meta');
  const keys = new Set<string>();
  for (const r of meta) {
    if (r.kind !== 'add' && r.kind !== 'del') continue;
    const m = /^\s*([A-Za-z0-9_.-]+)\s*:/.exec(r.text);
    if (m) keys.add(m[1]!);
  }
  return { body, meta, metaKeys: [...keys] };
}
