/**
 * True for `postgres://` and `postgresql://` URLs, the values that select the PostgreSQL
 * backends. Kept apart from index.ts so a CLI can test a `--store` value without loading `pg`.
 */
export function isPostgresUrl(value: string | undefined | null): value is string {
  return typeof value === 'string' && /^postgres(ql)?:\/\//i.test(value.trim());
}
