import { createHash } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { writeFileAtomic } from '../store/atomic.js';
import { moduleSourceText } from '../store/source-fingerprint.js';

/**
 * The persisted lexical index, so opening a store neither tokenizes every skill again nor
 * rebuilds the index one document at a time.
 *
 * Tokenizing (ICU word segmentation, identifier splitting, stemming) is most of the cost of
 * building the index: ~8 s for the 5,182-skill bank. An earlier version of this file kept each
 * document's term counts and re-added them one by one at open (~0.5 s of term look-ups and
 * posting pushes for the bank); this one keeps the whole index as a few flat arrays that the
 * index adopts in one pass (Bm25Index.restore): the term dictionary, per document its sorted term
 * ids and packed field frequencies, field lengths, its owner group, and what the search side
 * keeps per skill (retrieval-text hash, trigger and name terms). A document is adopted only when
 * its skill's retrieval-text hash still matches; anything else is tokenized again.
 *
 * Like the vector files this is a cache: a missing, corrupt, truncated or foreign file means
 * "tokenize", never an error. The snapshot is tied to a fingerprint of the tokenizer as deployed
 * (its source file and the ICU/Unicode versions that drive segmentation), so changing the
 * tokenizer or upgrading Node's ICU invalidates it without anyone bumping a number. When the
 * fingerprint cannot be computed (e.g. a single-file bundle), caching is off.
 */

/** The lexical index as flat arrays (Bm25Index.snapshot / restore). Term ids index `terms`. */
export interface Bm25Snapshot {
  nFields: number;
  terms: string[];
  ids: string[];
  /** per document: its private group (a user's skills), or undefined for a shared document */
  groups: (string | undefined)[];
  /** per document, `nFields` token counts */
  lens: Uint32Array;
  /** document d's terms are docTerms[docStart[d] .. docStart[d+1]), ascending */
  docStart: Uint32Array;
  docTerms: Int32Array;
  /** per-field frequencies of docTerms[i], packed 8 bits per field (field 0 lowest) */
  docPacked: Float64Array;
}

/** A Bm25Snapshot plus what the search side keeps per document (aligned with `ids`). */
export interface IndexSnapshot extends Bm25Snapshot {
  hashes: string[];
  /** document d's triggers are trigStart[d] .. trigStart[d+1]; trigger k's terms trigTerms[trigTermStart[k] .. trigTermStart[k+1]) */
  trigStart: Uint32Array;
  trigTermStart: Uint32Array;
  trigTerms: Int32Array;
  /** document d's unique name terms: nameTerms[nameStart[d] .. nameStart[d+1]) */
  nameStart: Uint32Array;
  nameTerms: Int32Array;
}

export interface TermCache {
  load(nFields: number): Promise<IndexSnapshot | undefined>;
  save(snapshot: IndexSnapshot): Promise<void>;
}

const MAGIC = 'ASKIDX2\n';
/** bump when the binary layout or the meaning of the counts changes */
const FORMAT = 2;
const MAX_FILE_BYTES = 2 ** 31 - 1;

let fingerprintPromise: Promise<string | undefined> | undefined;

