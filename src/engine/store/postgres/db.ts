import pg from 'pg';

/**
 * The smallest SQL surface the PostgreSQL adapters need. `PgDatabase` implements it over a
 * node-postgres pool; tests implement it over PGlite (WASM PostgreSQL with pgvector), so the
 * schema migrations and the vector store run unchanged on both. Everything a caller reads back
 * is selected as text/int/json in SQL, so the two drivers' type parsers never matter.
 */
export interface SqlQueryable {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: R[]; rowCount?: number | null }>;
}

export interface SqlDatabase extends SqlQueryable {
  /** Run `fn` in one transaction on one connection: COMMIT when it resolves, ROLLBACK when it throws. */
  transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  /**
   * True when a Buffer parameter travels in PostgreSQL's binary format (node-postgres does this),
   * so e.g. a float4[] can be sent pre-encoded instead of as decimal text.
   */
  readonly binaryParams?: boolean;
}

/** Advisory lock namespaces (first int4 of the two-key form): "ASKL", "ASKM", "ASKS" in ASCII. */
export const LOCK_NS_KEYS = 0x41534b4c;
export const LOCK_NS_MIGRATIONS = 0x41534b4d;
export const LOCK_NS_SLUGS = 0x41534b53;

export interface PgDatabaseOptions {
  /** postgres://user:pass@host:port/db?sslmode=... */
  url: string;
  /** connections in the main pool; default 10 */
  max?: number;
  /** shown in pg_stat_activity; default "autoskill" */
  applicationName?: string;
}

/**
 * A node-postgres pool shared by the store, the vector store and the job journal of one process.
 * Reference counted: each component that owns a lifecycle (`open`/`close`) retains it, and the
 * pool ends when the last one releases, so closing the SDK facade does not pull the connection
 * from under a job worker that is still draining. Idle connections never keep the process alive.
 */
export class PgDatabase implements SqlDatabase {
  readonly binaryParams = true;
  readonly pool: pg.Pool;
  readonly config: pg.PoolConfig;
  private refs = 0;
  private ended = false;

  constructor(opts: PgDatabaseOptions) {
    this.config = {
      connectionString: opts.url,
      application_name: opts.applicationName ?? 'autoskill',
      allowExitOnIdle: true,
    };
    this.pool = new pg.Pool({ ...this.config, max: opts.max ?? 10 });
    // An idle client that loses its connection (server restart) emits here; without a listener
    // node would crash. The pool drops the client and the next query opens a fresh one.
    this.pool.on('error', () => undefined);
  }

  async query<R = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<{ rows: R[]; rowCount: number | null }> {
    const res = await this.pool.query(text, params);
    return { rows: res.rows as R[], rowCount: res.rowCount };
  }

  async transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    return runTransaction(client, fn);
  }

  /** A connection outside the pool (LISTEN, long-held locks), with the same settings. */
  newClient(): pg.Client {
    return new pg.Client(this.config);
  }

  retain(): void {
    if (this.ended) throw new Error('PgDatabase already ended');
    this.refs++;
  }

  async release(): Promise<void> {
    if (this.refs > 0) this.refs--;
    if (this.refs === 0 && !this.ended) await this.end();
  }

  async end(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.pool.end();
  }
}

/** BEGIN/COMMIT on a pooled client; a client whose ROLLBACK failed is destroyed, not reused. */
export async function runTransaction<T>(client: pg.PoolClient, fn: (tx: SqlQueryable) => Promise<T>): Promise<T> {
  const tx: SqlQueryable = {
    query: async <R>(text: string, params: unknown[] = []) => {
      const res = await client.query(text, params);
      return { rows: res.rows as R[], rowCount: res.rowCount };
    },
  };
  let broken: unknown;
  try {
    await client.query('BEGIN');
    const out = await fn(tx);
    await client.query('COMMIT');
    return out;
  } catch (err) {
    await client.query('ROLLBACK').catch((e: unknown) => (broken = e));
    throw err;
  } finally {
    client.release(broken instanceof Error ? broken : undefined);
  }
}

/** A SQL string literal (standard_conforming_strings is on in every supported server). */
export function sqlLiteral(value: string): string {
  if (value.includes('\u0000')) throw new Error('NUL byte in SQL literal');
  return `'${value.replace(/'/g, "''")}'`;
}

/** node-postgres returns int8 as a string; our counters fit a double. */
export function toNumber(v: unknown): number {
  return typeof v === 'number' ? v : Number(v);
}

export function isPgError(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}
