import type { Logger } from '../../logger.js';
import { deterministicId, skillIdProblem } from '../../skill/ids.js';
import { setSkillMdId } from '../../skill/skill-md.js';
import { writeFileAtomic } from '../atomic.js';
import { SKILL_MD } from '../scan.js';
import type { VersionEntry } from '../store.js';
import { verifySkillMd } from '../write-plan.js';
import type { Change } from './changes.js';
import type { SkillFolders } from './folders.js';
import type { HistoryStore } from './history.js';
import type { FsRecords } from './records.js';
import { classifyDir, sha1 } from './tree.js';

/**
 * The filesystem store's explicit id repair (`normalizeIds`): loading never rewrites a file, so a
 * SKILL.md without an id line keeps its deterministic in-memory id until this step writes it in,
 * and an id no route could address (`a/b`, `../x`: such a skill could never be edited or deleted)
 * is replaced by the deterministic id of its folder, carrying its history along.
 */

/** A recorded version as the history file appends it again, unchanged (migration, id repair). */
export function verbatimRecord(e: VersionEntry): Parameters<HistoryStore['append']>[1] {
  return {
    version: e.version,
    at: e.at,
    verbatim: true,
    ...(e.owner ? { owner: e.owner } : {}),
    ...(e.source ? { source: e.source } : {}),
    skillMd: e.skillMd,
    ...(e.files ? { files: new Map(Object.entries(e.files).map(([p, b64]) => [p, new Uint8Array(Buffer.from(b64, 'base64'))])) } : {}),
  };
}

export interface IdRepairContext {
  records: FsRecords;
  folders: SkillFolders;
  history: HistoryStore;
  maxSkillBytes: number;
  logger?: Pick<Logger, 'warn'> | undefined;
  /** append a change line under the next generation (published before the file is written) */
  publish(change: Omit<Change, 'gen'>): Promise<void>;
  /** one SKILL.md rewritten (the parse cache is stale by one more) */
  wrote(): void;
}

export interface IdRepairReport {
  scanned: number;
  changed: number;
  renamed: Array<{ from: string; to: string }>;
}

/** Rewrite the id line of every record that needs it. Caller holds the store lock, caught up. */
export async function repairIds(ctx: IdRepairContext): Promise<IdRepairReport> {
  const { records, folders, history } = ctx;
  let changed = 0;
  const renamed: Array<{ from: string; to: string }> = [];
  for (const rec of records.all()) {
    const bad = skillIdProblem(rec.skill.id);
    if (rec.hadId && !bad) continue;
    const text = await folders.readSkillMd(rec.relDir);
    if (text === undefined) continue;
    const where = classifyDir(rec.relDir.split('/'))!;
    const oldId = rec.skill.id;
    const id = bad ? deterministicId(where.owner, where.relKey) : oldId;
    if (bad && records.has(id)) {
      ctx.logger?.warn('cannot replace an unaddressable id: the replacement is taken', { from: oldId, to: id });
      continue;
    }
    const next = setSkillMdId(text, id);
    // the text must load back as this skill under the store's rule for a file without an id line
    verifySkillMd(next, { ...rec.skill, id }, ctx, deterministicId(where.owner, where.relKey));
    await ctx.publish({ op: 'put', id, owner: rec.skill.owner, dir: rec.relDir, version: rec.skill.version, at: new Date().toISOString() });
    await writeFileAtomic(await folders.abs(rec.relDir, SKILL_MD), next);
    if (bad) {
      for (const e of await history.list(oldId)) await history.append(id, verbatimRecord(e));
      await history.purge(oldId);
      rec.skill = { ...rec.skill, id };
      records.renamed(oldId, rec);
      renamed.push({ from: oldId, to: id });
    }
    rec.hadId = true;
    rec.hash = sha1(next);
    ctx.wrote();
    changed++;
  }
  return { scanned: records.size, changed, renamed };
}
