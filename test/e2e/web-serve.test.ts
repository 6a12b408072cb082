import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CONTENT_SECURITY_POLICY, defaultWebDir, mountWebUi } from '../../src/adapters/express/web.js';
import { call, startProxy, type Proxy } from '../helpers/express-harness.js';

/**
 * The built page as the server sends it (content types, caching, CSP, gzip, 304, no fallbacks),
 * the build itself (deterministic, offline, nothing from other origins), and the endpoints the
 * page added to the API (tags, validate, turns).
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
let proxy: Proxy;
let assets: string[];

beforeAll(async () => {
  proxy = await startProxy({ app: { mount: (app) => void mountWebUi(app) } });
  assets = await readdir(path.join(defaultWebDir(), 'assets'));
});
afterAll(async () => {
  await proxy?.close();
});

const raw = (url: string, headers: Record<string, string> = {}) => fetch(proxy.base + url, { headers });

describe('serving the page', () => {
  test('index: html, no-cache, strict CSP and friends; names the hashed bundle', async () => {
    const res = await raw('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    const html = await res.text();
    const js = /src="\/assets\/(app-[A-Z0-9]+\.js)"/.exec(html)?.[1];
    const css = /href="\/assets\/(styles-[A-Z0-9]+\.css)"/.exec(html)?.[1];
    expect(js && assets.includes(js)).toBe(true);
    expect(css && assets.includes(css)).toBe(true);
    // no inline script or style (the CSP would block them), nothing from elsewhere
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(html).not.toMatch(/<style|style="/);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect((await raw('/index.html')).status).toBe(200);
  });

  test('assets: right types, immutable, ETag → 304, gzip when asked, HEAD', async () => {
    const types: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.map': 'application/json; charset=utf-8' };
    for (const name of assets) {
      const res = await raw(`/assets/${name}`, { 'accept-encoding': 'identity' });
      expect(res.status, name).toBe(200);
      expect(res.headers.get('content-type'), name).toBe(types[path.extname(name)]);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const body = Buffer.from(await res.arrayBuffer());
      expect(body.equals(await readFile(path.join(defaultWebDir(), 'assets', name)))).toBe(true);
      const again = await raw(`/assets/${name}`, { 'if-none-match': res.headers.get('etag')! });
      expect(again.status).toBe(304);
    }
    const js = assets.find((a) => a.endsWith('.js'))!;
    const gz = await new Promise<{ enc: string | undefined; body: Buffer }>((resolve, reject) => {
      // fetch would decode transparently; read the bytes as sent.
      import('node:http').then(({ get }) =>
        get(`${proxy.base}/assets/${js}`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ enc: res.headers['content-encoding'], body: Buffer.concat(chunks) }));
        }).on('error', reject),
      );
    });
    expect(gz.enc).toBe('gzip');
    expect(gunzipSync(gz.body).equals(await readFile(path.join(defaultWebDir(), 'assets', js)))).toBe(true);
    const head = await fetch(`${proxy.base}/assets/${js}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  test('unknown or sneaky asset paths are 404s, never the page or a file outside assets/', async () => {
    for (const url of ['/assets/app-NOPE.js', '/assets/..%2Findex.html', '/assets/%2e%2e%2f%2e%2e%2fpackage.json', '/assets/', '/static/app.js', '/favicon.ico']) {
      const res = await raw(url);
      expect(res.status, url).toBe(404);
      expect(res.headers.get('content-type'), url).toMatch(/^application\/json/);
    }
  });

  test('the API still answers next to the page', async () => {
    expect((await call(proxy.base, 'GET', '/health')).body).toMatchObject({ ok: true, upstream: 'offline' });
    expect((await call(proxy.base, 'GET', '/v1/nope')).status).toBe(404);
  });

  test('no page without a build: mountWebUi says so and the placeholder stays', async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), 'autoskill-noweb-'));
    const other = await startProxy({ app: { mount: (app) => expect(mountWebUi(app, { dir: empty })).toBe(false) } });
    try {
      const html = await (await fetch(`${other.base}/`)).text();
      expect(html).toContain('The OpenAI-compatible proxy and the skill management API are running.');
    } finally {
      await other.close();
      await rm(empty, { recursive: true, force: true });
    }
  });
});

describe('the build', () => {
  test('deterministic: two builds give byte-identical files; nothing loads from other origins', async () => {
    const a = await mkdtemp(path.join(os.tmpdir(), 'autoskill-webA-'));
    const b = await mkdtemp(path.join(os.tmpdir(), 'autoskill-webB-'));
    try {
      for (const dir of [a, b]) execFileSync(process.execPath, [path.join(ROOT, 'web/build.mjs'), '--out', path.join(dir, 'web')], { cwd: ROOT, stdio: 'pipe' });
      const files = async (dir: string) => (await readdir(path.join(dir, 'web'), { recursive: true })).sort();
      expect(await files(a)).toEqual(await files(b));
      for (const f of await files(a)) {
        if (!f.includes('.')) continue; // directories
        const [x, y] = await Promise.all([readFile(path.join(a, 'web', f)), readFile(path.join(b, 'web', f))]);
        expect(x.equals(y), f).toBe(true);
      }
      const assetsDir = path.join(a, 'web', 'assets');
      for (const f of (await readdir(assetsDir)).filter((n) => /\.(js|css)$/.test(n))) {
        const text = await readFile(path.join(assetsDir, f), 'utf8');
        // The only absolute URL allowed in the bundle is the SVG namespace, which loads nothing.
        const urls = (text.match(/(?:https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}[^\s"'`)]*/gi) ?? []).filter((u) => !u.startsWith('http://www.w3.org/'));
        expect(urls, f).toEqual([]);
        expect(text).not.toMatch(/@import|url\((?!data:)/);
      }
    } finally {
      await rm(a, { recursive: true, force: true });
      await rm(b, { recursive: true, force: true });
    }
  });
});

