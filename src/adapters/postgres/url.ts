/** `postgres://` detection without loading `pg` (the CLI checks `--store` with it before choosing a backend). */
export { isPostgresUrl } from '../../engine/store/postgres/url.js';
