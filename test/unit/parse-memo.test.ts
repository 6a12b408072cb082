import { expect, it } from 'vitest';
import { parseForWrite, parseWritten } from '../../src/engine/store/parse-memo.js';

/**
 * An import's parse of a SKILL.md is reused by the store's check of the same text, and only when
 * that check would parse it the same way: same owner and folder, and the same fallback id unless
 * the text names its own id. Each remembered parse is used once.
 */
const WITH_ID = `---\nname: tide-tables\ndescription: Read tide tables. Use when asked about tides.\nmetadata:\n  id: tide-1\n---\n\n# Steps\nRead the table.\n`;
const WITHOUT_ID = `---\nname: moon-phases\ndescription: Name the moon phase. Use when asked about the moon.\n---\n\n# Steps\nLook up.\n`;

it('takes a remembered parse once, for the same owner and folder', () => {
  const ctx = { owner: 'library:Common' as const, slug: 'tide-tables', fallbackId: 'fallback-a' };
  const first = parseForWrite(WITH_ID, ctx);
  // the text names its id, so another fallback id parses the same
  expect(parseWritten(WITH_ID, { ...ctx, fallbackId: 'fallback-b' })).toBe(first);
  const again = parseWritten(WITH_ID, ctx);
  expect(again).not.toBe(first);
  expect(again).toEqual(first);
});

it('parses afresh when the owner, the folder or (without an id in the text) the fallback id differ', () => {
  const ctx = { owner: 'library:Common' as const, slug: 'moon-phases', fallbackId: 'moon-a' };
  const first = parseForWrite(WITHOUT_ID, ctx);
  expect(first.skill.id).toBe('moon-a');
  const other = parseWritten(WITHOUT_ID, { ...ctx, fallbackId: 'moon-b' });
  expect(other.skill.id).toBe('moon-b');

  parseForWrite(WITH_ID, ctx);
  const user = parseWritten(WITH_ID, { ...ctx, owner: 'user:u1' });
  expect(user.skill.owner).toBe('user:u1');
  parseForWrite(WITH_ID, ctx);
  const moved = parseWritten(WITH_ID, { ...ctx, slug: 'tides-2' });
  expect(moved.skill.slug).toBe('tides-2');
});
