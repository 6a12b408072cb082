#!/usr/bin/env node
/**
 * Builds the web page into dist/web/: one JS bundle and one CSS file with content-hashed names
 * (served as immutable), plus index.html that names them (served as no-cache). Offline, fast
 * (esbuild, ~100 ms) and deterministic: the same sources give byte-identical output.
 *
 *   node web/build.mjs              build into dist/web
 *   node web/build.mjs --out DIR    build elsewhere (tests compare two builds)
 *   node web/build.mjs --check      exit 1 when dist/web is missing or older than web/
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const WEB = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_OUT = path.resolve(WEB, '../dist/web');

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** True when dist/web/index.html exists and is newer than every source file. */
export function upToDate(out = DEFAULT_OUT) {
  const index = path.join(out, 'index.html');
  return existsSync(index) && statSync(index).mtimeMs >= newest(WEB);
}

const hashOf = (bytes) => createHash('sha256').update(bytes).digest('hex').slice(0, 10);

export async function buildWeb(out = DEFAULT_OUT) {
  const ASSETS = path.join(out, 'assets');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(ASSETS, { recursive: true });
  const result = await build({
    entryPoints: { app: path.join(WEB, 'src/main.ts'), styles: path.join(WEB, 'styles.css') },
    bundle: true,
    format: 'esm',
    target: ['chrome120', 'firefox121', 'safari17'],
    minify: true,
    sourcemap: 'linked',
    sourcesContent: true,
    legalComments: 'none',
    charset: 'utf8',
    entryNames: '[name]-[hash]',
    outdir: ASSETS,
    metafile: true,
    logLevel: 'warning',
    absWorkingDir: WEB,
  });
  const outputs = Object.entries(result.metafile.outputs).map(([file, meta]) => ({ file: path.basename(file), entry: meta.entryPoint }));
  const js = outputs.find((o) => o.entry?.endsWith('main.ts'))?.file;
  const css = outputs.find((o) => o.entry?.endsWith('styles.css'))?.file;
  if (!js || !css) throw new Error('web build: missing js or css output');

  const icon = readFileSync(path.join(WEB, 'favicon.svg'));
  const iconName = `favicon-${hashOf(icon)}.svg`;
  writeFileSync(path.join(ASSETS, iconName), icon);

  const html = readFileSync(path.join(WEB, 'index.html'), 'utf8')
    .replaceAll('%APP_JS%', `/assets/${js}`)
    .replaceAll('%APP_CSS%', `/assets/${css}`)
    .replaceAll('%FAVICON%', `/assets/${iconName}`);
  if (/%[A-Z_]+%/.test(html)) throw new Error('web build: unreplaced placeholder in index.html');
  writeFileSync(path.join(out, 'index.html'), html);
  return { js, css, icon: iconName };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--out');
  const out = at > 0 && process.argv[at + 1] ? path.resolve(process.argv[at + 1]) : DEFAULT_OUT;
  if (process.argv.includes('--check')) {
    process.exit(upToDate(out) ? 0 : 1);
  }
  const started = performance.now();
  const files = await buildWeb(out);
  process.stdout.write(`web: built ${path.relative(process.cwd(), out) || out} (${files.js}, ${files.css}) in ${Math.round(performance.now() - started)} ms\n`);
}
