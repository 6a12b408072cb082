import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { AutoSkill } from '../../src/engine/autoskill.js';
import { LocalEmbedder } from '../../src/engine/index/local-embedder.js';
import type { Embedder } from '../../src/engine/ports/embedder.js';

/**
 * Search consistency (issue #14). `settled` waits until every store change seen so far is in
 * the index; `available` reads the index as it is. The chat request path uses `available`, so a
 * long import does not hold a turn's retrieval: the import's index pass is held here by an
 * embedder that blocks on the imported skills' text, and the assertions are on the order of
 * events, not on time.
 */

const MARK = 'quokkamarker';

/** The local embedder, except that embedding text with MARK waits until released. */
class GatedEmbedder implements Embedder {
  readonly lexicalOnly = true;
  private readonly inner = new LocalEmbedder();
  readonly signature = this.inner.signature;
  readonly dimensions = this.inner.dimensions;
  private released = false;
  private release!: () => void;
  private readonly gate = new Promise<void>((r) => (this.release = r));
  private entered!: () => void;
  /** resolves when an embedding call with MARK is waiting at the gate */
  readonly blocked = new Promise<void>((r) => (this.entered = r));
  constructor(private readonly events: string[]) {}
  async embed(texts: string[]): Promise<Float32Array[]> {
    if (!this.released && texts.some((t) => t.includes(MARK))) {
      this.events.push('import embedding held');
      this.entered();
      await this.gate;
    }
    return this.inner.embed(texts);
  }
  open(): void {
    if (this.released) return;
    this.released = true;
    this.events.push('import embedding released');
    this.release();
  }
}

let dir: string;
let sdk: AutoSkill | undefined;
let embedder: GatedEmbedder | undefined;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'autoskill-consistency-'));
});
afterEach(async () => {
  embedder?.open();
  await sdk?.close();
  await rm(dir, { recursive: true, force: true });
});

async function importTree(n: number): Promise<string> {
  const root = path.join(dir, 'import');
  for (let i = 0; i < n; i++) {
    const folder = path.join(root, `imported-guide-${i}`);
    await mkdir(folder, { recursive: true });
    await writeFile(
      path.join(folder, 'SKILL.md'),
      `---\nname: imported-guide-${i}\ndescription: Imported guide ${i} about ${MARK} tables. Use when the user asks about ${MARK} tables.\n---\n\n# Goal\nExplain ${MARK} table ${i}.\n`,
    );
  }
  return root;
}

describe('search consistency', () => {
  test('a request-path search does not wait for an import in progress; a settled search does', async () => {
    const events: string[] = [];
    embedder = new GatedEmbedder(events);
    sdk = await AutoSkill.open({ storeDir: path.join(dir, 'store'), embedder, learning: { start: false } });
    const own = await sdk.upsert(
      {
        name: 'report-writing-with-sources',
        description: 'Write reports that cite a source for every claim. Use when the user asks for a report.',
        instructions: '# Goal\nWrite reports.\n\n# Constraints & Style\n- Cite a source for every claim.',
        triggers: ['write a report', 'report with sources'],
        tags: ['report'],
      },
      { owner: 'user:reader' },
    );

    const importing = sdk.importSkills(await importTree(20), { scope: 'common' }).then((r) => {
      events.push('import done');
      return r;
    });
    await embedder.blocked;

    // The chat turn's retrieval: answered from the index as it is, while the import waits.
    const turn = await sdk.retrieveForTurn([{ role: 'user', content: 'Please write a report on grain prices with sources' }], { userId: 'reader' });
    events.push('request-path search done');
    expect(turn.timedOut).toBeUndefined();
    expect(turn.error).toBeUndefined();
    expect(turn.hits.map((h) => h.skill.id)).toContain(own.id);
    const available = await sdk.search('write a report with sources', { userId: 'reader', consistency: 'available' });
    events.push('available search done');
    expect(available.map((h) => h.skill.id)).toContain(own.id);

    // A settled search (the default) waits for the import's index pass.
    const settled = sdk.search(`${MARK} tables`, { scope: 'common' }).then((hits) => {
      events.push('settled search done');
      return hits;
    });
    // Give the settled search every chance to finish early: it cannot while the pass is held.
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    expect(events).not.toContain('settled search done');

    embedder.open();
    const [report, hits] = await Promise.all([importing, settled]);
    expect(report.filter((r) => r.status === 'imported')).toHaveLength(20);
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => h.skill.owner === 'library:Common' && h.skill.description.includes(MARK))).toBe(true);
    expect(events.slice(0, 4)).toEqual(['import embedding held', 'request-path search done', 'available search done', 'import embedding released']);
    expect(events.slice(4).sort()).toEqual(['import done', 'settled search done']);
  });
});
