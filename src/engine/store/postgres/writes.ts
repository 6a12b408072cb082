import { OwnerSchema, type Owner, type Skill } from '../../skill/schema.js';
import type { VersionEntry } from '../store.js';
import { planWrite, slugBase, type StoreLimits, type WriteRequest } from '../write-plan.js';
import { LOCK_NS_SLUGS, toNumber, type SqlQueryable } from './db.js';
import { importHistoryRows, insertBlobs, notify, PAGE, recordVersion, sha256 } from './rows.js';

/**
 * The PostgreSQL store's write transactions: each reads the current rows it needs (locked),
 * commits the shared write plan (write-plan.ts) or the delete/import, records history and NOTIFYs
 * the other replicas, all inside the caller's transaction. The store runs them and applies the
 * result to its memory after COMMIT.
 */

/** One skill with everything needed to recreate it elsewhere (migrations). */
export interface SkillRecord {
  skill: Skill;
  /** the current SKILL.md text, verbatim */
  skillMd: string;
  /** current resource files */
  files: Record<string, Uint8Array>;
}

const nowIso = (): string => new Date().toISOString();

/** Read what the write plan needs (rows locked), plan, and commit the plan in this transaction. */
export async function putTx(tx: SqlQueryable, req: WriteRequest, adds: Map<string, { hash: string; bytes: Uint8Array }>, limits: StoreLimits): Promise<{ stored: Skill; rev: number }> {
  const { input, opts } = req;
  const existing = (
    await tx.query<{ owner: string; slug: string; version: string; skill: Skill; skill_md: string }>(
      'SELECT owner, slug, version, skill, skill_md FROM autoskill_skills WHERE id = $1 FOR UPDATE',
      [input.id],
    )
  ).rows[0];
  const prevFiles = new Map<string, string>();
  if (existing) {
    const { rows } = await tx.query<{ path: string; hash: string }>('SELECT path, hash FROM autoskill_resources WHERE skill_id = $1', [input.id]);
    for (const r of rows) prevFiles.set(r.path, r.hash);
  }
  const heldBy = existing
    ? undefined
    : (
        await tx.query<{ owner: Owner }>('SELECT owner FROM autoskill_history WHERE skill_id = $1 AND owner IS NOT NULL ORDER BY seq DESC LIMIT 1', [
          input.id,
        ])
      ).rows[0]?.owner;
  const needsSlug = !existing || existing.owner !== input.owner;
  const taken = needsSlug ? await takenSlugs(tx, input, opts.rawSkillMd !== undefined, opts.preferredSlug) : new Set<string>();
  const byHash = new Map([...adds.values()].map((a) => [a.hash, a] as const));
  const plan = planWrite<string>(
    req,
    {
      ...(existing
        ? { existing: { skill: { ...existing.skill, owner: OwnerSchema.parse(existing.owner), version: existing.version }, slug: existing.slug, skillMd: existing.skill_md, files: prevFiles } }
        : { heldBy }),
      slugTaken: (name) => taken.has(name),
    },
    (bytes) => sha256(bytes),
    limits,
    nowIso(),
  );
  const { stored, text, slug } = plan;

  // Normally already the newest history entry; recorded here if it is not (imported rows).
  if (plan.previous) await recordVersion(tx, input.id, plan.previous, limits.maxHistory);
  if (adds.size) await insertBlobs(tx, [...byHash.values()]);
  // A plain INSERT for a new id (no ON CONFLICT): if another writer created the same id since
  // our read, the unique violation sends us round again to treat it as the update it is.
  const values = [stored.id, stored.owner, slug, stored.version, JSON.stringify(stored), text];
  const { rows } = existing
    ? await tx.query<{ rev: string }>(
        `UPDATE autoskill_skills SET owner = $2, slug = $3, version = $4, skill = $5::json, skill_md = $6,
           rev = nextval('autoskill_rev_seq'), updated_at = now()
         WHERE id = $1 RETURNING rev`,
        values,
      )
    : await tx.query<{ rev: string }>(
        `INSERT INTO autoskill_skills (id, owner, slug, version, skill, skill_md, rev)
         VALUES ($1, $2, $3, $4, $5::json, $6, nextval('autoskill_rev_seq')) RETURNING rev`,
        values,
      );
  const rev = toNumber(rows[0]!.rev);
  if (plan.gone.length) await tx.query('DELETE FROM autoskill_resources WHERE skill_id = $1 AND path = ANY($2::text[])', [stored.id, plan.gone]);
  if (adds.size) {
    await tx.query(
      `INSERT INTO autoskill_resources (skill_id, path, hash)
       SELECT $1, u.path, u.hash FROM unnest($2::text[], $3::text[]) AS u(path, hash)
       ON CONFLICT (skill_id, path) DO UPDATE SET hash = excluded.hash`,
      [stored.id, [...adds.keys()], [...adds.values()].map((a) => a.hash)],
    );
  }
  await recordVersion(tx, stored.id, plan.next, limits.maxHistory);
  await tx.query('DELETE FROM autoskill_deleted WHERE skill_id = $1', [stored.id]);
  await notify(tx, { i: stored.id, r: rev });
  return { stored, rev };
}

