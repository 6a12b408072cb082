import { z } from 'zod';
import { DEFAULT_USER_ID } from './default-user.js';

/**
 * Who a turn belongs to, by one rule on every surface: the explicit id of the call (AI SDK
 * `providerOptions.autoskill.userId`, LangChain `metadata`/`context` `userId`, the proxy's API key
 * or `user` field, the MCP session's user), else what the surface's resolver reads from the
 * request (`getUserId`), else the configured default. An id that is present but malformed is an
 * error, never a fall back to the shared default user (that would mix two people's skills).
 */

/** An id as text; a number (a database key) is taken as its decimal text. */
export const TurnIdSchema = z.union([z.string().trim().min(1).max(200), z.number().finite().transform(String)]);

export type UserResolution = { ok: true; userId: string } | { ok: false; error: string };

export interface UserSources {
  /** the id the call names explicitly (already read from the request; may be malformed) */
  explicit?: unknown;
  /** the surface's resolver over the request (`getUserId`); may throw */
  fromRequest?: () => unknown;
  /** the configured default (default DEFAULT_USER_ID, `default`) */
  fallback?: string;
}

function check(v: unknown, what: string): UserResolution | undefined {
  if (v === undefined || v === null) return undefined;
  const parsed = TurnIdSchema.safeParse(v);
  return parsed.success ? { ok: true, userId: parsed.data } : { ok: false, error: `invalid user id from ${what}` };
}

export function resolveUser(sources: UserSources): UserResolution {
  const explicit = check(sources.explicit, 'the request');
  if (explicit) return explicit;
  if (sources.fromRequest) {
    let v: unknown;
    try {
      v = sources.fromRequest();
    } catch (err) {
      return { ok: false, error: `getUserId failed: ${err instanceof Error ? err.message : String(err)}` };
    }
    const resolved = check(v, 'getUserId');
    if (resolved) return resolved;
  }
  return { ok: true, userId: sources.fallback ?? DEFAULT_USER_ID };
}
