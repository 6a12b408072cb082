import { createHash } from 'node:crypto';
import { OwnerSchema, type SkillSource } from '../../skill/schema.js';
import type { VersionEntry } from '../store.js';
import type { SqlQueryable } from './db.js';

/**
 * The PostgreSQL store's row-level SQL that needs no store state: content-addressed blobs, history
 * entries (append with de-duplication and pruning, bulk replace for migrations), change
 * notifications, and history rows back to VersionEntry.
 */

export const CHANNEL = 'autoskill_changes';
export const PAGE = 2000;
export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const nowIso = (): string => new Date().toISOString();

export interface HistoryRow {
  seq: number;
  version: string;
  owner: string | null;
  at: string;
  source: SkillSource | null;
  skill_md: string;
  files: Record<string, string> | null;
}

export interface NewVersion {
  version: string;
  owner: string | null;
  at: string;
  source?: SkillSource | undefined;
  skillMd: string;
  /** path → blob hash; undefined: resources not recorded */
  files: Map<string, string> | undefined;
}

/** Append a history entry unless it equals the newest one; prune beyond maxHistory. */
export async function recordVersion(tx: SqlQueryable, id: string, v: NewVersion, maxHistory: number): Promise<void> {
  const files = v.files ? Object.fromEntries([...v.files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : undefined;
  const last = (
    await tx.query<{ seq: number; version: string; skill_md: string; files: Record<string, string> | null }>(
      'SELECT seq, version, skill_md, files FROM autoskill_history WHERE skill_id = $1 ORDER BY seq DESC LIMIT 1',
      [id],
    )
  ).rows[0];
  if (last && last.version === v.version && last.skill_md === v.skillMd && sameFiles(last.files ?? undefined, files)) return;
  const seq = (last?.seq ?? 0) + 1;
  await tx.query(
    `INSERT INTO autoskill_history (skill_id, seq, version, owner, at, source, skill_md, files)
     VALUES ($1, $2, $3, $4, $5, $6::json, $7, $8::json)`,
    [id, seq, v.version, v.owner, v.at, v.source ? JSON.stringify(v.source) : null, v.skillMd, files ? JSON.stringify(files) : null],
  );
  if (seq > maxHistory) {
    await tx.query('DELETE FROM autoskill_history WHERE skill_id = $1 AND seq <= $2', [id, seq - maxHistory]);
  }
}

export async function importHistoryRows(tx: SqlQueryable, items: Array<{ id: string; entries: VersionEntry[] }>): Promise<void> {
  const ids = items.map((i) => i.id);
  await tx.query('DELETE FROM autoskill_history WHERE skill_id = ANY($1::text[])', [ids]);
  const blobs = new Map<string, Uint8Array>();
  const cols = { id: [] as string[], seq: [] as number[], version: [] as string[], owner: [] as (string | null)[], at: [] as string[] };
  const more = { source: [] as (string | null)[], md: [] as string[], files: [] as (string | null)[] };
  for (const { id, entries } of items) {
    entries.forEach((e, i) => {
      let files: Record<string, string> | undefined;
      if (e.files) {
        files = {};
        for (const [p, b64] of Object.entries(e.files)) {
          const bytes = new Uint8Array(Buffer.from(b64, 'base64'));
          const hash = sha256(bytes);
          blobs.set(hash, bytes);
          files[p] = hash;
        }
      }
      cols.id.push(id);
      cols.seq.push(i + 1);
      cols.version.push(e.version);
      cols.owner.push(e.owner ?? null);
      cols.at.push(e.at);
      more.source.push(e.source ? JSON.stringify(e.source) : null);
      more.md.push(e.skillMd);
      more.files.push(files ? JSON.stringify(files) : null);
    });
  }
  await insertBlobs(tx, [...blobs].map(([hash, bytes]) => ({ hash, bytes })));
  for (let i = 0; i < cols.id.length; i += PAGE) {
    const s = (a: unknown[]) => a.slice(i, i + PAGE);
    await tx.query(
      `INSERT INTO autoskill_history (skill_id, seq, version, owner, at, source, skill_md, files)
       SELECT u.id, u.seq, u.version, u.owner, u.at, u.source::json, u.md, u.files::json
         FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
           AS u(id, seq, version, owner, at, source, md, files)`,
      [s(cols.id), s(cols.seq), s(cols.version), s(cols.owner), s(cols.at), s(more.source), s(more.md), s(more.files)],
    );
  }
  // Ids with history but no live row are deleted skills: record them as such.
  await tx.query(
    `INSERT INTO autoskill_deleted (skill_id, at)
     SELECT u.id, u.at FROM unnest($1::text[], $2::text[]) AS u(id, at)
      WHERE NOT EXISTS (SELECT 1 FROM autoskill_skills s WHERE s.id = u.id)
     ON CONFLICT (skill_id) DO NOTHING`,
    [ids, items.map((i) => i.entries[i.entries.length - 1]?.at ?? nowIso())],
  );
}

export async function insertBlobs(tx: SqlQueryable, blobs: Array<{ hash: string; bytes: Uint8Array }>): Promise<void> {
  const seen = new Set<string>();
  const unique = blobs.filter((b) => !seen.has(b.hash) && seen.add(b.hash));
  // Bounded by bytes as well as rows: a statement carries its parameters in memory.
  let i = 0;
  while (i < unique.length) {
    let bytes = 0;
    let j = i;
    while (j < unique.length && (j === i || (j - i < PAGE && bytes + unique[j]!.bytes.byteLength < 16 * 1024 * 1024))) {
      bytes += unique[j]!.bytes.byteLength;
      j++;
    }
    const part = unique.slice(i, j);
    await tx.query(
      `INSERT INTO autoskill_blobs (hash, content) SELECT * FROM unnest($1::text[], $2::bytea[]) ON CONFLICT (hash) DO NOTHING`,
      [part.map((b) => b.hash), part.map((b) => Buffer.from(b.bytes.buffer, b.bytes.byteOffset, b.bytes.byteLength))],
    );
    i = j;
  }
}

export async function notify(tx: SqlQueryable, msg: { i: string; r: number; d?: 1 } | { x: 1 }): Promise<void> {
  await tx.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify(msg)]);
}

export function toEntry(r: HistoryRow, blobs: Map<string, string>): VersionEntry {
  const e: VersionEntry = { version: r.version, at: r.at, skillMd: r.skill_md };
  if (r.owner) e.owner = OwnerSchema.parse(r.owner);
  if (r.source) e.source = r.source;
  if (r.files) {
    const files: Record<string, string> = {};
    for (const [p, hash] of Object.entries(r.files)) {
      const b64 = blobs.get(hash);
      if (b64 !== undefined) files[p] = b64;
    }
    e.files = files;
  }
  return e;
}

function sameFiles(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  if (!a || !b) return a === b;
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}
