import { createHash } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../store/atomic.js';
import type { Bm25DocCounts } from './bm25.js';

/**
 * Persisted tokenization, so opening a store does not tokenize every skill again.
 *
 * Tokenizing (ICU word segmentation, identifier splitting, stemming) is most of the cost of
 * opening a large store: ~5 s of ~6 s for the 5,182-skill bank. What BM25 needs per skill is
 * small and deterministic in the skill's retrieval text: per-field token counts, and per unique
 * term its packed field frequencies; the trigger-phrase check needs each trigger's unique terms.
 * So we keep those, keyed by the retrieval-text hash (the same key that decides re-embedding),
 * in one binary file: a shared term dictionary, then per document term indices and counts.
 *
 * Like the vector files this is a cache: a missing, corrupt, truncated or foreign file means
 * "tokenize", never an error. Entries are tied to a fingerprint of the tokenizer as deployed (its
 * source file and the ICU/Unicode versions that drive segmentation), so changing the tokenizer or
 * upgrading Node's ICU invalidates the cache without anyone bumping a number. When the fingerprint
 * cannot be computed (e.g. a single-file bundle), caching is off.
 */

export interface DocTerms extends Bm25DocCounts {
  /** unique terms of each trigger phrase, in trigger order */
  triggers: readonly (readonly string[])[];
}

/** Read side of a loaded cache: documents are decoded on demand, by retrieval-text hash. */
export interface TermCacheSnapshot {
  readonly size: number;
  get(hash: string): DocTerms | undefined;
}

export interface TermCache {
  load(nFields: number): Promise<TermCacheSnapshot | undefined>;
  save(nFields: number, docs: Iterable<[hash: string, doc: DocTerms]>): Promise<void>;
}

const MAGIC = 'ASKBM25\n';
/** bump when the binary layout or the meaning of the counts changes */
const FORMAT = 1;
const MAX_FILE_BYTES = 2 ** 31 - 1;

let fingerprintPromise: Promise<string | undefined> | undefined;

/** Fingerprint of the tokenizer as deployed, or undefined when it cannot be determined. */
export function tokenizerFingerprint(): Promise<string | undefined> {
  fingerprintPromise ??= (async () => {
    for (const name of ['tokenize.ts', 'tokenize.js']) {
      try {
        const src = await readFile(fileURLToPath(new URL(`./${name}`, import.meta.url)));
        return createHash('sha256')
          .update(src)
          .update(`\0icu=${process.versions.icu ?? '?'}\0unicode=${process.versions.unicode ?? '?'}\0format=${FORMAT}`)
          .digest('hex')
          .slice(0, 32);
      } catch {
        // try the next name
      }
    }
    return undefined;
  })();
  return fingerprintPromise;
}

/** The term cache as a file (default `<root>/.autoskill/cache/bm25.bin`). */
export class FsTermCache implements TermCache {
  readonly file: string;

  constructor(opts: { root: string } | { file: string }) {
    this.file = 'file' in opts ? opts.file : path.join(opts.root, '.autoskill', 'cache', 'bm25.bin');
  }

  async load(nFields: number): Promise<TermCacheSnapshot | undefined> {
    const fingerprint = await tokenizerFingerprint();
    if (!fingerprint) return undefined;
    try {
      const st = await stat(this.file);
      if (!st.isFile() || st.size > MAX_FILE_BYTES) return undefined;
      return decodeTermCache(await readFile(this.file), fingerprint, nFields);
    } catch {
      return undefined;
    }
  }

  async save(nFields: number, docs: Iterable<[string, DocTerms]>): Promise<void> {
    const fingerprint = await tokenizerFingerprint();
    if (!fingerprint) return;
    await mkdir(path.dirname(this.file), { recursive: true });
    await writeFileAtomic(this.file, encodeTermCache(fingerprint, nFields, docs), { skipDirSync: true });
  }
}

interface Header {
  format: number;
  fingerprint: string;
  nFields: number;
  terms: string[];
  /** [hash, byte offset of the document's block in the body] */
  docs: Array<[string, number]>;
  bodyBytes: number;
  checksum: string;
}

/**
 * Layout: MAGIC, u32 header length, header JSON, then the body. Per document, all little-endian:
 * u32 nTerms, u32 nTriggers, nFields × u32 field length, nTerms × u32 term index,
 * nTerms × f64 packed counts, then per trigger u32 n and n × u32 term index.
 */
