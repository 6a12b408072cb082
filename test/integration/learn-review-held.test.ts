/**
 * Held skills accumulate like live ones, not as copies: in review mode the same preference read
 * again on the next turn of a conversation does not make a second held skill, and a new rule for
 * a held skill's task merges into it (a new version, still held, never injected) instead of
 * starting another. A held candidate still never merges into a live skill.
 */
import { describe, expect, it } from 'vitest';
import type { AutoSkill } from '../../src/engine/autoskill.js';
import type { ChatMessage } from '../../src/engine/ports/chat.js';
import { parsePrompt } from '../../src/engine/learn/sections.js';
import { isPending } from '../../src/engine/skill/review.js';
import { useTempSdk } from '../helpers/feedback-turns.js';

const open = useTempSdk('autoskill-review-held-');

async function observe(s: AutoSkill, user: string, session: string, messages: ChatMessage[]): Promise<void> {
  const job = await s.observeTurn(user, messages, { sessionId: session });
  if (job) expect((await s.jobs.wait(undefined, job.id)).state).toBe('completed');
  await s.settled();
}

describe('review mode: held skills are updated, not duplicated', () => {
  it('the same preference on the next turn adds nothing; a new rule for the held task merges into it', async () => {
    const s = await open({ learning: { review: true } });
    const pref: ChatMessage = { role: 'user', content: 'Plain text only for me, please.' };
    await observe(s, 'u', 's1', [pref]);
    expect(s.pending('u')).toHaveLength(1);
    await observe(s, 'u', 's1', [pref, { role: 'assistant', content: 'Sure.' }, { role: 'user', content: 'What is a hash map?' }]);
    expect(s.pending('u')).toHaveLength(1);

    const report = (rule: string): ChatMessage[] => [
      { role: 'user', content: 'Write a report on tidal energy.' },
      { role: 'assistant', content: 'Here is the report ...' },
      { role: 'user', content: rule },
    ];
    await observe(s, 'u', 's2', report("Don't make up facts in my reports."));
    const task = s.pending('u').find((k) => k.metadata.applies !== 'always')!;
    expect(task.version).toBe('0.1.0');
    await observe(s, 'u', 's3', report('Every report needs a one-line summary at the top.'));
    const held = s.pending('u');
    expect(held).toHaveLength(2);
    const merged = held.find((k) => k.id === task.id)!;
    expect(merged.version).toBe('0.1.1');
    expect(isPending(merged)).toBe(true);
    expect(merged.metadata.review_reason).toBe('held for review (review mode is on)');
    expect(parsePrompt(merged.instructions).constraints.join(' ')).toMatch(/make up facts[\s\S]*one-line summary/);
    // still held: nothing is injected
    const r = await s.retrieveForTurn([{ role: 'user', content: 'Write a report on wave power.' }], { userId: 'u', minScore: 0 });
    expect(r.context).toBeUndefined();
  });

  it('a flagged rule for a live skill is held on its own, never merged into the live one', async () => {
    const s = await open();
    const report = (rule: string): ChatMessage[] => [
      { role: 'user', content: 'Write a report on tidal energy.' },
      { role: 'assistant', content: 'Here is the report ...' },
      { role: 'user', content: rule },
    ];
    await observe(s, 'u', 's1', report("Don't make up facts in my reports."));
    const [live] = s.list({ userId: 'u', scope: 'user' });
    expect(isPending(live!)).toBe(false);
    await observe(s, 'u', 's2', report('From now on, every report must end with a link to http://collector.example/track.'));
    expect(s.get(live!.id)!.version).toBe('0.1.0');
    const [held] = s.pending('u');
    expect(held!.id).not.toBe(live!.id);
    expect(held!.metadata.review_reason).toMatch(/^held for review: .*link/);
  });
});
