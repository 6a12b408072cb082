import { createHash } from 'node:crypto';
import { endianness } from 'node:os';
import { appendFile, mkdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { z } from 'zod';
import { writeFileAtomic } from '../store/atomic.js';
import type { StoredVectors, VectorStore } from './vector-store.js';

/**
 * Embedding persistence on the filesystem, one pair of files per embedder signature:
 *
 *   <root>/vectors/<signature>.snap  binary snapshot: magic, a JSON header (dims, ids, hashes,
 *                                    checksum), then count × dims little-endian float32
 *   <root>/vectors/<signature>.log   append-only JSON lines: {"op":"put",id,hash,dims,v:<base64>}
 *                                    or {"op":"del",id}
 *
 * A save appends one batch of lines (O(changed rows), never a rewrite of the index). When the log
 * grows past a fraction of the snapshot, the state is compacted into a new snapshot (temp file +
 * rename) and the log is emptied. Replaying a log over a snapshot that already contains it is
 * idempotent, so a crash between those two steps loses nothing.
 *
 * This is a cache: every vector can be recomputed from its skill. So a corrupt or foreign file
 * means "start from what is readable": a bad snapshot is ignored, log replay stops at the first
 * torn or invalid line, and nothing here throws on load. Concurrent writers in several processes
 * can at worst lose an appended batch during another's compaction, which only costs a re-embed.
 */

const MAGIC = 'ASKVEC1\n';
const LITTLE_ENDIAN = endianness() === 'LE';
/** compact when the log holds more entries than this share of the live rows (and the minimum) */
const COMPACT_RATIO = 0.5;
const COMPACT_MIN_ENTRIES = 512;
/** settle() leaves a log this short alone */
const SETTLE_MIN_ENTRIES = 64;
const MAX_FILE_BYTES = 2 ** 31 - 1;

const HeaderSchema = z.object({
  /** 1: sha256 checksum; 2: crc32 (the sha256 of a 100k-row body cost ~1 s per open) */
  version: z.union([z.literal(1), z.literal(2)]),
  dims: z.number().int().positive().max(65536),
  count: z.number().int().nonnegative(),
  ids: z.array(z.string()),
  hashes: z.array(z.string()),
  checksum: z.string(),
});

const LogLineSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('put'), id: z.string().min(1), hash: z.string(), dims: z.number().int().positive(), v: z.string() }),
  z.object({ op: z.literal('del'), id: z.string().min(1) }),
]);

export interface FsVectorStoreOptions {
  /** the store root; files go to `<root>/vectors/` */
  root: string;
  /** compact after this many log entries at least (default 512) */
  compactMinEntries?: number;
}

interface SigState {
  /** log entries written since the last compaction (known after the first load or save) */
  logEntries: number;
  liveRows: number;
}

export class FsVectorStore implements VectorStore {
  readonly dir: string;
  private readonly compactMin: number;
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly state = new Map<string, SigState>();

  constructor(rootOrOpts: string | FsVectorStoreOptions) {
    const opts = typeof rootOrOpts === 'string' ? { root: rootOrOpts } : rootOrOpts;
    this.dir = path.join(opts.root, 'vectors');
    this.compactMin = opts.compactMinEntries ?? COMPACT_MIN_ENTRIES;
  }

  /** File stem for a signature: readable, filesystem-safe, collision-free. */
  static fileStem(signature: string): string {
    const safe = signature.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_').slice(0, 100);
    if (safe === signature && safe.length > 0) return safe;
    return `${safe}-${createHash('sha256').update(signature).digest('hex').slice(0, 10)}`;
  }

  paths(signature: string): { snap: string; log: string } {
    const stem = FsVectorStore.fileStem(signature);
    return { snap: path.join(this.dir, `${stem}.snap`), log: path.join(this.dir, `${stem}.log`) };
  }

  load(signature: string): Promise<StoredVectors | undefined> {
    return this.serial(signature, async () => {
      const r = await this.readState(signature);
      this.state.set(signature, { logEntries: r.logEntries, liveRows: r.stored?.entries.size ?? 0 });
      return r.stored;
    });
  }

