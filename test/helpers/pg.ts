import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cp, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';

/**
 * The PostgreSQL server for tests: AUTOSKILL_TEST_PG_URL (set by .ci/services.sh in CI), or, when
 * it is unset (a developer running vitest directly), the same server started the same way by
 * sourcing .ci/services.sh (start-or-reuse; serialized by a flock across vitest workers). Tests
 * never skip silently: without a server this throws with the script's diagnostics.
 */
export function testPgUrl(): string {
  const preset = process.env.AUTOSKILL_TEST_PG_URL;
  if (preset) return preset;
  const repo = path.resolve(import.meta.dirname, '../..');
  const url = execFileSync('bash', ['-c', 'source .ci/services.sh >&2; printf %s "${AUTOSKILL_TEST_PG_URL:-}"'], {
    cwd: repo,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 180_000,
  }).trim();
  if (!url) throw new Error('PostgreSQL for tests is unavailable: .ci/services.sh could not start it (see its messages above)');
  process.env.AUTOSKILL_TEST_PG_URL = url;
  return url;
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A fresh, empty database on the test server, so test files running in parallel (and the
 * replicas inside one test) never see each other's rows or notifications.
 */
export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const admin = testPgUrl();
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  await adminQuery(admin, `CREATE DATABASE ${name}`);
  const u = new URL(admin);
  u.pathname = '/' + name;
  return {
    url: u.toString(),
    drop: () => adminQuery(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Poll `check` until it returns true (or throw after `timeoutMs`); for cross-replica visibility. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await check()) return Date.now() - start;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Lay out a copy of the skill bank as a filesystem-store root (the bank itself is read-only):
 * `Common/<library>/…` and `Users/<user>/…` as they are, and each `ConvSkill/<dataset>/…` as the
 * library `Common/<dataset>/…`, so every bank skill loads.
 */
export async function layoutBankStoreRoot(bank: string, dest: string): Promise<void> {
  await mkdir(path.join(dest, 'Common'), { recursive: true });
  await cp(path.join(bank, 'Common'), path.join(dest, 'Common'), { recursive: true });
  for (const dataset of await readdir(path.join(bank, 'ConvSkill'))) {
    await cp(path.join(bank, 'ConvSkill', dataset), path.join(dest, 'Common', dataset), { recursive: true });
  }
  await cp(path.join(bank, 'Users'), path.join(dest, 'Users'), { recursive: true });
}
