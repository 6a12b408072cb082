import type { Skill } from '../../skill/schema.js';
import { setSkillMdId } from '../../skill/skill-md.js';
import { mapLimit } from '../scan.js';
import { skillIdProblem } from '../../skill/ids.js';
import { type SkillStore, type VersionEntry } from '../store.js';
import { SkillIdMismatchError, ValidationError } from '../../errors.js';
import { PostgresSkillStore, type SkillRecord } from './store.js';

/**
 * Copy a whole store into another, in either direction (filesystem ⇄ PostgreSQL, or pg → pg):
 * every live skill with its SKILL.md text byte for byte, its resource files and its full version
 * history, plus the history of deleted skills (so they stay restorable). The target keeps the
 * source's ids, slugs and versions. The source is only read; it should be quiet meanwhile
 * (stop writers, or accept that later writes are not copied).
 *
 * A PostgreSQL target gets multi-row batches in one transaction each; any other target goes
 * through the port (`importHistory`, then `put` with the raw text: put sees its version already
 * recorded and adds no duplicate entry).
 */

export interface MigrateOptions {
  /** skills per batch (default 250) */
  batchSize?: number;
  /** source reads in flight (default 8; reads are independent, writes stay in order) */
  readConcurrency?: number;
  onProgress?(done: number, total: number): void;
}

export interface MigrateReport {
  /** live skills copied */
  skills: number;
  /** deleted skills whose history was copied */
  deleted: number;
  historyEntries: number;
  resourceFiles: number;
  /**
   * Skills whose SKILL.md had no id of its own and had to get one written in, because the target
   * derives fallback ids differently (e.g. from a different folder layout).
   */
  idsWritten: string[];
}

export async function migrateStore(from: SkillStore, to: SkillStore, opts: MigrateOptions = {}): Promise<MigrateReport> {
  // Every store imports history verbatim (importHistory is part of the port).
  const target = to;
  const batchSize = Math.max(1, opts.batchSize ?? 250);
  const conc = Math.max(1, opts.readConcurrency ?? 8);
  const live = await from.list();
  // Ids are checked at this door too: a skill the target's routes could not address is refused
  // up front (nothing is written), with the fix.
  const bad = live.filter((s) => skillIdProblem(s.id) !== undefined);
  if (bad.length) {
    const list = bad.slice(0, 10).map((s) => JSON.stringify(s.id)).join(', ');
    throw new ValidationError(
      `${bad.length} skill id(s) cannot be addressed by the API (${list}${bad.length > 10 ? ', ...' : ''}): run autoskill normalize-ids on the source first`,
    );
  }
  const liveIds = new Set(live.map((s) => s.id));
  const deletedIds = (await from.historyIds()).filter((id) => !liveIds.has(id));
  const report: MigrateReport = { skills: 0, deleted: 0, historyEntries: 0, resourceFiles: 0, idsWritten: [] };
  const total = live.length + deletedIds.length;

  for (let i = 0; i < live.length; i += batchSize) {
    const batch = live.slice(i, i + batchSize);
    const read = await mapLimit(batch, conc, async (skill) => ({
      record: await readRecord(from, skill),
      history: { id: skill.id, entries: await from.history(skill.id) },
    }));
    const records = read.map((r) => r.record);
    const histories = read.map((r) => r.history);
    if (target instanceof PostgresSkillStore) {
      await target.importRecords(records, histories);
    } else {
      for (let j = 0; j < records.length; j++) await putViaPort(target, records[j]!, histories[j]!.entries, report);
    }
    report.skills += records.length;
    report.resourceFiles += records.reduce((n, r) => n + Object.keys(r.files).length, 0);
    report.historyEntries += histories.reduce((n, h) => n + h.entries.length, 0);
    opts.onProgress?.(report.skills, total);
  }

  for (let i = 0; i < deletedIds.length; i += batchSize) {
    const read = await mapLimit(deletedIds.slice(i, i + batchSize), conc, async (id) => ({ id, entries: await from.history(id) }));
    const histories = read.filter((h) => h.entries.length > 0);
    if (target instanceof PostgresSkillStore) await target.importRecords([], histories);
    else for (const h of histories) await target.importHistory(h.id, h.entries);
    report.deleted += histories.length;
    report.historyEntries += histories.reduce((n, h) => n + h.entries.length, 0);
    opts.onProgress?.(report.skills + report.deleted, total);
  }
  return report;
}

async function readRecord(from: SkillStore, skill: Skill): Promise<SkillRecord> {
  const skillMd = Buffer.from(await from.readResource(skill.id, 'SKILL.md')).toString('utf8');
  const files: Record<string, Uint8Array> = {};
  for (const rel of skill.resources) files[rel] = await from.readResource(skill.id, rel);
  return { skill, skillMd, files };
}

async function putViaPort(to: SkillStore, rec: SkillRecord, history: VersionEntry[], report: MigrateReport): Promise<void> {
  await to.importHistory(rec.skill.id, history);
  const existing = await to.get(rec.skill.id);
  const removeFiles = existing ? existing.resources.filter((r) => !(r in rec.files)) : [];
  const put = (text: string) => to.put(rec.skill, { rawSkillMd: text, files: rec.files, ...(removeFiles.length ? { removeFiles } : {}) });
  try {
    await put(rec.skillMd);
  } catch (err) {
    // A file without its own id loads with a fallback id derived from its location; when the
    // target would derive a different one, the id has to be written into the text.
    if (!SkillIdMismatchError.isInstance(err)) throw err;
    await put(setSkillMdId(rec.skillMd, rec.skill.id));
    report.idsWritten.push(rec.skill.id);
  }
}
