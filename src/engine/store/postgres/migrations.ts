import { LOCK_NS_MIGRATIONS, type SqlDatabase, type SqlQueryable } from './db.js';

/**
 * Versioned schema migrations, recorded in `autoskill_migrations`.
 *
 * All pending migrations run in ONE transaction that first takes a transaction-scoped advisory
 * lock: replicas that start together queue on the lock, the first one migrates, the others then
 * find every version recorded and do nothing. A failure rolls the whole batch back (PostgreSQL
 * DDL is transactional), so a half-migrated schema is never visible. Migrations are append-only:
 * never edit a released one, add a new version.
 */

export type VectorMode = 'auto' | 'array' | 'pgvector';

export interface MigrationOptions {
  /**
   * How embeddings are stored, decided once when the vectors table is created:
   * `auto` (default) uses the pgvector `vector` type when the extension is available and can be
   * created, else `real[]`; `array` always uses `real[]`; `pgvector` fails without the extension.
   */
  vectors?: VectorMode;
}

export interface Migration {
  version: number;
  name: string;
  /** Returns a note for the record (e.g. which vector layout was chosen). */
  up(tx: SqlQueryable, opts: Required<MigrationOptions>): Promise<string | void>;
}

/** One statement per query: the extended protocol (and PGlite's `query`) takes one at a time. */
const sql =
  (text: string) =>
  async (tx: SqlQueryable): Promise<void> => {
    for (const stmt of splitStatements(text)) await tx.query(stmt);
  };

/** Split on `;` at line ends; our migration SQL has no semicolons inside strings or bodies. */
function splitStatements(text: string): string[] {
  return text
    .split(/;\s*(?:--[^\n]*)?\n/)
    .map((s) => s.trim())
    .filter((s) => s.replace(/--[^\n]*/g, '').trim().length > 0);
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'skills, resources, history, usage',
    up: sql(`
      -- Bumped by every write; a replica compares it with its cached copy to skip stale news.
      CREATE SEQUENCE autoskill_rev_seq;

      CREATE TABLE autoskill_skills (
        id         text PRIMARY KEY,
        owner      text NOT NULL,
        slug       text NOT NULL,
        version    text NOT NULL,
        skill      json NOT NULL,   -- the Skill object (json keeps key order; jsonb would sort metadata)
        skill_md   text NOT NULL,   -- the SKILL.md text as a file would hold it
        rev        bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT autoskill_skills_owner_slug UNIQUE (owner, slug)
      );

      -- File contents, content-addressed (sha256 hex): current resources and every version in
      -- the history point here, so an unchanged file costs nothing per version.
      CREATE TABLE autoskill_blobs (
        hash    text PRIMARY KEY,
        content bytea NOT NULL
      );

      -- The current resource files of each live skill.
      CREATE TABLE autoskill_resources (
        skill_id text NOT NULL REFERENCES autoskill_skills (id) ON DELETE CASCADE,
        path     text NOT NULL,
        hash     text NOT NULL,
        PRIMARY KEY (skill_id, path)
      );

      -- Every version of every skill, oldest first by seq; outlives the skill (deletes keep it).
      CREATE TABLE autoskill_history (
        skill_id      text NOT NULL,
        seq           integer NOT NULL,
        version       text NOT NULL,
        owner         text,
        at            text NOT NULL,  -- kept verbatim (ISO text), so migrations copy it exactly
        source        json,
        skill_md      text NOT NULL,
        files         json,           -- resource path -> blob hash; NULL when not recorded
        files_omitted text,
        PRIMARY KEY (skill_id, seq)
      );

      CREATE TABLE autoskill_deleted (
        skill_id text PRIMARY KEY,
        at       text NOT NULL
      );

      CREATE TABLE autoskill_usage (
        skill_id text NOT NULL,
        user_id  text NOT NULL DEFAULT '',
        event    text NOT NULL,
        count    bigint NOT NULL DEFAULT 0,
        last_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (skill_id, user_id, event)
      );
    `),
  },
  {
    version: 2,
    name: 'jobs',
    up: sql(`
      CREATE TABLE autoskill_jobs (
        id           text PRIMARY KEY,
        seq          bigserial,       -- FIFO tie-break for equal created_at
        user_id      text NOT NULL,
        kind         text NOT NULL,
        state        text NOT NULL CHECK (state IN ('scheduled', 'running', 'completed', 'failed')),
        payload      json,
        created_at   timestamptz NOT NULL,
        updated_at   timestamptz NOT NULL,
        attempts     integer NOT NULL DEFAULT 0,
        locked_by    text,
        locked_until timestamptz,
        result       json,
        error        text
      );
      -- Claims scan only live jobs; finished ones stay for listing without slowing the queue.
      CREATE INDEX autoskill_jobs_runnable ON autoskill_jobs (created_at, seq) WHERE state IN ('scheduled', 'running');
      CREATE INDEX autoskill_jobs_by_user ON autoskill_jobs (user_id, created_at DESC, seq DESC);
      CREATE INDEX autoskill_jobs_recent ON autoskill_jobs (created_at DESC, seq DESC);
    `),
  },
  {
    version: 3,
    name: 'vectors',
    up: async (tx, opts) => {
      const pgvector = opts.vectors !== 'array' && (await tryCreateVectorExtension(tx));
      if (opts.vectors === 'pgvector' && !pgvector) {
        throw new Error('vectors: "pgvector" was requested but the vector extension is not available on this server');
      }
      // Without a dimension on the column, one table holds every embedder signature; pgvector
      // indexes get a per-signature partial expression index with the fixed dimension instead.
      await tx.query(`
        CREATE TABLE autoskill_vectors (
          signature  text NOT NULL,
          id         text NOT NULL,
          hash       text NOT NULL,
          dims       integer NOT NULL,
          embedding  ${pgvector ? 'vector' : 'real[]'} NOT NULL,
          updated_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (signature, id)
        )`);
      // Embeddings are incompressible floats just above the TOAST threshold: skip the futile
      // compression attempt on every write and the decompression on every read.
      await tx.query('ALTER TABLE autoskill_vectors ALTER COLUMN embedding SET STORAGE EXTERNAL');
      return pgvector ? 'pgvector' : 'real[]';
    },
  },
  {
    version: 4,
    name: 'deleted-slug',
    // The folder name (slug) a deleted skill had, so a restore puts it back under the same name.
    up: sql(`
      ALTER TABLE autoskill_deleted ADD COLUMN slug text;
    `),
  },
];

