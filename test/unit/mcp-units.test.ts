/** Pure helpers of the MCP layer: the skill URI scheme and the transcript parser. */
import { describe, expect, it } from 'vitest';
import { parseConversation } from '../../src/mcp/conversation.js';
import { parseSkillUri, skillFileUri, skillUri } from '../../src/mcp/uri.js';

describe('skill URIs', () => {
  it('scope follows the owner; ids and paths are percent-encoded and round-trip', () => {
    expect(skillUri({ id: 'abc', owner: 'user:u1' })).toBe('skill://user/abc/SKILL.md');
    expect(skillUri({ id: 'abc', owner: 'library:Common' })).toBe('skill://common/abc/SKILL.md');
    const odd = { id: 'a,b c/ü', owner: 'user:u1' as const };
    const uri = skillFileUri(odd, 'references/设计 说明.md');
    expect(uri).toBe('skill://user/a%2Cb%20c%2F%C3%BC/references/%E8%AE%BE%E8%AE%A1%20%E8%AF%B4%E6%98%8E.md');
    // what the SDK hands the read callback is the URL-normalized string
    expect(parseSkillUri(new URL(uri).href)).toEqual({ scope: 'user', id: 'a,b c/ü', path: 'references/设计 说明.md' });
  });

  it('rejects other schemes, unknown scopes, dot segments and bad escapes', () => {
    expect(parseSkillUri('file:///etc/passwd')).toBeUndefined();
    expect(parseSkillUri('skill://admin/x/SKILL.md')).toBeUndefined();
    expect(parseSkillUri('skill://user/x/references/../../secret')).toBeUndefined();
    expect(parseSkillUri('skill://user/x/%2E%2E/secret')).toBeUndefined();
    expect(parseSkillUri('skill://user/%E0%A4%A/SKILL.md')).toBeUndefined();
    expect(parseSkillUri('skill://user/x//SKILL.md')).toBeUndefined();
  });
});

describe('parseConversation', () => {
  it('splits a labelled transcript, multi-line turns included', () => {
    const msgs = parseConversation('User: Write a report on X.\nAssistant: Here it is:\nline two\n\nUser: Always cite sources.');
    expect(msgs).toEqual([
      { role: 'user', content: 'Write a report on X.' },
      { role: 'assistant', content: 'Here it is:\nline two' },
      { role: 'user', content: 'Always cite sources.' },
    ]);
  });

  it('understands Chinese labels with full-width colons and markdown bold labels', () => {
    expect(parseConversation('用户：帮我写周报\n助手：好的\n**User**: 以后都用纯文本')).toEqual([
      { role: 'user', content: '帮我写周报' },
      { role: 'assistant', content: '好的' },
      { role: 'user', content: '以后都用纯文本' },
    ]);
  });

  it('unlabelled text is one user message; a colon inside prose is not a label', () => {
    expect(parseConversation('Note: always use metric units.\nThanks')).toEqual([
      { role: 'user', content: 'Note: always use metric units.\nThanks' },
    ]);
    expect(parseConversation('   ')).toEqual([]);
  });
});
