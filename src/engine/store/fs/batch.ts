import { lstat, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ConflictError } from '../../errors.js';
import { deterministicId } from '../../skill/ids.js';
import type { Skill } from '../../skill/schema.js';
import { createDirAtomic, type FileMap } from '../atomic.js';
import { joinInside } from '../paths.js';
import { SKILL_MD } from '../scan.js';
import { ownerDirParts, planWrite, type StoreLimits, type WritePlan, type WriteRequest } from '../write-plan.js';
import type { SkillFolders } from './folders.js';
import type { HistoryStore } from './history.js';
import type { FsRecords } from './records.js';
import { classifyDir, sha1, type Rec } from './tree.js';

/**
 * One item of a filesystem write batch (putMany), in two steps: plan it from what is on disk
 * (the shared write plan of write-plan.ts, plus where the folder goes), then commit the plan
 * (history of the old version, the folder, history of the new one). The store runs both under
 * its write lock, publishes the batch's change lines between them, and keeps the batch's claims.
 */

export interface BatchDeps {
  folders: SkillFolders;
  records: FsRecords;
  history: HistoryStore;
  limits: StoreLimits;
}

/** A planned write plus where it goes on disk. */
export interface FsPlan extends WritePlan<Uint8Array> {
  req: WriteRequest;
  existing: Rec | undefined;
  relDir: string;
}

/** Read what the write plan needs and plan it. Caller holds the store lock; nothing is written here. */
export async function planItem(d: BatchDeps, req: WriteRequest, claimed: Set<string>, names: Map<string, Set<string>>, at: string): Promise<FsPlan> {
  const { input, ownerParts } = req;
  if (ownerParts.length === 2 && ownerParts[0] === 'Common' && !claimed.has(`lib:${ownerParts[1]}`)) {
    const libDir = await d.folders.resolve(...ownerParts);
    if (await lstat(path.join(libDir, SKILL_MD)).then(() => true, () => false)) {
      throw new ConflictError(`Common/${ownerParts[1]} is a skill folder, not a library`);
    }
    claimed.add(`lib:${ownerParts[1]}`);
  }
  const rec = d.records.get(input.id);
  const parentRel = ownerParts.join('/');
  // One listing of the owner's folder per batch (kept current as items claim names) instead of
  // one lstat per candidate name.
  let onDisk = names.get(parentRel);
  if (!onDisk) names.set(parentRel, (onDisk = await d.folders.namesIn(ownerParts)));
  const disk = onDisk;
  const plan = planWrite<Uint8Array>(
    req,
    {
      ...(rec
        ? {
            existing: {
              skill: rec.skill,
              slug: rec.relDir.slice(rec.relDir.lastIndexOf('/') + 1),
              skillMd: await d.folders.readSkillMd(rec.relDir),
              files: await d.folders.readResources(rec.relDir),
            },
          }
        : { heldBy: await d.history.lastOwner(input.id) }),
      slugTaken: (name) => disk.has(name) || d.records.holdsDir(`${parentRel}/${name}`) || claimed.has(`dir:${parentRel}/${name}`),
      idWithoutIdLine: (owner, slug) => deterministicId(owner, classifyDir([...ownerDirParts(owner), slug])!.relKey),
    },
    (bytes) => bytes,
    d.limits,
    at,
  );
  const relDir = rec && !plan.moving ? rec.relDir : `${parentRel}/${plan.slug}`;
  disk.add(plan.slug);
  return { ...plan, req, existing: rec, relDir };
}

/** Write one planned change: history of the old version, the folder, history of the new one. */
export async function commitPlan(d: BatchDeps, pl: FsPlan, parents: Set<string>): Promise<Skill> {
  const { input, existing, relDir, slug, text, stored } = pl;
  if (pl.previous) await d.history.append(input.id, pl.previous);
  if (existing) {
    // A new owner means a new place: one rename carries every file along (including any the
    // store could not read), then the usual in-place update applies the change.
    if (pl.moving) await d.folders.move(existing.relDir, pl.req.ownerParts, slug);
    await d.folders.update(relDir, pl.req.adds, pl.req.removals, text);
  } else {
    // An earlier item of this batch checked and created the owner's folder already: one lstat
    // walk and mkdir per owner and batch, not per skill (the store lock is held throughout).
    const known = joinInside(d.folders.root, ...pl.req.ownerParts);
    const parent = parents.has(known) ? known : await d.folders.resolve(...pl.req.ownerParts);
    if (!parents.has(parent)) await mkdir(parent, { recursive: true });
    const files: FileMap = new Map(pl.finalFiles);
    files.set(SKILL_MD, text);
    // The parent is fsynced once for the whole batch (putMany), after every rename into it.
    await createDirAtomic(parent, slug, files, SKILL_MD, { syncParent: false });
    parents.add(parent);
  }

  stored.resources = await d.folders.resourceList(relDir);
  await d.history.append(input.id, pl.next);
  await d.history.clearDeleted(input.id);

  d.records.written({ skill: stored, relDir, hadId: true, hash: sha1(text) }, pl.moving ? existing!.relDir : undefined);
  return structuredClone(stored);
}

