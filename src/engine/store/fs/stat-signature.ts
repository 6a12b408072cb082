import { lstatSync } from 'node:fs';
import { AccessDeniedError, NotFoundError, StorageError, TooLargeError } from '../../errors.js';

/**
 * What a file's stat says about its bytes, so that opening a store need not read and hash every
 * SKILL.md whose hash the parse cache already holds.
 *
 * The key joins size, mtime, ctime and inode: an in-place edit moves mtime and ctime (ctime cannot
 * be set back by any tool), an atomic replace brings a new inode. A signature only vouches for a
 * hash when the file was last changed well before it was taken (`settled`): file times come from a
 * coarse clock, so two writes within one tick can leave the same times, and a read between them
 * would pair the first bytes with the second write's stat (git's "racily clean" entries). A file
 * changed within RACY_MS of the stat is hashed again on the next open instead.
 */
export interface StatSignature {
  key: string;
  settled: boolean;
}

/** How long after its last change a file's stat may vouch for its bytes. */
export const RACY_MS = 2000;

export function statSignature(file: string, maxBytes: number, now = Date.now()): StatSignature {
  let st;
  try {
    st = lstatSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new NotFoundError(`not found: ${file}`, { cause: err });
    throw new StorageError(`cannot stat ${file}: ${(err as Error).message}`, { cause: err });
  }
  if (!st.isFile()) throw new AccessDeniedError(`not a regular file: ${file}`);
  if (st.size > maxBytes) throw new TooLargeError(`file too large (${st.size} > ${maxBytes} bytes): ${file}`);
  return {
    key: `${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.ino}`,
    settled: now - Math.max(st.mtimeMs, st.ctimeMs) > RACY_MS,
  };
}