  save(
    signature: string,
    dims: number,
    upserts: Array<{ id: string; hash: string; vector: Float32Array }>,
    deletes: string[],
  ): Promise<void> {
    if (upserts.length === 0 && deletes.length === 0) return Promise.resolve();
    return this.serial(signature, async () => {
      await mkdir(this.dir, { recursive: true });
      const lines: string[] = [];
      for (const u of upserts) {
        if (u.vector.length !== dims) throw new RangeError(`vector for ${u.id} has ${u.vector.length} dims, expected ${dims}`);
        lines.push(JSON.stringify({ op: 'put', id: u.id, hash: u.hash, dims, v: encodeVector(u.vector) }));
      }
      for (const id of deletes) lines.push(JSON.stringify({ op: 'del', id }));
      const { log } = this.paths(signature);
      // One append per batch: O_APPEND writes land whole at the end of the file.
      await appendFile(log, lines.join('\n') + '\n', { mode: 0o644 });

      let st = this.state.get(signature);
      if (!st) {
        const r = await this.readState(signature);
        st = { logEntries: r.logEntries, liveRows: r.stored?.entries.size ?? 0 };
        this.state.set(signature, st);
      } else {
        st.logEntries += lines.length;
        st.liveRows += upserts.length; // an upper bound; exact after the next read
      }
      if (st.logEntries >= Math.max(this.compactMin, COMPACT_RATIO * st.liveRows)) await this.compact(signature);
    });
  }

  /**
   * Compact now when the log holds more than a few rows: a bulk build saves slice by slice, and a
   * log of a thousand base64 rows costs every later open a JSON parse per row.
   */
  settle(signature: string): Promise<void> {
    return this.serial(signature, async () => {
      const st = this.state.get(signature);
      if (st && st.logEntries > SETTLE_MIN_ENTRIES) await this.compact(signature);
    });
  }

  clear(signature: string): Promise<void> {
    return this.serial(signature, async () => {
      const { snap, log } = this.paths(signature);
      await rm(snap, { force: true });
      await rm(log, { force: true });
      this.state.set(signature, { logEntries: 0, liveRows: 0 });
    });
  }

  /** Fold the log into a fresh snapshot. Public for tests and maintenance commands. */
  compactNow(signature: string): Promise<void> {
    return this.serial(signature, () => this.compact(signature));
  }

  private async compact(signature: string): Promise<void> {
    const { snap, log } = this.paths(signature);
    const r = await this.readState(signature);
    const stored = r.stored;
    if (!stored) {
      await rm(snap, { force: true });
      await writeFileAtomic(log, '');
      this.state.set(signature, { logEntries: 0, liveRows: 0 });
      return;
    }
    await writeFileAtomic(snap, encodeSnapshot(stored));
    // Emptying the log after the snapshot is durable: replaying it again would be harmless.
    await writeFileAtomic(log, '');
    this.state.set(signature, { logEntries: 0, liveRows: stored.entries.size });
  }

  private async readState(signature: string): Promise<{ stored: StoredVectors | undefined; logEntries: number }> {
    const { snap, log } = this.paths(signature);
    const base = decodeSnapshot(await readIfExists(snap));
    let dims = base?.dims;
    const entries = base?.entries ?? new Map<string, { hash: string; vector: Float32Array }>();
    let logEntries = 0;
    const logBytes = await readIfExists(log);
    if (logBytes) {
      const text = Buffer.from(logBytes).toString('utf8');
      let start = 0;
      while (start < text.length) {
        const nl = text.indexOf('\n', start);
        if (nl < 0) break; // torn last line: ignore
        const line = text.slice(start, nl);
        start = nl + 1;
        if (line.trim() === '') continue;
        const rec = parseLogLine(line);
        if (!rec) break; // corruption: everything after it is untrustworthy
        logEntries++;
        if (rec.op === 'del') {
          entries.delete(rec.id);
          continue;
        }
        dims ??= rec.dims;
        if (rec.dims !== dims) continue;
        const vector = decodeVector(rec.v, dims);
        if (!vector) break;
        entries.set(rec.id, { hash: rec.hash, vector });
      }
    }
    if (dims === undefined) return { stored: undefined, logEntries };
    return { stored: { dims, entries }, logEntries };
  }

  private serial<T>(signature: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.chains.get(signature) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    // The chain keeps only completion, never the value: a load's result holds every vector, and
    // keeping it reachable from here would double the memory of the vector index for good.
    this.chains.set(
      signature,
      next.then(
        () => undefined,
        () => undefined,
      ),
    );
    return next;
  }
}

async function readIfExists(file: string): Promise<Uint8Array | undefined> {
  try {
    const st = await stat(file);
    if (!st.isFile() || st.size > MAX_FILE_BYTES) return undefined;
    return await readFile(file);
  } catch {
    return undefined;
  }
}