/**
 * The slugs the write plan could pick that are taken under the owner: those sharing the base's
 * first 32 characters (every `<base>-N` candidate does) and the preferred one.
 */
async function takenSlugs(tx: SqlQueryable, skill: Skill, raw: boolean, preferred?: string): Promise<Set<string>> {
  const base = slugBase(skill, raw);
  // New skills of one owner pick slugs one transaction at a time (released at COMMIT), so
  // concurrent creators see each other's choice instead of colliding on the unique index.
  await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_NS_SLUGS, skill.owner]);
  const prefix = base.slice(0, 32).replace(/[\\%_]/g, (c) => '\\' + c);
  const { rows } = await tx.query<{ slug: string }>('SELECT slug FROM autoskill_skills WHERE owner = $1 AND (slug LIKE $2 OR slug = $3)', [
    skill.owner,
    prefix + '%',
    preferred ?? '',
  ]);
  return new Set(rows.map((r) => r.slug));
}

/** Record the current version, remove the row, leave a tombstone, notify. Undefined: no such row. */
export async function deleteTx(tx: SqlQueryable, id: string, maxHistory: number): Promise<{ rev: number } | undefined> {
  const row = (
    await tx.query<{ owner: string; slug: string; version: string; skill: Skill; skill_md: string }>(
      'SELECT owner, slug, version, skill, skill_md FROM autoskill_skills WHERE id = $1 FOR UPDATE',
      [id],
    )
  ).rows[0];
  if (!row) return undefined;
  const { rows: res } = await tx.query<{ path: string; hash: string }>('SELECT path, hash FROM autoskill_resources WHERE skill_id = $1', [id]);
  await recordVersion(tx, id, {
    version: row.version,
    owner: row.owner,
    at: row.skill.updatedAt ?? nowIso(),
    source: row.skill.source,
    skillMd: row.skill_md,
    files: new Map(res.map((r) => [r.path, r.hash])),
  }, maxHistory);
  await tx.query('DELETE FROM autoskill_skills WHERE id = $1', [id]);
  await tx.query(
    `INSERT INTO autoskill_deleted (skill_id, at, slug) VALUES ($1, $2, $3) ON CONFLICT (skill_id) DO UPDATE SET at = excluded.at, slug = excluded.slug`,
    [id, nowIso(), row.slug],
  );
  const rev = toNumber((await tx.query<{ r: string }>(`SELECT nextval('autoskill_rev_seq') AS r`)).rows[0]!.r);
  await notify(tx, { i: id, r: rev, d: 1 });
  return { rev };
}

/**
 * The bulk write of importRecords in one transaction: skills (verbatim SKILL.md, the given Skill
 * objects, resources) and full histories with multi-row statements, then one "re-sync"
 * notification instead of one per skill. Returns each written id's new rev.
 */
export async function importRecordsTx(tx: SqlQueryable, records: SkillRecord[], skills: Skill[], histories: Array<{ id: string; entries: VersionEntry[] }>): Promise<Map<string, number>> {
  const revs = new Map<string, number>();
  if (records.length) {
    const ids = skills.map((s) => s.id);
    const { rows } = await tx.query<{ id: string; rev: string }>(
      `INSERT INTO autoskill_skills (id, owner, slug, version, skill, skill_md, rev)
       SELECT u.id, u.owner, u.slug, u.version, u.skill::json, u.md, nextval('autoskill_rev_seq')
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS u(id, owner, slug, version, skill, md)
       ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, slug = excluded.slug, version = excluded.version,
         skill = excluded.skill, skill_md = excluded.skill_md, rev = excluded.rev, updated_at = now()
       RETURNING id, rev`,
      [ids, skills.map((s) => s.owner), skills.map((s) => s.slug), skills.map((s) => s.version), skills.map((s) => JSON.stringify(s)), records.map((r) => r.skillMd)],
    );
    for (const r of rows) revs.set(r.id, toNumber(r.rev));
    await tx.query('DELETE FROM autoskill_resources WHERE skill_id = ANY($1::text[])', [ids]);
    await tx.query('DELETE FROM autoskill_deleted WHERE skill_id = ANY($1::text[])', [ids]);
    const res = records.flatMap((r) => Object.entries(r.files).map(([path, bytes]) => ({ id: r.skill.id, path, hash: sha256(bytes), bytes })));
    await insertBlobs(tx, res);
    for (let i = 0; i < res.length; i += PAGE) {
      const part = res.slice(i, i + PAGE);
      await tx.query(
        `INSERT INTO autoskill_resources (skill_id, path, hash)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[])`,
        [part.map((x) => x.id), part.map((x) => x.path), part.map((x) => x.hash)],
      );
    }
  }
  if (histories.length) await importHistoryRows(tx, histories);
  await notify(tx, { x: 1 });
  return revs;
}