/** CREATE EXTENSION vector inside a savepoint, so a missing extension or privilege is not fatal. */
async function tryCreateVectorExtension(tx: SqlQueryable): Promise<boolean> {
  const avail = await tx.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'vector'`);
  if (avail.rows.length === 0) return false;
  await tx.query('SAVEPOINT autoskill_vector_ext');
  try {
    await tx.query('CREATE EXTENSION IF NOT EXISTS vector');
    await tx.query('RELEASE SAVEPOINT autoskill_vector_ext');
    return true;
  } catch {
    await tx.query('ROLLBACK TO SAVEPOINT autoskill_vector_ext');
    return false;
  }
}

export interface MigrationResult {
  /** versions applied by this call (empty when the schema was already current) */
  applied: Array<{ version: number; name: string; note?: string }>;
  /** highest version recorded in the database */
  current: number;
}

/** Bring the schema up to date. Safe to call from any number of replicas at once. */
export async function migrate(db: SqlDatabase, opts: MigrationOptions = {}): Promise<MigrationResult> {
  const full: Required<MigrationOptions> = { vectors: opts.vectors ?? 'auto' };
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1, 0)', [LOCK_NS_MIGRATIONS]);
    await tx.query(`
      CREATE TABLE IF NOT EXISTS autoskill_migrations (
        version    integer PRIMARY KEY,
        name       text NOT NULL,
        note       text,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const done = new Set(
      (await tx.query<{ version: number }>('SELECT version FROM autoskill_migrations')).rows.map((r) => Number(r.version)),
    );
    const applied: MigrationResult['applied'] = [];
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      const note = (await m.up(tx, full)) ?? undefined;
      await tx.query('INSERT INTO autoskill_migrations (version, name, note) VALUES ($1, $2, $3)', [m.version, m.name, note ?? null]);
      applied.push({ version: m.version, name: m.name, ...(note ? { note } : {}) });
      done.add(m.version);
    }
    return { applied, current: Math.max(0, ...done) };
  });
}

const ensured = new WeakMap<SqlDatabase, Promise<MigrationResult>>();

/** `migrate` once per database handle (components sharing a pool share the result). */
export function ensureSchema(db: SqlDatabase, opts: MigrationOptions = {}): Promise<MigrationResult> {
  let p = ensured.get(db);
  if (!p) {
    p = migrate(db, opts);
    ensured.set(db, p);
    // A failed attempt (server down) must not poison the handle: the next call retries.
    p.catch(() => ensured.delete(db));
  }
  return p;
}
