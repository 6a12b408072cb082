import type { Request, Response } from 'express';
import type { CachedRetrieval } from '../../engine/turn/pipeline.js';

/**
 * Small pieces every proxied model surface (chat completions, responses) uses the same way: the
 * opt-in report header, the skills header, and cancelling the upstream call when our caller goes
 * away.
 */

export function truthyHeader(req: Request, name: string): boolean {
  const v = req.headers[name];
  return typeof v === 'string' && /^(1|true|yes|on)$/i.test(v.trim());
}

/** `id@version,...`; ids come from imported files and may hold any character, so they are URI-encoded. */
export function skillsHeader(r: CachedRetrieval | undefined): string {
  return r?.context?.included.map((i) => `${encodeURIComponent(i.id)}@${i.version}`).join(',') ?? '';
}

/** Abort the upstream call when our client goes away (`res` close before the end). */
export function abortOnDisconnect(res: Response): AbortController {
  const ac = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) ac.abort(new Error('client disconnected'));
  });
  return ac;
}
