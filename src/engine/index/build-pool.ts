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
 * is one function over an array, and the threads exit shortly after a build (an idle server
 * keeps none).
 *
 * The workers load the tokenizer, doc-terms.ts and hash-embed.ts by file URL, from dist/ or, in
 * development, from src/ (Node strips the types; these modules import nothing). If a worker cannot start or
 * fails, the caller tokenizes on its own thread: the result is the same either way, since the
 * same functions run on the same text.
 */

/**
 * Fewer skills than this are tokenized inline: sending them costs more than it saves. An import
 * indexes batches of about this size while it writes the next ones.
 */
export const PARALLEL_MIN = 64;
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
 * Workers kept for IDLE_MS after a build: an import indexes one batch after another, and starting
 * threads (and their tokenizer) for each batch would cost more than the batch. Idle workers are
 * unref'd, so they never keep the process alive, and exit after the pause.
 */
const IDLE_MS = 2000;
let idle: Worker[] = [];
let idleTimer: NodeJS.Timeout | undefined;

function spawnWorker(): Worker {
  const w = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { tokenize: moduleUrl('tokenize'), docTerms: moduleUrl('doc-terms'), hashEmbed: moduleUrl('hash-embed') },
  });
  // a worker that dies while idle just leaves the pool
  w.once('exit', () => (idle = idle.filter((x) => x !== w)));
  return w;
}

function takeWorkers(n: number): Worker[] {
  const ws = idle.splice(0, n);
  while (ws.length < n) ws.push(spawnWorker());
  for (const w of ws) w.ref();
  return ws;
}

function releaseWorkers(ws: Worker[]): void {
  for (const w of ws) w.unref();
  idle.push(...ws);
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    const done = idle;
    idle = [];
    for (const w of done) void w.terminate();
  }, IDLE_MS);
  idleTimer.unref();
}

/**
 * Run `tasks` on `threads` worker threads; results in input order. Rejects when a worker cannot
 * start or fails (the caller then does the work inline).
 */
export async function buildInWorkers(tasks: readonly BuildTask[], threads = buildThreads()): Promise<BuildResult[]> {
  const out = new Array<BuildResult>(tasks.length);
  const chunks: number[] = [];
  for (let i = 0; i < tasks.length; i += CHUNK) chunks.push(i);
  const workers = takeWorkers(Math.max(1, Math.min(threads, chunks.length)));
  const detach: Array<() => void> = [];
  let next = 0;
  let failed = false;
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            const send = (): void => {
              if (next >= chunks.length) return resolve();
              const start = chunks[next++]!;
              w.postMessage({ seq: start, tasks: tasks.slice(start, start + CHUNK) });
            };
            const onMessage = (msg: { seq: number; out?: BuildResult[]; error?: string }): void => {
              if (msg.error !== undefined || !msg.out) return reject(new Error(`index build worker failed: ${msg.error}`));
              msg.out.forEach((d, k) => (out[msg.seq + k] = d));
              send();
            };
            const onExit = (code: number): void => reject(new Error(`index build worker exited with ${code}`));
            w.on('message', onMessage);
            w.on('error', reject);
            w.on('exit', onExit);
            detach.push(() => {
              w.off('message', onMessage);
              w.off('error', reject);
              w.off('exit', onExit);
            });
            send();
          }),
      ),
    );
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    for (const d of detach) d();
    // a failed build's workers may be mid-task or broken: never hand them to the next build
    if (failed) for (const w of workers) void w.terminate();
    else releaseWorkers(workers);
  }
  return out;
}
