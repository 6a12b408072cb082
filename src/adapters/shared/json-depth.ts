/**
 * A nesting limit for JSON bodies, checked on the raw bytes before parsing, so no schema,
 * handler or library ever recurses into hostile nesting. Used by the Express body parser and
 * the MCP HTTP handler (which must not depend on Express).
 */

/** Deepest JSON nesting any body may have: real requests (tool schemas included) stay far below. */
export const MAX_JSON_DEPTH = 100;

/** Why `buf` (JSON text) nests too deeply, or undefined. One pass over the bytes; strings skipped. */
export function jsonDepthProblem(buf: Uint8Array, max = MAX_JSON_DEPTH): string | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i]!;
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return `JSON body nests deeper than ${max} levels`;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return undefined;
}