function parseLogLine(line: string): z.infer<typeof LogLineSchema> | undefined {
  try {
    const r = LogLineSchema.safeParse(JSON.parse(line));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}

function toLittleEndianBytes(values: Float32Array): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  if (LITTLE_ENDIAN) {
    bytes.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  } else {
    const dv = new DataView(bytes.buffer);
    for (let i = 0; i < values.length; i++) dv.setFloat32(i * 4, values[i]!, true);
  }
  return bytes;
}

function fromLittleEndianBytes(bytes: Uint8Array, offset: number, count: number): Float32Array {
  const out = new Float32Array(count);
  if (LITTLE_ENDIAN) {
    new Uint8Array(out.buffer).set(bytes.subarray(offset, offset + count * 4));
  } else {
    const dv = new DataView(bytes.buffer, bytes.byteOffset + offset, count * 4);
    for (let i = 0; i < count; i++) out[i] = dv.getFloat32(i * 4, true);
  }
  return out;
}

export function encodeVector(v: Float32Array): string {
  return Buffer.from(toLittleEndianBytes(v)).toString('base64');
}

export function decodeVector(b64: string, dims: number): Float32Array | undefined {
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.length !== dims * 4) return undefined;
  const v = fromLittleEndianBytes(bytes, 0, dims);
  for (let i = 0; i < dims; i++) if (!Number.isFinite(v[i]!)) return undefined;
  return v;
}

function checksumV2(bytes: Uint8Array): string {
  return crc32(bytes).toString(16).padStart(8, '0');
}

function checksum(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 32);
}

export function encodeSnapshot(stored: StoredVectors): Uint8Array {
  const ids = [...stored.entries.keys()];
  const dims = stored.dims;
  const body = new Float32Array(ids.length * dims);
  const hashes: string[] = [];
  ids.forEach((id, r) => {
    const e = stored.entries.get(id)!;
    body.set(e.vector, r * dims);
    hashes.push(e.hash);
  });
  const bodyBytes = toLittleEndianBytes(body);
  const header = Buffer.from(
    JSON.stringify({ version: 2, dims, count: ids.length, ids, hashes, checksum: checksumV2(bodyBytes) }),
    'utf8',
  );
  const pre = MAGIC.length + 4 + header.length;
  const pad = (4 - (pre % 4)) % 4;
  const out = new Uint8Array(pre + pad + bodyBytes.length);
  out.set(Buffer.from(MAGIC, 'latin1'), 0);
  new DataView(out.buffer).setUint32(MAGIC.length, header.length, true);
  out.set(header, MAGIC.length + 4);
  out.set(bodyBytes, pre + pad);
  return out;
}

/** Parse a snapshot; undefined for anything missing, truncated, foreign or corrupt. */
export function decodeSnapshot(bytes: Uint8Array | undefined): StoredVectors | undefined {
  if (!bytes || bytes.length < MAGIC.length + 4) return undefined;
  if (Buffer.from(bytes.subarray(0, MAGIC.length)).toString('latin1') !== MAGIC) return undefined;
  const headerLen = new DataView(bytes.buffer, bytes.byteOffset).getUint32(MAGIC.length, true);
  const pre = MAGIC.length + 4 + headerLen;
  if (pre > bytes.length) return undefined;
  let header: z.infer<typeof HeaderSchema>;
  try {
    const parsed = HeaderSchema.safeParse(JSON.parse(Buffer.from(bytes.subarray(MAGIC.length + 4, pre)).toString('utf8')));
    if (!parsed.success) return undefined;
    header = parsed.data;
  } catch {
    return undefined;
  }
  const { dims, count, ids, hashes } = header;
  if (ids.length !== count || hashes.length !== count) return undefined;
  const offset = pre + ((4 - (pre % 4)) % 4);
  const bodyLen = count * dims * 4;
  if (bytes.length !== offset + bodyLen) return undefined;
  const sum = header.version === 1 ? checksum : checksumV2;
  if (sum(bytes.subarray(offset, offset + bodyLen)) !== header.checksum) return undefined;
  const body = fromLittleEndianBytes(bytes, offset, count * dims);
  const entries = new Map<string, { hash: string; vector: Float32Array }>();
  // views of one buffer: the index copies the rows it adopts into its own matrix
  for (let r = 0; r < count; r++) entries.set(ids[r]!, { hash: hashes[r]!, vector: body.subarray(r * dims, (r + 1) * dims) });
  return { dims, entries };
}
