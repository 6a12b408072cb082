import { lstat } from 'node:fs/promises';
import path from 'node:path';
import type { Owner } from '../skill/schema.js';
import { findSkillDirs, readDirents, type HiddenFolders, type ScanSink, type SkillDirFound } from './scan.js';

/**
 * Importing a whole store tree (another machine's `Skills/`, a backup, the skill bank) keeps every
 * skill with the owner its place in the tree gives it, instead of making everything one target's:
 *
 *   Users/<user>/<...>/<slug>/SKILL.md       user:<user>        (private stays private)
 *   Common/<slug>/SKILL.md                   library:Common
 *   Common/<library>/<...>/<slug>/SKILL.md   library:<library>
 *   <Top>/<slug>/SKILL.md                    library:<Top>      (a top folder of skills is a library)
 *   <Top>/<group>/<...>/<slug>/SKILL.md      library:<group>    (ConvSkill-style: a folder of libraries,
 *                                                                ConvSkill/chinese_gpt4_8/... → chinese_gpt4_8)
 *
 * The id key of a file without an id is the one the store itself derives for that place, so the
 * imported copy gets the id the tree would have had if it were opened as a store. Hidden top-level
 * folders (`.autoskill`: history and journals) and `vectors/` are store internals, not skills.
 */

/** Folders at the top of a store tree that hold no skills. */
const INTERNAL = new Set(['vectors', 'node_modules']);

/** A folder is a store tree when it is not itself a skill and has a `Users/` or `Common/` folder. */
export async function isStoreTree(dir: string): Promise<boolean> {
  if (await lstat(path.join(dir, 'SKILL.md')).then(() => true, () => false)) return false;
  return (await isDir(path.join(dir, 'Users'))) || (await isDir(path.join(dir, 'Common')));
}

/** A real folder (a symlink is never followed, as everywhere in imports). */
async function isDir(p: string): Promise<boolean> {
  return (await lstat(p).catch(() => undefined))?.isDirectory() ?? false;
}

/** Skill folders of a store tree, top-level store internals left out; `rel` starts at the tree root. */
export async function findStoreTreeSkills(root: string, sink: ScanSink, hidden: HiddenFolders, maxDepth = 8): Promise<SkillDirFound[]> {
  const out: SkillDirFound[] = [];
  const tops = ((await readDirents(root, sink)) ?? [])
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !INTERNAL.has(e.name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const top of tops) {
    for (const f of await findSkillDirs(path.join(root, top.name), maxDepth - 1, sink, 16, hidden)) out.push({ ...f, rel: [top.name, ...f.rel] });
  }
  return out;
}

export type Placement = { owner: Owner; idKey: string } | { skip: string };

/** Where a skill folder at `rel` (segments from the tree root) belongs; see the table above. */
export function placeInStoreTree(rel: readonly string[]): Placement {
  const [top, second, ...rest] = rel;
  if (top === undefined || second === undefined) return { owner: 'library:Common', idKey: top ?? 'skill' };
  if (top === 'Users') {
    if (rest.length === 0) return { skip: 'SKILL.md directly in a user folder is not a skill of that user (skills live in Users/<user>/<slug>/)' };
    return { owner: `user:${second}`, idKey: rest.join('/') };
  }
  if (top === 'Common' && rest.length === 0) return { owner: 'library:Common', idKey: second };
  if (rest.length === 0) return { owner: `library:${top}`, idKey: [top, second].join('/') };
  return { owner: `library:${second}`, idKey: [second, ...rest].join('/') };
}
