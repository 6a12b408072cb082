import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import { createDirAtomic, writeFileAtomic, type FileMap } from './atomic.js';
import { isSafeSegment, safeRelPath } from './paths.js';
import { type SkillStore } from './store.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { specSkillMd } from '../skill/spec-export.js';

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

export interface ExportOptions {
  /**
   * Convert to a folder every Agent Skills host accepts (see skill/spec-export.ts): a meaningful
   * spec name for the folder and `name` (`name` overrides it), upstream-dialect keys moved under
   * metadata. Resource files are kept as they are.
   */
  spec?: boolean | { name?: string };
}

/** The files of one skill as exported: the stored folder, or its spec-valid conversion. */
export async function collect(store: SkillStore, id: string, opts: ExportOptions = {}): Promise<{ folder: string; files: Map<string, Uint8Array>; converted: boolean }> {
  const skill = await store.get(id);
  if (!skill) throw new NotFoundError(`no skill ${id}`);
  const files = new Map<string, Uint8Array>();
  const stored = await store.readResource(id, 'SKILL.md');
  let folder = isSafeSegment(skill.slug) ? skill.slug : 'skill';
  let converted = false;
  if (opts.spec) {
    const wanted = typeof opts.spec === 'object' ? opts.spec.name : undefined;
    let text: string | undefined;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(stored);
    } catch {
      text = undefined; // not UTF-8: rendered from the parsed skill instead
    }
    let spec;
    try {
      spec = wanted ? specSkillMd(skill, text, wanted) : specSkillMd(skill, text);
    } catch (err) {
      throw new ValidationError((err as Error).message, { cause: err });
    }
    folder = spec.name;
    converted = spec.converted;
    files.set('SKILL.md', new TextEncoder().encode(spec.text));
  } else files.set('SKILL.md', stored);
  for (const rel of skill.resources) files.set(safeRelPath(rel), await store.readResource(id, rel));
  return { folder, files, converted };
}

/**
 * - `md`: returns the SKILL.md text (and writes it to `to` when given).
 * - `dir`: copies the folder to `to` (required; must not exist yet), published with one rename.
 * - `zip`: returns the archive bytes, entries under `<slug>/` (and writes them to `to` when given).
 */
export async function exportSkill(store: SkillStore, id: string, format: ExportFormat, to?: string, opts: ExportOptions = {}): Promise<ExportResult> {
  if (format === 'md') {
    if (!(await store.get(id))) throw new NotFoundError(`no skill ${id}`);
    const bytes = opts.spec ? (await collect(store, id, opts)).files.get('SKILL.md')! : await store.readResource(id, 'SKILL.md');
    const text = Buffer.from(bytes).toString('utf8');
    if (to) await writeOut(to, text);
    return to ? { text, path: path.resolve(to) } : { text };
  }
  const { folder, files } = await collect(store, id, opts);
  if (format === 'dir') {
    if (!to) throw new ValidationError('exporting as a folder needs a destination path');
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
  throw new ValidationError(`unknown export format ${String(format)}`);
}

async function writeOut(to: string, data: string | Uint8Array): Promise<void> {
  const dest = path.resolve(to);
  await mkdir(path.dirname(dest), { recursive: true });
  await writeFileAtomic(dest, data);
}
