import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { DocText, DocTokens } from './doc-terms.js';

/** One skill's build work: its tokens, its LocalEmbedder vector, or both. */
export interface BuildTask {
  doc?: DocText;
  embed?: { text: string; dimensions: number; ngramWeight: number };
}

export interface BuildResult {
  tokens?: DocTokens;
  vector?: Float32Array;
}

/**
 * Tokenizing (and, for the LocalEmbedder, embedding) many skills at once (a first open, an import)
 * on worker threads.
 *
 * Tokenizing is pure CPU work on each skill's own text (ICU word segmentation, identifier
 * splitting, stemming): ~8 s of the ~15 s index build of the 5,182-skill bank, on one core. Spread
 * over the machine's cores it runs in parallel, and during an import it overlaps the main
 * thread's parsing and file writes. Built-in worker_threads rather than a pool library: the work
 * is one function over an array, and the threads exit once a build is done (an idle server keeps
 * none).
 *
 * The workers load the tokenizer, doc-terms.ts and hash-embed.ts by file URL, from dist/ or, in
 * development, from src/ (Node strips the types; these modules import nothing). If a worker cannot start or
 * fails, the caller tokenizes on its own thread: the result is the same either way, since the
 * same functions run on the same text.
 */

/** Fewer skills than this are tokenized inline: starting workers costs more than it saves. */
export const PARALLEL_MIN = 256;
/** skills sent to a worker per message: large enough to amortize the copy, small enough to balance */
const CHUNK = 64;

// An eval'd worker is CommonJS; it imports the two ES modules by URL.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const ready = Promise.all([import(workerData.tokenize), import(workerData.docTerms), import(workerData.hashEmbed)]);
parentPort.on('message', async (msg) => {
  try {
    const [tok, dt, he] = await ready;
    const out = msg.tasks.map((t) => ({
      tokens: t.doc ? dt.docTokens(t.doc, tok.tokenize) : undefined,
      vector: t.embed ? he.hashEmbed(t.embed.text, t.embed.dimensions, t.embed.ngramWeight, tok) : undefined,
    }));
    parentPort.postMessage({ seq: msg.seq, out });
  } catch (err) {
    parentPort.postMessage({ seq: msg.seq, error: String(err && err.message || err) });
  }
});
`;

function moduleUrl(name: string): string {
  // from src/ this module is build-pool.ts and its siblings are .ts; from dist/ they are .js
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${name}${ext}`, import.meta.url).href;
}

/** How many workers a build uses: one per core, at most 4, at least 2 (the main thread mostly waits). */
export function buildThreads(): number {
  return Math.max(2, Math.min(4, os.availableParallelism()));
}

/**
 * Run `tasks` on `threads` worker threads; results in input order. Rejects when a worker cannot
 * start or fails (the caller then does the work inline).
 */
export async function buildInWorkers(tasks: readonly BuildTask[], threads = buildThreads()): Promise<BuildResult[]> {
  const docs = tasks;
  const out = new Array<BuildResult>(docs.length);
  const chunks: number[] = [];
  for (let i = 0; i < docs.length; i += CHUNK) chunks.push(i);
  const workers = Array.from({ length: Math.max(1, Math.min(threads, chunks.length)) }, () =>
    new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { tokenize: moduleUrl('tokenize'), docTerms: moduleUrl('doc-terms'), hashEmbed: moduleUrl('hash-embed') },
    }),
  );
  let next = 0;
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            const send = (): void => {
              if (next >= chunks.length) return resolve();
              const start = chunks[next++]!;
              w.postMessage({ seq: start, tasks: docs.slice(start, start + CHUNK) });
            };
            w.on('message', (msg: { seq: number; out?: BuildResult[]; error?: string }) => {
              if (msg.error !== undefined || !msg.out) return reject(new Error(`index build worker failed: ${msg.error}`));
              msg.out.forEach((d, k) => (out[msg.seq + k] = d));
              send();
            });
            w.once('error', reject);
            w.once('exit', (code) => reject(new Error(`index build worker exited with ${code}`)));
            send();
          }),
      ),
    );
  } finally {
    for (const w of workers) {
      w.removeAllListeners('exit');
      void w.terminate();
    }
  }
  return out;
}
