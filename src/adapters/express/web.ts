import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import express, { type Express, type Request, type Response, type Router } from 'express';

/**
 * Serves the built web page (dist/web, made by `npm run build`) at `/`: index.html as
 * `no-cache` (it names the current bundle), `/assets/*` as immutable (their names carry a content
 * hash). Files are read once at startup into memory (each one's gzip is made on its first request
 * that accepts it: level-9 compression of the bundle was ~25 ms of every server start); a request
 * can only name a file that exists in that table, so there is no path to traverse. Every page asset comes from
 * here: the Content-Security-Policy allows this origin only.
 *
 * ```ts
 * createAutoskillApp({ sdk, mount: (app) => mountWebUi(app) });
 * ```
 */

export interface WebUiOptions {
  /** directory with index.html and assets/ (default: the package's dist/web) */
  dir?: string;
}

interface Asset {
  body: Buffer;
  /** the gzip form, made once on first use; undefined when it would not be smaller */
  gzip: () => Buffer | undefined;
  type: string;
  etag: string;
  cache: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
};

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

/**
 * Same-origin only. No inline script or style (the page has none); `style-src 'self'` still
 * allows CSSOM writes (`el.style.height`), which the virtual list uses.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Where the built page is: next to this file in dist/, or dist/web when running from src/. */
export function defaultWebDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.resolve(here, '../../web'), path.resolve(here, '../../../dist/web')];
  return candidates.find((d) => existsSync(path.join(d, 'index.html'))) ?? candidates[0]!;
}

function load(file: string, cache: string): Asset {
  const body = readFileSync(file);
  const type = TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  // Compress what compresses; a gzip that is not smaller is not worth sending.
  const compressible = /^(text\/|application\/json|image\/svg)/.test(type) && body.length > 512;
  let gz: Buffer | undefined | null = compressible ? null : undefined;
  const gzip = (): Buffer | undefined => {
    if (gz === null) {
      const packed = gzipSync(body, { level: 9 });
      gz = packed.length < body.length ? packed : undefined;
    }
    return gz;
  };
  return {
    body,
    gzip,
    type,
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    cache,
  };
}

/** Read the built page; undefined when it has not been built. */
export function loadWebAssets(dir: string): Map<string, Asset> | undefined {
  const index = path.join(dir, 'index.html');
  if (!existsSync(index)) return undefined;
  const table = new Map<string, Asset>([['/', load(index, REVALIDATE)]]);
  const assets = path.join(dir, 'assets');
  if (existsSync(assets)) {
    for (const name of readdirSync(assets)) {
      const file = path.join(assets, name);
      if (statSync(file).isFile()) table.set(`/assets/${name}`, load(file, IMMUTABLE));
    }
  }
  return table;
}

function acceptsGzip(req: Request): boolean {
  const ae = req.headers['accept-encoding'];
  return typeof ae === 'string' && /\bgzip\b(?!;q=0(\.0*)?\b)/.test(ae);
}

function send(req: Request, res: Response, asset: Asset): void {
  res.setHeader('Content-Type', asset.type);
  res.setHeader('Cache-Control', asset.cache);
  res.setHeader('ETag', asset.etag);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Vary', 'Accept-Encoding');
  if (asset.type.startsWith('text/html')) {
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
  }
  const inm = req.headers['if-none-match'];
  if (typeof inm === 'string' && inm.split(/\s*,\s*/).includes(asset.etag)) {
    res.status(304).end();
    return;
  }
  const gzip = acceptsGzip(req) ? asset.gzip() : undefined;
  if (gzip) res.setHeader('Content-Encoding', 'gzip');
  const body = gzip ?? asset.body;
  res.setHeader('Content-Length', String(body.length));
  res.status(200).end(req.method === 'HEAD' ? undefined : body);
}

/**
 * The page's router: `/` and `/index.html`, plus `/assets/<file>`. Unknown asset names → 404
 * (never a fallback to index.html, which would hide a stale bundle behind a 200). Undefined
 * when the page has not been built.
 */
export function webUiRouter(opts: WebUiOptions = {}): Router | undefined {
  const table = loadWebAssets(opts.dir ?? defaultWebDir());
  if (!table) return undefined;
  const router = express.Router();
  const index = table.get('/')!;
  router.get(['/', '/index.html'], (req, res) => send(req, res, index));
  router.get('/assets/:file', (req, res, next) => {
    const asset = table.get(`/assets/${req.params.file}`);
    if (!asset) return next();
    send(req, res, asset);
  });
  return router;
}

/**
 * Mount the page on an app (use as `createAutoskillApp`'s `mount` hook). Returns false, and
 * leaves the placeholder page in place, when the page has not been built.
 */
export function mountWebUi(app: Express, opts: WebUiOptions = {}): boolean {
  const router = webUiRouter(opts);
  if (!router) return false;
  app.use(router);
  return true;
}
