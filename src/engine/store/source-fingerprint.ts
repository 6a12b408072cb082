import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * The text a module's behaviour is fingerprinted by (the parse cache's codec fingerprint, the
 * persisted index's tokenizer fingerprint).
 *
 * Hashing a module's own file ties a cache to the exact code that wrote it, but the same source
 * runs in two forms in a checkout: compiled (dist/*.js, what `autoskill serve` runs) and as
 * TypeScript (src/*.ts, under tsx: the benches' and scripts' in-process stores). Their bytes
 * differ, so a store imported by one form was parsed and tokenized again, in full, by the first
 * open of the other (the bank: a 40-130 s first start and ~550 MB instead of ~260 MB).
 *
 * So a compiled module is represented by its TypeScript source when its source map names one
 * that exists and is not newer than the compiled file (the build is current for it); then both
 * forms hash the same text. Anything else (no map, no source beside a published package, a
 * source edited since the build) falls back to the file itself: at worst a cache miss, never a
 * cache taken for code that did not write it.
 */
export async function moduleSourceText(file: string): Promise<{ name: string; text: Buffer }> {
  const ext = path.extname(file);
  const base = path.basename(file, ext);
  if (ext === '.js') {
    const ts = await builtFrom(file);
    if (ts) return { name: base, text: ts };
  }
  return { name: ext === '.ts' ? base : path.basename(file), text: await readFile(file) };
}

async function builtFrom(jsFile: string): Promise<Buffer | undefined> {
  try {
    const map = JSON.parse(await readFile(`${jsFile}.map`, 'utf8')) as { sources?: unknown; sourceRoot?: unknown };
    if (!Array.isArray(map.sources) || map.sources.length !== 1 || typeof map.sources[0] !== 'string') return undefined;
    const root = typeof map.sourceRoot === 'string' ? map.sourceRoot : '';
    const ts = path.resolve(path.dirname(jsFile), root, map.sources[0]);
    if (path.extname(ts) !== '.ts') return undefined;
    const [js, src] = await Promise.all([stat(jsFile), stat(ts)]);
    if (!src.isFile() || src.mtimeMs > js.mtimeMs) return undefined;
    return await readFile(ts);
  } catch {
    return undefined;
  }
}
