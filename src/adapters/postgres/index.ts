/**
 * The `autoskill/postgres` package entry point. The PostgreSQL backend lives beside the
 * filesystem one under src/engine/store/postgres/; `postgresBackends(url)` (package root) is the
 * preset most callers want. Importing this module loads `pg`.
 */
export * from '../../engine/store/postgres/index.js';
