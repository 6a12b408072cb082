import type { RequestHandler } from 'express';

/**
 * CORS, off unless origins are configured. Only listed origins (or `*`) get the headers; a
 * preflight from any other origin falls through to a 404 and the browser blocks the call.
 */

const ALLOW_HEADERS = 'Authorization, Content-Type, X-Api-Key, X-AutoSkill-User, X-AutoSkill-Return';
const EXPOSE_HEADERS = 'X-AutoSkill-Skills, X-AutoSkill-Job, X-Upstream-Request-Id, Retry-After';

export function cors(origins: readonly string[]): RequestHandler {
  const any = origins.includes('*');
  const allowed = new Set(origins.map((o) => o.replace(/\/+$/, '')));
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (typeof origin !== 'string' || !(any || allowed.has(origin))) return next();
    res.setHeader('Access-Control-Allow-Origin', any ? '*' : origin);
    if (!any) res.append('Vary', 'Origin');
    res.setHeader('Access-Control-Expose-Headers', EXPOSE_HEADERS);
    if (req.method !== 'OPTIONS') return next();
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', ALLOW_HEADERS);
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
  };
}