describe('endpoints the page added', () => {
  test('tags with counts (case-insensitive), the skills of a tag paged, scoped to the caller', async () => {
    const sdk = proxy.sdk;
    const mk = (name: string, tags: string[], user = 'alice') =>
      sdk.upsert({ name, description: `${name} description`, instructions: `Do ${name}.`, tags }, { owner: `user:${user}` });
    await mk('Alpha', ['python', 'data']);
    await mk('Beta', ['Python']);
    await mk('Gamma', ['writing']);
    await mk('Hidden', ['python'], 'bob');
    await sdk.upsert({ name: 'Shared', description: 'shared', instructions: 'Share.', tags: ['python'] }, { owner: 'library:Common' });

    const mine = await call(proxy.base, 'GET', '/v1/autoskill/tags?scope=user', { user: 'alice' });
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ total_skills: 3, data: [{ tag: 'python', count: 2 }, { tag: 'data', count: 1 }, { tag: 'writing', count: 1 }] });
    const all = await call(proxy.base, 'GET', '/v1/autoskill/tags?scope=all', { user: 'alice' });
    expect(all.body.data[0]).toEqual({ tag: 'python', count: 3 });

    const tagged = await call(proxy.base, 'GET', '/v1/autoskill/tags/PYTHON/skills?scope=all&limit=2', { user: 'alice' });
    expect(tagged.body.total).toBe(3);
    expect(tagged.body.data.map((s: { name: string }) => s.name)).toEqual(['Alpha', 'Beta']);
    const page2 = await call(proxy.base, 'GET', '/v1/autoskill/tags/python/skills?scope=all&limit=2&offset=2', { user: 'alice' });
    expect(page2.body.data.map((s: { name: string }) => s.name)).toEqual(['Shared']);
    expect((await call(proxy.base, 'GET', '/v1/autoskill/tags/python/skills?scope=user', { user: 'bob' })).body.total).toBe(1);
  });

  test('validate: spec violations and parser errors, without saving', async () => {
    const ok = await call(proxy.base, 'POST', '/v1/autoskill/validate', { body: { skill_md: '---\nname: my-skill\ndescription: Does a thing.\n---\n# My skill\n', dir_name: 'my-skill' } });
    expect(ok.body).toEqual({ object: 'skill_md_validation', ok: true, errors: 0, warnings: 0, violations: [] });
    const bad = await call(proxy.base, 'POST', '/v1/autoskill/validate', { body: { skill_md: '---\nname: "unclosed\ndescription: x\n---\nbody' } });
    expect(bad.body.ok).toBe(false);
    expect(bad.body.violations[0]).toMatchObject({ field: 'frontmatter', message: expect.stringMatching(/YAML/) });
    const named = await call(proxy.base, 'POST', '/v1/autoskill/validate', { body: { skill_md: '---\nname: Bad Name\ndescription: ""\n---\n', dir_name: 'x' } });
    expect(named.body.violations.map((v: { field: string }) => v.field)).toEqual(expect.arrayContaining(['name', 'description']));
    expect((await call(proxy.base, 'POST', '/v1/autoskill/validate', { body: {} })).status).toBe(400);
    // Upstream-dialect keys: a warning by default (ok, saving allowed), an error in reference mode.
    const upstream = '---\nname: 周报写作\ndescription: 周报。\nversion: 0.1.0\n---\n# 周报写作\n';
    const warned = await call(proxy.base, 'POST', '/v1/autoskill/validate', { body: { skill_md: upstream, dir_name: '周报写作' } });
    expect(warned.body).toMatchObject({ ok: true, errors: 0, warnings: 1, violations: [{ rule: 'upstream-dialect', level: 'warning', field: 'version', fix: 'autoskill normalize' }] });
    const strict = await call(proxy.base, 'POST', '/v1/autoskill/validate', { body: { skill_md: upstream, dir_name: '周报写作', mode: 'reference' } });
    expect(strict.body).toMatchObject({ ok: false, errors: 1, violations: [{ rule: 'unknown-field', level: 'error' }] });
  });

  test('turns: the caller’s mode and interval decide; a scheduled job is reported', async () => {
    const turn = [
      { role: 'user', content: 'Write a report about solar panels.' },
      { role: 'assistant', content: 'Here is the report.' },
      { role: 'user', content: "Don't use markdown, cite sources." },
      { role: 'assistant', content: 'Revised.' },
    ];
    const never = await call(proxy.base, 'POST', '/v1/autoskill/turns', { user: 'carol', body: { messages: turn, session_id: 's1', mode: 'never' } });
    expect(never.body).toMatchObject({ object: 'turn_observation', scheduled: false, data: null, reason: expect.stringMatching(/never/) });
    const every2 = await call(proxy.base, 'POST', '/v1/autoskill/turns', { user: 'carol', body: { messages: turn, session_id: 's2', mode: 'auto', turn_limit: 2 } });
    expect(every2.body.scheduled).toBe(false);
    const second = await call(proxy.base, 'POST', '/v1/autoskill/turns', { user: 'carol', body: { messages: turn, session_id: 's2', mode: 'auto', turn_limit: 2 } });
    expect(second.body).toMatchObject({ scheduled: true, data: { user_id: 'carol', status: expect.stringMatching(/scheduled|running|completed/) } });
    const done = await proxy.sdk.jobs.wait(undefined, second.body.data.job_id);
    expect(done.state).toBe('completed');
    expect((await call(proxy.base, 'POST', '/v1/autoskill/turns', { user: 'carol', body: { messages: turn, mode: 'sometimes' } })).status).toBe(400);
  });

  test('the new endpoints are in the OpenAPI document', async () => {
    const doc = (await call(proxy.base, 'GET', '/v1/autoskill/openapi.json')).body as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/autoskill/tags', '/v1/autoskill/tags/{tag}/skills', '/v1/autoskill/validate', '/v1/autoskill/turns']));
  });
});
