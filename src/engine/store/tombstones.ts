import type { Owner } from '../skill/schema.js';
import { parseSkillMd } from '../skill/skill-md.js';
import type { VersionEntry } from './store.js';

/**
 * Tombstone helpers shared by the filesystem and PostgreSQL stores. A deleted skill's history
 * stays, with its owner, so that only that owner can list and restore it, and its id is never
 * handed to another owner (the stores refuse such a put).
 */

/**
 * The versions `owner` may see: entries written under that owner, plus entries that predate
 * owner records. Without a current owner (deleted skill) the last recorded owner counts.
 */
export function ownersEntries(entries: VersionEntry[], current: Owner | undefined): VersionEntry[] {
  const owner = current ?? entries.findLast((e) => e.owner)?.owner;
  if (!owner) return entries;
  return entries.filter((e) => !e.owner || e.owner === owner);
}

/** Name and description of a stored SKILL.md text, for listings; empty when it does not parse. */
export function describeText(skillMd: string, owner: Owner): { name?: string; description?: string } {
  try {
    const { skill } = parseSkillMd(skillMd, { owner, slug: 'deleted', fallbackId: 'deleted' });
    return { name: skill.name, description: skill.description };
  } catch {
    return {};
  }
}
