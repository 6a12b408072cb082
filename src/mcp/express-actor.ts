import type { IncomingMessage } from 'node:http';
import type { Request } from 'express';
import { presentedKey, resolveActor, type KeyRing } from '../adapters/express/auth.js';
import { DEFAULT_USER_ID, type Actor } from '../engine/index.js';

/**
 * The user of an MCP request under the same rules as the REST API of `autoskill serve`: with API
 * keys the key alone decides (Authorization: Bearer / X-Api-Key); without keys the caller names
 * the user (X-AutoSkill-User or ?user=, else the default user). Kept out of index.ts so that
 * `autoskill/mcp` does not pull in the Express adapter.
 */
export function expressActorResolver(opts: {
  keys?: KeyRing | undefined;
  defaultUser?: string | undefined;
  trustedAdmin?: boolean;
}): (req: IncomingMessage) => Actor | undefined {
  return (req) => {
    const r = req as Request;
    if (opts.keys) {
      const key = presentedKey(r);
      const id = key ? opts.keys.lookup(key) : undefined;
      return id ? { userId: id.user, admin: id.admin } : undefined;
    }
    return resolveActor(r, { mode: 'trusted' }, undefined, {
      defaultUser: opts.defaultUser ?? DEFAULT_USER_ID,
      admin: opts.trustedAdmin ?? false,
    });
  };
}
