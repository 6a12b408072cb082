import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import { createDirAtomic, writeFileAtomic, type FileMap } from './atomic.js';
import { isSafeSegment, safeRelPath } from './paths.js';
import { StoreError, type SkillStore } from './store.js';

/**
 * Export one skill as a folder copy, its SKILL.md text, or a zip of the folder. Everything is
 * read through `store.readResource`, so the store's path and symlink checks apply; resource names
 * are validated again so that nothing lands outside the chosen destination.
 */

export type ExportFormat = 'dir' | 'md' | 'zip';

export interface ExportResult {
  path?: string;
  bytes?: Uint8Array;
  text?: string;
}

async function collect(store: SkillStore, id: string): Promise<{ folder: string; files: Map<string, Uint8Array> }> {
  const skill = store.get(id);
  if (!skill) throw new StoreError(`no skill ${id}`, 'not_found');
  const files = new Map<string, Uint8Array>();
  files.set('SKILL.md', await store.readResource(id, 'SKILL.md'));
  for (const rel of skill.resources) files.set(safeRelPath(rel), await store.readResource(id, rel));
  return { folder: isSafeSegment(skill.slug) ? skill.slug : 'skill', files };
}

/**
 * - `md`: returns the SKILL.md text (and writes it to `to` when given).
 * - `dir`: copies the folder to `to` (required; must not exist yet), published with one rename.
 * - `zip`: returns the archive bytes, entries under `<slug>/` (and writes them to `to` when given).
 */
export async function exportSkill(store: SkillStore, id: string, format: ExportFormat, to?: string): Promise<ExportResult> {
  if (format === 'md') {
    if (!store.get(id)) throw new StoreError(`no skill ${id}`, 'not_found');
    const text = Buffer.from(await store.readResource(id, 'SKILL.md')).toString('utf8');
    if (to) await writeOut(to, text);
    return to ? { text, path: path.resolve(to) } : { text };
  }
  const { folder, files } = await collect(store, id);
  if (format === 'dir') {
    if (!to) throw new StoreError('exporting as a folder needs a destination path', 'invalid');
    const dest = path.resolve(to);
    const map: FileMap = new Map(files);
    // createDirAtomic refuses an existing destination ('conflict'), so nothing is overwritten.
    await createDirAtomic(path.dirname(dest), path.basename(dest), map, 'SKILL.md');
    return { path: dest };
  }
  if (format === 'zip') {
    const tree: Zippable = {};
    for (const [rel, bytes] of files) tree[`${folder}/${rel}`] = bytes;
    const bytes = zipSync(tree, { level: 6 });
    if (to) await writeOut(to, bytes);
    return to ? { bytes, path: path.resolve(to) } : { bytes };
  }
  throw new StoreError(`unknown export format ${String(format)}`, 'invalid');
}

async function writeOut(to: string, data: string | Uint8Array): Promise<void> {
  const dest = path.resolve(to);
  await mkdir(path.dirname(dest), { recursive: true });
  await writeFileAtomic(dest, data);
}
