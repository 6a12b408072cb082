import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { unzipSync } from 'fflate';
import { ValidationError, TooLargeError } from '../errors.js';

/**
 * Unpacking an uploaded archive off the event loop. fflate's `unzipSync` inflates every entry in
 * one synchronous run (the 4,721 files of the ConvSkill bank, 7 MB zipped: about 1 s), and its
 * async `unzip` still inflates entries under 512 KB synchronously, in one loop, so an upload
 * would stall every other request. Large archives are unpacked in a `worker_threads` worker with a
 * time limit instead; small ones (where starting a worker costs more than it saves) stay inline.
 *
 * Built-in worker_threads rather than a pool library (e.g. piscina): archive imports are rare and
 * one short-lived worker per upload is all they need; a pool would keep threads alive for nothing.
 */

/** Archives up to this size are unpacked inline. */
const INLINE_BYTES = 512 * 1024;

// An eval'd worker is CommonJS: it loads fflate by absolute path, so it works from src and dist alike.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { unzipSync } = require(workerData.fflate);
const allow = new Set(workerData.names);
const out = unzipSync(workerData.bytes, { filter: (f) => allow.has(f.name) });
parentPort.postMessage(out, Object.values(out).map((u) => u.buffer));
`;

let fflatePath: string | undefined;

/** The entries named in `names`, unpacked; inline for small archives, else in a worker within `timeoutMs`. */
export async function unzipEntries(bytes: Uint8Array, names: readonly string[], timeoutMs = 30_000): Promise<Record<string, Uint8Array>> {
  if (bytes.byteLength <= INLINE_BYTES || names.length === 0) {
    const allow = new Set(names);
    return unzipSync(bytes, { filter: (f) => allow.has(f.name) });
  }
  fflatePath ??= createRequire(import.meta.url).resolve('fflate');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { bytes, names, fflate: fflatePath } });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new TooLargeError(`the archive took longer than ${Math.round(timeoutMs / 1000)} s to unpack; nothing was imported`));
    }, timeoutMs);
    worker.once('message', (out: Record<string, Uint8Array>) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(out);
    });
    worker.once('error', (err: Error) => {
      clearTimeout(timer);
      reject(new ValidationError(`not a readable zip archive: ${err.message}`, { cause: err }));
    });
    worker.once('exit', (code) => {
      clearTimeout(timer);
      reject(new ValidationError(`the archive could not be unpacked (worker exited with ${code})`));
    });
  });
}
