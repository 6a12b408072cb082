import { crc32 } from 'node:zlib';

/**
 * Integrity of unpacked zip entries. fflate (the unzip library) trusts the central directory's
 * sizes and never checks CRC-32, so an entry that lies about its size came out truncated and was
 * stored as if whole. This reads each entry's declared CRC-32 and size from the central
 * directory (the same records fflate reads) and compares them with what was unpacked.
 */

export interface DeclaredEntry {
  crc: number;
  /** uncompressed size; undefined when given in a ZIP64 extra field */
  size: number | undefined;
}

const u16 = (b: Uint8Array, i: number): number => b[i]! | (b[i + 1]! << 8);
const u32 = (b: Uint8Array, i: number): number => (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;
const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

/** Entry name → declared CRC-32 and size. Empty when the directory cannot be found (fflate then fails too). */
export function declaredEntries(zip: Uint8Array): Map<string, DeclaredEntry> {
  const out = new Map<string, DeclaredEntry>();
  let e = zip.length - 22;
  while (e >= 0 && u32(zip, e) !== 0x06054b50) {
    if (zip.length - e > 65558) return out;
    e--;
  }
  if (e < 0) return out;
  let count = u16(zip, e + 8);
  let o = u32(zip, e + 16);
  if (e >= 20 && u32(zip, e - 20) === 0x07064b50) {
    const ze = Number(u32(zip, e - 12));
    if (u32(zip, ze) === 0x06064b50) {
      count = u32(zip, ze + 32);
      o = u32(zip, ze + 48);
    }
  }
  for (let i = 0; i < count && o + 46 <= zip.length; i++) {
    if (u32(zip, o) !== 0x02014b50) break;
    const flags = u16(zip, o + 8);
    const crc = u32(zip, o + 16);
    const size = u32(zip, o + 24);
    const nameLen = u16(zip, o + 28);
    const extraLen = u16(zip, o + 30);
    const commentLen = u16(zip, o + 32);
    const nameBytes = zip.subarray(o + 46, o + 46 + nameLen);
    const name = (flags & 0x800 ? utf8 : latin1).decode(nameBytes);
    out.set(name, { crc, size: size === 0xffffffff ? undefined : size });
    o += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/** Why an unpacked entry does not match its declaration, or undefined when it does. */
export function entryProblem(data: Uint8Array, declared: DeclaredEntry | undefined): string | undefined {
  if (!declared) return 'not listed in the archive directory';
  if (declared.size !== undefined && data.byteLength !== declared.size) {
    return `declares ${declared.size} bytes but unpacks to ${data.byteLength}; the archive is damaged or forged`;
  }
  if ((crc32(data) >>> 0) !== declared.crc) return 'CRC-32 does not match; the archive is damaged or forged';
  return undefined;
}