export function encodeTermCache(fingerprint: string, nFields: number, docs: Iterable<[string, DocTerms]>): Uint8Array {
  const termIndex = new Map<string, number>();
  const terms: string[] = [];
  const idx = (t: string): number => {
    let i = termIndex.get(t);
    if (i === undefined) {
      i = terms.length;
      termIndex.set(t, i);
      terms.push(t);
    }
    return i;
  };
  const list = [...docs];
  let size = 0;
  for (const [, d] of list) {
    size += 8 + nFields * 4 + d.terms.length * 12;
    for (const t of d.triggers) size += 4 + t.length * 4;
  }
  const body = new Uint8Array(size);
  const dv = new DataView(body.buffer);
  const offsets: Array<[string, number]> = [];
  let o = 0;
  for (const [hash, d] of list) {
    if (d.lens.length !== nFields || d.terms.length !== d.packed.length) continue;
    offsets.push([hash, o]);
    dv.setUint32(o, d.terms.length, true);
    dv.setUint32(o + 4, d.triggers.length, true);
    o += 8;
    for (const len of d.lens) (dv.setUint32(o, len, true), (o += 4));
    for (const t of d.terms) (dv.setUint32(o, idx(t), true), (o += 4));
    for (const p of d.packed) (dv.setFloat64(o, p, true), (o += 8));
    for (const trig of d.triggers) {
      dv.setUint32(o, trig.length, true);
      o += 4;
      for (const t of trig) (dv.setUint32(o, idx(t), true), (o += 4));
    }
  }
  const used = body.subarray(0, o);
  const header: Header = { format: FORMAT, fingerprint, nFields, terms, docs: offsets, bodyBytes: o, checksum: checksum(used) };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const out = new Uint8Array(MAGIC.length + 4 + headerBytes.length + o);
  out.set(Buffer.from(MAGIC, 'latin1'), 0);
  new DataView(out.buffer).setUint32(MAGIC.length, headerBytes.length, true);
  out.set(headerBytes, MAGIC.length + 4);
  out.set(used, MAGIC.length + 4 + headerBytes.length);
  return out;
}

/** Parse a cache file; undefined for anything missing, truncated, foreign or corrupt. */
export function decodeTermCache(bytes: Uint8Array, fingerprint: string, nFields: number): TermCacheSnapshot | undefined {
  if (bytes.length < MAGIC.length + 4) return undefined;
  if (Buffer.from(bytes.subarray(0, MAGIC.length)).toString('latin1') !== MAGIC) return undefined;
  const headerLen = new DataView(bytes.buffer, bytes.byteOffset).getUint32(MAGIC.length, true);
  const start = MAGIC.length + 4 + headerLen;
  if (start > bytes.length) return undefined;
  let header: Header;
  try {
    header = JSON.parse(Buffer.from(bytes.subarray(MAGIC.length + 4, start)).toString('utf8')) as Header;
  } catch {
    return undefined;
  }
  if (
    header?.format !== FORMAT ||
    header.fingerprint !== fingerprint ||
    header.nFields !== nFields ||
    !Array.isArray(header.terms) ||
    !Array.isArray(header.docs) ||
    bytes.length !== start + header.bodyBytes
  ) {
    return undefined;
  }
  const body = bytes.subarray(start);
  if (checksum(body) !== header.checksum) return undefined;
  const terms = header.terms;
  const offsets = new Map<string, number>();
  for (const d of header.docs) if (Array.isArray(d) && typeof d[0] === 'string' && typeof d[1] === 'number') offsets.set(d[0], d[1]);
  const dv = new DataView(body.buffer, body.byteOffset, body.byteLength);
  return {
    size: offsets.size,
    get(hash: string): DocTerms | undefined {
      const at = offsets.get(hash);
      if (at === undefined) return undefined;
      try {
        return decodeDoc(dv, at, nFields, terms);
      } catch {
        return undefined; // out of bounds or a bad index: treat as a miss
      }
    },
  };
}

function decodeDoc(dv: DataView, at: number, nFields: number, dict: readonly string[]): DocTerms {
  let o = at;
  const term = (): string => {
    const t = dict[dv.getUint32(o, true)];
    if (t === undefined) throw new RangeError('term index out of range');
    o += 4;
    return t;
  };
  const nTerms = dv.getUint32(o, true);
  const nTriggers = dv.getUint32(o + 4, true);
  o += 8;
  const lens: number[] = [];
  for (let f = 0; f < nFields; f++) (lens.push(dv.getUint32(o, true)), (o += 4));
  const terms: string[] = new Array<string>(nTerms);
  for (let i = 0; i < nTerms; i++) terms[i] = term();
  const packed: number[] = new Array<number>(nTerms);
  for (let i = 0; i < nTerms; i++) (packed[i] = dv.getFloat64(o, true)), (o += 8);
  const triggers: string[][] = [];
  for (let k = 0; k < nTriggers; k++) {
    const n = dv.getUint32(o, true);
    o += 4;
    const trig: string[] = new Array<string>(n);
    for (let i = 0; i < n; i++) trig[i] = term();
    triggers.push(trig);
  }
  return { lens, terms, packed, triggers };
}

function checksum(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 32);
}
