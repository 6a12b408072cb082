import { describe, expect, it } from 'vitest';
import { heuristicMerge, superseded } from '../../src/engine/learn/merge.js';
import { extractOffline } from '../../src/engine/learn/offline-extractor.js';
import { parsePrompt } from '../../src/engine/learn/sections.js';
import { afterAnswer, useTempSdk } from '../helpers/feedback-turns.js';

/**
 * A user changes a standing preference: "reply in Chinese", later "reply in English, not Chinese";
 * "plain text only", later "forget the plain text thing, markdown is fine again". The newer wish
 * replaces the older one in the skill (the offline merge would otherwise keep both, oldest first,
 * and the model would get two contradicting rules), and the skill is named after what it holds.
 */

const turn = afterAnswer;

const openSdk = useTempSdk('autoskill-standing-change-');

describe('a newer standing wish replaces the older one it contradicts', () => {
  it('superseded rules: every facet of the old rule spoken to by the new ones', () => {
    expect(superseded('Reply to me in Chinese.', ['Reply to me in English, not Chinese.'])).toBe(true);
    expect(superseded('Plain text, and reply in Chinese.', ['Reply in English.'])).toBe(false);
    expect(superseded('Cite your sources.', ['Reply in English.'])).toBe(false);
  });

  it('a taken-back wish is learned as a standing rule named by what it allows', () => {
    for (const wish of ['Actually, forget the plain text thing, markdown is fine again.', '之前说的纯文本就算了，markdown又可以用了']) {
      const r = extractOffline({ userId: 'u', messages: turn('Explain DNS.', wish) });
      expect(r.candidate?.applies, wish).toBe('always');
      expect(r.candidate?.name, wish).toMatch(/markdown/i);
    }
  });

  it.each([
    ['Reply to me in Chinese from now on.', 'From now on reply to me in English, not Chinese.', /English/, /^(?!.*\bin Chinese from now on)/],
    ['From now on, always answer me in plain text only.', 'Actually, forget the plain text thing, markdown is fine again.', /markdown is fine/, /^(?!.*plain text only)/],
    ['Call me Sam from now on.', 'From now on call me Alex.', /Alex/, /^(?!.*Sam)/],
    ['以后叫我小周', '以后叫我周老师吧', /周老师/, /^(?!.*小周)/],
  ])('%s, then %s: the SDK injects only the newer wish', async (older, newer, has, lacks) => {
    const sdk = await openSdk();
    for (const [i, wish] of [older, newer].entries()) {
      const job = await sdk.observeTurn('sam', turn('Explain how DNS works.', wish), { sessionId: `s${i}` });
      expect((await sdk.jobs.wait(undefined, job!.id)).state).toBe('completed');
      await sdk.settled();
    }
    const skills = sdk.list({ userId: 'sam', scope: 'user' });
    expect(skills).toHaveLength(1);
    const rules = parsePrompt(skills[0]!.instructions).constraints.join(' | ');
    expect(rules).toMatch(has);
    expect(rules).toMatch(lacks);
    const r = await sdk.retrieveForTurn([{ role: 'user', content: 'What is a good name for a goldfish?' }], { userId: 'sam' });
    expect(r.standing.map((s) => s.id)).toEqual([skills[0]!.id]);
  });

  it('the merge keeps rules the new one does not speak to', () => {
    const existing = {
      id: 'x', name: 'Answers: reply language', description: 'd', owner: 'user:u', version: '0.1.0', triggers: [], tags: [], metadata: {}, resources: [],
      instructions: '# Goal\ng\n\n# Constraints & Style\n- Reply to me in Chinese.\n- Never use emoji.\n',
    } as unknown as Parameters<typeof heuristicMerge>[0];
    const cand = extractOffline({ userId: 'u', messages: turn('Explain DNS.', 'From now on reply to me in English, not Chinese.') }).candidate!;
    const merged = parsePrompt(heuristicMerge(existing, cand).instructions).constraints;
    expect(merged.join(' | ')).toMatch(/emoji/);
    expect(merged.join(' | ')).toMatch(/English/);
    expect(merged.some((r) => /^Reply to me in Chinese/.test(r))).toBe(false);
  });
});
