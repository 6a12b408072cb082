import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import { safeUserId, type Actor } from '../../engine/index.js';
import { HttpError } from './errors.js';

/**
 * Who is calling.
 *
 * - **Keyed mode** (API keys configured): the key alone decides the user and admin flag; user
 *   fields in the body or headers are ignored for identity. A missing or unknown key → 401.
 * - **Trusted mode** (no keys): the caller names the user (`?user=`, body `user`, header
 *   `X-AutoSkill-User`, else the default user). Meant for a local process or a gateway that
 *   already authenticated the caller.
 *
 * Keys are compared in constant time: each configured key is stored as its SHA-256 digest and the
 * presented key's digest is compared against all of them with `timingSafeEqual`, without an
 * early exit, so timing reveals neither a prefix nor which entry matched.
 */

/** User ids become folder names: the same rule as the store, checked here to answer 400 early. */
export const UserIdSchema = z.string().superRefine((value, ctx) => {
  try {
    safeUserId(value);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
  }
});

const KeyEntrySchema = z.object({ user: UserIdSchema, admin: z.boolean().optional() }).strict();

/**
 * The `--api-keys` file: `{ "<key>": { "user": "u1", "admin": false } }`, or an array of
 * `{ "key": "<key>", "user": "u1", "admin": true }`. A key may be given as `sha256:<hex>` so the
 * file need not hold it in clear.
 */
export const ApiKeysFileSchema = z.union([
  z.record(z.string().min(1), KeyEntrySchema),
  z.array(KeyEntrySchema.extend({ key: z.string().min(1) }).strict()),
]);
export type ApiKeysFile = z.input<typeof ApiKeysFileSchema>;

export interface KeyIdentity {
  user: string;
  admin: boolean;
}

const digest = (key: string): Buffer => createHash('sha256').update(key, 'utf8').digest();

function digestOf(configured: string): Buffer {
  const m = /^sha256:([0-9a-f]{64})$/i.exec(configured);
  return m ? Buffer.from(m[1]!, 'hex') : digest(configured);
}

export class KeyRing {
  private readonly entries: Array<{ digest: Buffer; identity: KeyIdentity }>;

  constructor(file: ApiKeysFile) {
    const parsed = ApiKeysFileSchema.parse(file);
    const list = Array.isArray(parsed) ? parsed.map((e) => [e.key, e] as const) : Object.entries(parsed);
    this.entries = list.map(([key, e]) => {
      if (!key.startsWith('sha256:') && key.length < 16) throw new Error('API keys must be at least 16 characters');
      return { digest: digestOf(key), identity: { user: e.user, admin: e.admin ?? false } };
    });
    if (this.entries.length === 0) throw new Error('the API keys file has no keys');
  }

  get size(): number {
    return this.entries.length;
  }

  lookup(presented: string): KeyIdentity | undefined {
    const d = digest(presented);
    let found: KeyIdentity | undefined;
    for (const e of this.entries) {
      // No early exit: every entry is compared whatever the outcome.
      if (timingSafeEqual(d, e.digest) && !found) found = e.identity;
    }
    return found;
  }
}

export function parseApiKeysText(text: string): KeyRing {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`the API keys file is not JSON: ${(err as Error).message}`);
  }
  const parsed = ApiKeysFileSchema.safeParse(json);
  if (!parsed.success) throw new Error(`the API keys file is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return new KeyRing(parsed.data);
}

/** `Authorization: Bearer <key>`, or `X-Api-Key` for clients that cannot set Authorization. */
export function presentedKey(req: Request): string | undefined {
  const auth = req.headers.authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
    if (m) return m[1]!.trim();
  }
  const x = req.headers['x-api-key'];
  return typeof x === 'string' && x.trim() ? x.trim() : undefined;
}

export type Identity = { mode: 'key'; user: string; admin: boolean } | { mode: 'trusted' };

/** Keyed mode: resolve the key into `res.locals.identity` before any body is read; 401 otherwise. */
export function authenticate(keys: KeyRing | undefined): RequestHandler {
  return (req, res, next) => {
    if (!keys) {
      res.locals.identity = { mode: 'trusted' } satisfies Identity;
      return next();
    }
    const key = presentedKey(req);
    const id = key ? keys.lookup(key) : undefined;
    if (!id) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      return next(
        new HttpError(401, key ? 'invalid API key' : 'missing API key: send Authorization: Bearer <key>', { code: 'invalid_api_key' }),
      );
    }
    res.locals.identity = { mode: 'key', user: id.user, admin: id.admin } satisfies Identity;
    next();
  };
}

export interface TrustedOptions {
  defaultUser: string;
  /** trusted callers act as admins (may write Common skills) */
  admin: boolean;
}

/**
 * The actor of a request. In trusted mode the first of `?user=`, body `user`, header
 * `X-AutoSkill-User` wins; every candidate is validated (a user id becomes a folder name).
 */
export function resolveActor(req: Request, identity: Identity, body: unknown, trusted: TrustedOptions): Actor {
  if (identity.mode === 'key') return { userId: identity.user, admin: identity.admin };
  const q = req.query?.user;
  const b = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>).user : undefined;
  const h = req.headers['x-autoskill-user'];
  const candidate = [q, b, h].find((v) => typeof v === 'string' && v.trim() !== '') as string | undefined;
  const userId = candidate?.trim() ?? trusted.defaultUser;
  const ok = UserIdSchema.safeParse(userId);
  if (!ok.success) {
    throw new HttpError(400, `invalid user id: ${ok.error.issues[0]?.message ?? 'not allowed'}`, { code: 'invalid_user', param: 'user' });
  }
  return { userId, admin: trusted.admin };
}
