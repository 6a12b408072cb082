/**
 * The user a request, a session or a command belongs to when nothing names one. One constant for
 * every surface (`serve` and the web page in trusted mode, `chat`, `mcp`, `list`/`search`, the
 * adapters): a skill learned in the page must show up in `autoskill list` without `--user`.
 * Kept free of imports so the browser bundle can use it too.
 */
export const DEFAULT_USER_ID = 'default';
