import { open, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../atomic.js';

/**
 * Cross-process change feed for one store root:
 *
 *   <root>/.autoskill/generation     {"gen": N}: bumped (atomically) by every write
 *   <root>/.autoskill/changes.jsonl  one line per generation: which skill folder changed
 *
 * Why: every process keeps the whole store in memory. A process that takes the store lock reads
 * the tiny generation file; when it moved, it reloads only the folders named by the missing log
 * lines instead of re-scanning thousands of skills. If lines are missing (the log was rotated or a
 * writer crashed mid-append) the caller falls back to a full re-scan, which is always correct.
 * All reads and writes of these files happen under the store's cross-process write lock.
 */

export const ChangeSchema = z.object({
  gen: z.number().int().positive(),
  op: z.enum(['put', 'delete']),
  id: z.string(),
  owner: z.string(),
  /** skill folder relative to the root, "/"-separated */
  dir: z.string(),
  version: z.string().optional(),
  at: z.string(),
});
export type Change = z.infer<typeof ChangeSchema>;

const ROTATE_BYTES = 2 * 1024 * 1024;
const KEEP_AFTER_ROTATE = 2000;

export class ChangeLog {
  private readonly genFile: string;
  private readonly logFile: string;

  constructor(readonly dir: string) {
    this.genFile = path.join(dir, 'generation');
    this.logFile = path.join(dir, 'changes.jsonl');
  }

  async readGen(): Promise<number> {
    try {
      const v: unknown = JSON.parse(await readFile(this.genFile, 'utf8'));
      const gen = (v as { gen?: unknown })?.gen;
      return typeof gen === 'number' && Number.isSafeInteger(gen) && gen >= 0 ? gen : 0;
    } catch {
      return 0;
    }
  }

  /**
   * Changes with `from < gen <= to`, in order, or undefined when the log cannot account for every
   * generation in that range (the caller must re-scan).
   */
  async since(from: number, to: number): Promise<Change[] | undefined> {
    if (to <= from) return [];
    let text: string;
    try {
      text = await readFile(this.logFile, 'utf8');
    } catch {
      return undefined;
    }
    const byGen = new Map<number, Change>();
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        const c = ChangeSchema.parse(JSON.parse(line));
        if (c.gen > from && c.gen <= to) byGen.set(c.gen, c);
      } catch {
        // A torn line from a crashed writer: its generation will be missing, forcing a re-scan.
      }
    }
    const out: Change[] = [];
    for (let g = from + 1; g <= to; g++) {
      const c = byGen.get(g);
      if (!c) return undefined;
      out.push(c);
    }
    return out;
  }

  /**
   * Record a change and publish its generation. The line goes first, then the generation, so a
   * reader that sees generation N always finds line N. Each line starts with "\n" so that a torn
   * line left by a crash can never glue onto the next one.
   */
  async append(change: Change): Promise<void> {
    await this.appendMany([change]);
  }

  /** Record several changes (consecutive generations, in order) with one write and one publish. */
  async appendMany(changes: Change[]): Promise<void> {
    const last = changes[changes.length - 1];
    if (!last) return;
    const fh = await open(this.logFile, 'a');
    try {
      await fh.write(changes.map((c) => '\n' + JSON.stringify(c)).join(''));
      await fh.sync();
    } finally {
      await fh.close();
    }
    await writeFileAtomic(this.genFile, JSON.stringify({ gen: last.gen }));
    await this.maybeRotate(last.gen);
  }

  private async maybeRotate(gen: number): Promise<void> {
    const st = await stat(this.logFile).catch(() => undefined);
    if (!st || st.size < ROTATE_BYTES) return;
    const kept = (await this.since(Math.max(0, gen - KEEP_AFTER_ROTATE), gen)) ?? [];
    await writeFileAtomic(this.logFile, kept.map((c) => '\n' + JSON.stringify(c)).join(''));
  }
}