/** Fingerprint of the tokenizer as deployed, or undefined when it cannot be determined. */
export function tokenizerFingerprint(): Promise<string | undefined> {
  fingerprintPromise ??= (async () => {
    for (const name of ['tokenize.ts', 'tokenize.js']) {
      try {
        // the TypeScript source for src/ and a current dist/ alike (store/source-fingerprint.ts)
        const { text: src } = await moduleSourceText(fileURLToPath(new URL(`./${name}`, import.meta.url)));
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

/** The index snapshot as a file (default `<root>/.autoskill/cache/index.bin`). */
export class FsTermCache implements TermCache {
  readonly file: string;

  constructor(opts: { root: string } | { file: string }) {
    this.file = 'file' in opts ? opts.file : path.join(opts.root, '.autoskill', 'cache', 'index.bin');
  }

  async load(nFields: number): Promise<IndexSnapshot | undefined> {
    const fingerprint = await tokenizerFingerprint();
    if (!fingerprint) return undefined;
    try {
      const st = await stat(this.file);
      if (!st.isFile() || st.size > MAX_FILE_BYTES) return undefined;
      return decodeSnapshot(await readFile(this.file), fingerprint, nFields);
    } catch {
      return undefined;
    }
  }

  async save(snapshot: IndexSnapshot): Promise<void> {
    const fingerprint = await tokenizerFingerprint();
    if (!fingerprint) return;
    const bytes = encodeSnapshot(fingerprint, snapshot);
    if (!bytes) return;
    await mkdir(path.dirname(this.file), { recursive: true });
    await writeFileAtomic(this.file, bytes, { skipDirSync: true });
  }
}

interface Header {
  format: number;
  fingerprint: string;
  nFields: number;
  nTerms: number;
  ids: string[];
  hashes: string[];
  /** distinct groups; `groupOf[d]` is an index into it, or -1 for a shared document */
  groupNames: string[];
  groupOf: number[];
  /** element counts of the body sections, in SECTIONS order */
  counts: number[];
  bodyBytes: number;
  crc: number;
}

/** Body sections in file order: name and element type. Every section starts 8-byte aligned. */
const SECTIONS = [
  ['lens', Uint32Array],
  ['docStart', Uint32Array],
  ['docTerms', Int32Array],
  ['docPacked', Float64Array],
  ['trigStart', Uint32Array],
  ['trigTermStart', Uint32Array],
  ['trigTerms', Int32Array],
  ['nameStart', Uint32Array],
  ['nameTerms', Int32Array],
] as const;
type SectionName = (typeof SECTIONS)[number][0];

const align8 = (n: number): number => (n + 7) & ~7;

/**
 * Layout: MAGIC, u32 header length, header JSON, u32 terms length, the terms joined by '\n'
 * (UTF-8; tokens never contain a newline), padding to 8 bytes, then the sections, each 8-byte
 * aligned, little-endian. Undefined when a term holds a newline (then nothing is cached).
 */
export function encodeSnapshot(fingerprint: string, s: IndexSnapshot): Uint8Array | undefined {
  if (s.terms.some((t) => t.includes('\n'))) return undefined;
  const termBytes = Buffer.from(s.terms.join('\n'), 'utf8');
  const arrays = SECTIONS.map(([name]) => s[name]);
  let bodyBytes = align8(4 + termBytes.length);
  for (const a of arrays) bodyBytes = align8(bodyBytes + a.byteLength);
  const body = new Uint8Array(bodyBytes);
  const dv = new DataView(body.buffer);
  dv.setUint32(0, termBytes.length, true);
  body.set(termBytes, 4);
  let o = align8(4 + termBytes.length);
  for (const a of arrays) {
    body.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), o);
    o = align8(o + a.byteLength);
  }
  const groupNames: string[] = [];
  const groupIndex = new Map<string, number>();
  const groupOf = s.groups.map((g) => {
    if (g === undefined) return -1;
    let i = groupIndex.get(g);
    if (i === undefined) groupIndex.set(g, (i = groupNames.push(g) - 1));
    return i;
  });
  const header: Header = {
    format: FORMAT,
    fingerprint,
    nFields: s.nFields,
    nTerms: s.terms.length,
    ids: s.ids,
    hashes: s.hashes,
    groupNames,
    groupOf,
    counts: arrays.map((a) => a.length),
    bodyBytes,
    crc: crc32(body),
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  // the body starts 8-byte aligned in the file too, so sections can be viewed in place
  const start = align8(MAGIC.length + 4 + headerBytes.length);
  const out = new Uint8Array(start + bodyBytes);
  out.set(Buffer.from(MAGIC, 'latin1'), 0);
  new DataView(out.buffer).setUint32(MAGIC.length, headerBytes.length, true);
  out.set(headerBytes, MAGIC.length + 4);
  out.set(body, start);
  return out;
}

/** Parse a snapshot file; undefined for anything missing, truncated, foreign or corrupt. */
export function decodeSnapshot(bytes: Uint8Array, fingerprint: string, nFields: number): IndexSnapshot | undefined {
  if (bytes.length < MAGIC.length + 4) return undefined;
  if (Buffer.from(bytes.subarray(0, MAGIC.length)).toString('latin1') !== MAGIC) return undefined;
  const headerLen = new DataView(bytes.buffer, bytes.byteOffset).getUint32(MAGIC.length, true);
  const start = align8(MAGIC.length + 4 + headerLen);
  if (start > bytes.length) return undefined;
  let h: Header;
  try {
    h = JSON.parse(Buffer.from(bytes.subarray(MAGIC.length + 4, MAGIC.length + 4 + headerLen)).toString('utf8')) as Header;
  } catch {
    return undefined;
  }
  if (
    h?.format !== FORMAT ||
    h.fingerprint !== fingerprint ||
    h.nFields !== nFields ||
    !Array.isArray(h.ids) ||
    !Array.isArray(h.hashes) ||
    !Array.isArray(h.groupNames) ||
    !Array.isArray(h.groupOf) ||
    !Array.isArray(h.counts) ||
    h.counts.length !== SECTIONS.length ||
    h.ids.length !== h.hashes.length ||
    h.ids.length !== h.groupOf.length ||
    bytes.length !== start + h.bodyBytes
  ) {
    return undefined;
  }
  // The body is 8-byte aligned in the file, and a file read whole has its own buffer, so the
  // sections are viewed in place; a buffer at an odd offset of a pool is copied first.
  let body = bytes.subarray(start);
  if (body.byteOffset % 8 !== 0) {
    body = new Uint8Array(bytes.length - start);
    body.set(bytes.subarray(start));
  }
  if (crc32(body) !== h.crc) return undefined;
  const dv = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const termLen = dv.getUint32(0, true);
  if (4 + termLen > body.length) return undefined;
  const termText = Buffer.from(body.buffer, body.byteOffset + 4, termLen).toString('utf8');
  const terms = h.nTerms === 0 ? [] : termText.split('\n');
  if (terms.length !== h.nTerms) return undefined;
  const out: Partial<Record<SectionName, Uint32Array | Int32Array | Float64Array>> = {};
  let o = align8(4 + termLen);
  for (let i = 0; i < SECTIONS.length; i++) {
    const [name, Type] = SECTIONS[i]!;
    const n = h.counts[i]!;
    if (!Number.isInteger(n) || n < 0 || o + n * Type.BYTES_PER_ELEMENT > body.length) return undefined;
    out[name] = new Type(body.buffer as ArrayBuffer, body.byteOffset + o, n);
    o = align8(o + n * Type.BYTES_PER_ELEMENT);
  }
  const groups = h.groupOf.map((g) => (g >= 0 ? h.groupNames[g] : undefined));
  const snap = { nFields, terms, ids: h.ids, hashes: h.hashes, groups, ...out } as IndexSnapshot;
  return validShape(snap) ? snap : undefined;
}

/** The offsets must be in range and the term ids valid: a consistent file, not a crafted one. */
function validShape(s: IndexSnapshot): boolean {
  const n = s.ids.length;
  const inRange = (starts: Uint32Array, count: number, len: number): boolean => {
    if (starts.length !== count + 1 || starts[0] !== 0 || starts[count] !== len) return false;
    for (let i = 0; i < count; i++) if (starts[i]! > starts[i + 1]!) return false;
    return true;
  };
  const nTerms = s.terms.length;
  const termsOk = (a: Int32Array): boolean => {
    // one unsigned comparison per id (a negative id is a large unsigned one): a million of them at
    // every open, in code that runs once and so is never optimized
    for (let i = 0; i < a.length; i++) if (a[i]! >>> 0 >= nTerms) return false;
    return true;
  };
  return (
    s.lens.length === n * s.nFields &&
    s.docPacked.length === s.docTerms.length &&
    inRange(s.docStart, n, s.docTerms.length) &&
    inRange(s.trigStart, n, s.trigTermStart.length - 1) &&
    inRange(s.trigTermStart, s.trigTermStart.length - 1, s.trigTerms.length) &&
    inRange(s.nameStart, n, s.nameTerms.length) &&
    termsOk(s.docTerms) &&
    termsOk(s.trigTerms) &&
    termsOk(s.nameTerms)
  );
}
