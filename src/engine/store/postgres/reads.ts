import { OwnerSchema, type Owner, type Skill, type SkillSource } from '../../skill/schema.js';
import { NotFoundError } from '../../errors.js';
import { safeRelPath } from '../paths.js';
import type { DeletedSkill, StoredVersion, VersionEntry } from '../store.js';
import { describeText } from '../tombstones.js';
import type { SqlQueryable } from './db.js';
import { PAGE, toEntry, type HistoryRow } from './rows.js';

/**
 * The PostgreSQL store's reads that go to the database rather than to its memory: recorded
 * versions (with or without their texts and files), resource bytes, and tombstones. They need no
 * store state, only a connection.
 */

const nowIso = (): string => new Date().toISOString();

/** Every recorded version of the current (or last) owner, oldest first, ending with the current text. */
export async function readHistory(db: SqlQueryable, id: string): Promise<VersionEntry[]> {
  const { rows } = await db.query<HistoryRow>('SELECT seq, version, owner, at, source, skill_md, files FROM autoskill_history WHERE skill_id = $1 ORDER BY seq', [id]);
  const cur = (await db.query<{ skill: Skill; skill_md: string }>('SELECT skill, skill_md FROM autoskill_skills WHERE id = $1', [id])).rows[0];
  // Only the current (or last) owner's versions, as in the filesystem store (tombstones.ts).
  const ownerOf = cur?.skill.owner ?? rows.findLast((r) => r.owner)?.owner;
  const ownedRows = ownerOf ? rows.filter((r) => !r.owner || r.owner === ownerOf) : rows;
  const blobs = await readBlobs(db, ownedRows.flatMap((r) => Object.values(r.files ?? {})));
  const entries = ownedRows.map((r) => toEntry(r, blobs));
  // Like the filesystem store: the current version is always the last entry, even for rows
  // written without history (so a caller can always diff against and restore from it).
  if (cur && entries[entries.length - 1]?.skillMd !== cur.skill_md) {
    const { rows: res } = await db.query<{ path: string; content: Buffer }>(
      'SELECT r.path, b.content FROM autoskill_resources r JOIN autoskill_blobs b ON b.hash = r.hash WHERE r.skill_id = $1',
      [id],
    );
    const entry: VersionEntry = {
      version: cur.skill.version,
      owner: cur.skill.owner,
      at: cur.skill.updatedAt ?? nowIso(),
      skillMd: cur.skill_md,
      files: Object.fromEntries(res.map((r) => [r.path, Buffer.from(r.content).toString('base64')])),
    };
    if (cur.skill.source) entry.source = cur.skill.source;
    entries.push(entry);
  }
  return entries;
}

/** The versions readHistory lists, without texts or files. */
export async function readVersions(db: SqlQueryable, id: string): Promise<StoredVersion[]> {
  // Texts are compared by digest inside the database: only versions, owners and times travel.
  const { rows } = await db.query<{ version: string; owner: Owner | null; at: string; source: SkillSource | null; h: string }>(
    'SELECT version, owner, at, source, md5(skill_md) AS h FROM autoskill_history WHERE skill_id = $1 ORDER BY seq',
    [id],
  );
  const cur = (
    await db.query<{ version: string; owner: Owner; at: string | null; source: SkillSource | null; h: string }>(
      "SELECT version, owner, skill->>'updatedAt' AS at, skill->'source' AS source, md5(skill_md) AS h FROM autoskill_skills WHERE id = $1",
      [id],
    )
  ).rows[0];
  // The same owner filter and current-version rule as readHistory().
  const ownerOf = cur?.owner ?? rows.findLast((r) => r.owner)?.owner;
  const owned = ownerOf ? rows.filter((r) => !r.owner || r.owner === ownerOf) : rows;
  const out: StoredVersion[] = owned.map((r) => ({ version: r.version, at: r.at, ...(r.owner ? { owner: r.owner } : {}), ...(r.source ? { source: r.source } : {}) }));
  if (cur && owned[owned.length - 1]?.h !== cur.h) {
    out.push({ version: cur.version, at: cur.at ?? nowIso(), owner: cur.owner, ...(cur.source ? { source: cur.source } : {}) });
  }
  return out;
}

async function readBlobs(db: SqlQueryable, hashes: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const unique = [...new Set(hashes)];
  for (let i = 0; i < unique.length; i += PAGE) {
    const { rows } = await db.query<{ hash: string; content: Buffer }>('SELECT hash, content FROM autoskill_blobs WHERE hash = ANY($1::text[])', [unique.slice(i, i + PAGE)]);
    for (const r of rows) out.set(r.hash, Buffer.from(r.content).toString('base64'));
  }
  return out;
}

/** A current file of a skill: SKILL.md or a resource path (checked). */
export async function readResourceRow(db: SqlQueryable, id: string, rel: string): Promise<Uint8Array> {
  if (rel === 'SKILL.md') {
    const row = (await db.query<{ skill_md: string }>('SELECT skill_md FROM autoskill_skills WHERE id = $1', [id])).rows[0];
    if (!row) throw new NotFoundError(`no skill ${id}`);
    return new Uint8Array(Buffer.from(row.skill_md, 'utf8'));
  }
  safeRelPath(rel);
  const { rows } = await db.query<{ content: Buffer | null }>(
    `SELECT b.content FROM autoskill_skills s
       LEFT JOIN autoskill_resources r ON r.skill_id = s.id AND r.path = $2
       LEFT JOIN autoskill_blobs b ON b.hash = r.hash
      WHERE s.id = $1`,
    [id, rel],
  );
  if (!rows[0]) throw new NotFoundError(`no skill ${id}`);
  if (!rows[0].content) throw new NotFoundError(`not found: ${id}/${rel}`);
  const buf = rows[0].content;
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** Tombstones of deleted skills (one id, or all), newest first, with their last owner. */
export async function queryDeleted(db: SqlQueryable, id?: string): Promise<DeletedSkill[]> {
  const { rows } = await db.query<{ skill_id: string; at: string; slug: string | null; owner: string; version: string; skill_md: string }>(
    `SELECT d.skill_id, d.at, d.slug, h.owner, h.version, h.skill_md
       FROM autoskill_deleted d
       JOIN LATERAL (SELECT owner, version, skill_md FROM autoskill_history
                      WHERE skill_id = d.skill_id AND owner IS NOT NULL ORDER BY seq DESC LIMIT 1) h ON true
      WHERE NOT EXISTS (SELECT 1 FROM autoskill_skills s WHERE s.id = d.skill_id)
        AND ($1::text IS NULL OR d.skill_id = $1)
      ORDER BY d.at DESC`,
    [id ?? null],
  );
  return rows.map((r) => {
    // A text column: the owner is checked on the way in, as every other boundary does.
    const owner = OwnerSchema.parse(r.owner);
    return { id: r.skill_id, owner, version: r.version, deletedAt: r.at, ...(r.slug ? { slug: r.slug } : {}), ...describeText(r.skill_md, owner) };
  });
}

/** Every id with recorded history, including deleted skills. */
export async function historyIdRows(db: SqlQueryable): Promise<string[]> {
  const { rows } = await db.query<{ skill_id: string }>('SELECT DISTINCT skill_id FROM autoskill_history ORDER BY skill_id');
  return rows.map((r) => r.skill_id);
}
