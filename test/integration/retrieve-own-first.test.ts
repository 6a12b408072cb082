/**
 * Injection puts the user's own learned skills ahead of library guides on the same task: with
 * many Common report skills that match a request better lexically, the user's "my reports" rule
 * is still injected (and no other user's).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { AutoSkill } from '../../src/engine/autoskill.js';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

const TOPICS = ['market', 'industry', 'research', 'quarterly sales', 'coffee market', 'organic food market', 'annual', 'financial', 'technical', 'lab'];

it('the user\'s own matching skill is injected even when library skills outrank it', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'autoskill-ownfirst-'));
  const sdk = await AutoSkill.open({ storeDir: dir, learning: { start: false } });
  cleanup = async () => {
    await sdk.close();
    await rm(dir, { recursive: true, force: true });
  };
  // 40 library skills, each a closer lexical match for "write a market report on organic coffee"
  for (let i = 0; i < 40; i++) {
    const topic = TOPICS[i % TOPICS.length]!;
    await sdk.upsert(
      {
        name: `${topic} report writer ${i}`,
        description: `Write a ${topic} report on organic coffee and other markets, with market data.`,
        instructions: `Write the ${topic} report in sections: summary, market, outlook. Report ${i}.`,
        triggers: [`write a ${topic} report`, `${topic} report on organic coffee`],
      },
      { owner: 'library:Common' },
    );
  }
  const mine = await sdk.upsert(
    {
      name: 'Reports: no made-up facts',
      description: 'Use when the user asks for a report; applies their rules for reports.',
      instructions: '# Constraints & Style\n- Never invent facts; cite a source for each claim.',
      triggers: ['write a report', 'report'],
    },
    { actor: { userId: 'u1' } },
  );
  const query = 'Could you write a market report on organic coffee?';
  const ranked = await sdk.search(query, { userId: 'u1', limit: 5 });
  expect(ranked.map((h) => h.skill.id)).not.toContain(mine.id); // the ranked list is by score alone

  const turn = await sdk.retrieveForTurn([{ role: 'user', content: query }], { userId: 'u1' });
  expect(turn.hits[0]?.skill.id).toBe(mine.id);
  expect(turn.context?.included.map((i) => i.id)).toContain(mine.id);
  expect(turn.hits.length).toBeGreaterThan(1); // library guides still fill the rest

  const other = await sdk.retrieveForTurn([{ role: 'user', content: query }], { userId: 'u2' });
  expect(other.hits.map((h) => h.skill.id)).not.toContain(mine.id);
});
