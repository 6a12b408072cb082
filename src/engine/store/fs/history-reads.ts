import type { DeletedSkill, VersionEntry } from '../store.js';
import { describeText, ownersEntries } from '../tombstones.js';
import type { SkillFolders } from './folders.js';
import type { HistoryStore } from './history.js';
import type { Rec } from './tree.js';

/**
 * The filesystem store's reads of recorded versions and tombstones: the history files
 * (history.ts) under the owner rule of tombstones.ts, completed with the current folder's text
 * when that is newer than the last recorded entry.
 */

const now = (): string => new Date().toISOString();

/**
 * Every recorded version of `id` (with or without texts and files), oldest first. `rec` is the
 * live skill's record, undefined for a deleted or unknown id.
 */
export async function readHistory(history: HistoryStore, folders: SkillFolders, id: string, rec: Rec | undefined, withFiles: boolean): Promise<VersionEntry[]> {
  const entries = ownersEntries(await history.list(id, { files: withFiles }), rec?.skill.owner);
  if (!rec) return entries;
  // The current version is normally the newest entry; a file edited by hand, loaded from a bank
  // or normalized since is appended (unsaved) so callers always see the current text too.
  const text = await folders.readSkillMd(rec.relDir);
  if (text !== undefined && entries[entries.length - 1]?.skillMd !== text) {
    const files: Record<string, string> = {};
    if (withFiles) for (const [rel, bytes] of await folders.readResources(rec.relDir)) files[rel] = Buffer.from(bytes).toString('base64');
    const current: VersionEntry = { version: rec.skill.version, owner: rec.skill.owner, at: rec.skill.updatedAt ?? now(), skillMd: text, files };
    if (rec.skill.source) current.source = rec.skill.source;
    entries.push(current);
  }
  return entries;
}

/** Deleted skills with their owner (tombstones), newest first; `isLive` ids are not deleted. */
export async function deletedSkills(history: HistoryStore, isLive: (id: string) => boolean): Promise<DeletedSkill[]> {
  const out: DeletedSkill[] = [];
  for (const s of await history.summaries()) {
    if (!s.deletedAt || !s.owner || isLive(s.id)) continue;
    const entry: DeletedSkill = { id: s.id, owner: s.owner, version: s.version ?? '', deletedAt: s.deletedAt };
    if (s.deletedSlug) entry.slug = s.deletedSlug;
    const last = await history.last(s.id);
    if (last) Object.assign(entry, describeText(last.skillMd, s.owner));
    out.push(entry);
  }
  return out.sort((a, b) => b.deletedAt.localeCompare(a.deletedAt));
}

/** The tombstone of one deleted id (undefined when it has none or no owner on record). */
export async function deletedSkill(history: HistoryStore, id: string): Promise<DeletedSkill | undefined> {
  const tomb = await history.deleted(id);
  const owner = tomb ? await history.lastOwner(id) : undefined;
  const last = owner ? await history.last(id) : undefined;
  if (!tomb || !owner || !last) return undefined;
  return { id, owner, version: last.version, deletedAt: tomb.at, ...(tomb.slug ? { slug: tomb.slug } : {}), ...describeText(last.skillMd, owner) };
}
