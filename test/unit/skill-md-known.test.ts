import { describe, expect, it } from 'vitest';
import { instructionsOfKnown, parseSkillMd, renderSkillMd, type ParseContext } from '../../src/engine/skill/skill-md.js';
import { makeSkill } from '../fixtures/store-helpers.js';

// Rendering reads a skill's instructions from its SKILL.md without parsing the YAML again when the
// store's record (name, description) came from these very bytes. It must give exactly what a full
// parse gives, or decline.

const ctx: ParseContext = { owner: 'user:u1', slug: 'notes', fallbackId: 'fallback-id' };

function expectSameAsParse(text: string): void {
  const full = parseSkillMd(text, ctx).skill;
  const fast = instructionsOfKnown(text, { name: full.name, description: full.description });
  expect(fast).toBeDefined();
  expect(fast).toBe(full.instructions);
}

describe('instructionsOfKnown', () => {
  it('gives what a full parse gives for files the renderer writes', () => {
    const shapes = [
      { instructions: 'Write the email.\n\n- Plain prose\n- No tables' },
      { instructions: '## Steps\n\n1. Read the brief\n2. Draft\n\n```bash\necho "---"\n```', triggers: ['status email', '周报'] },
      { instructions: '以后写周报：\n- 每项写完成度\n- 不要编数据', examples: [{ input: '写周报', output: '本周…' }] },
      { description: 'Use when the user asks for release notes: what changed, for whom.', instructions: 'Lead with the user-visible change.' },
    ];
    for (const over of shapes) expectSameAsParse(renderSkillMd(makeSkill({ id: 'a1', slug: 'notes', name: 'Notes', description: 'Use for notes.', ...over })));
  });

  it('reads hand-written files: a title and description repeated in the body, CRLF, a BOM', () => {
    const text = '---\nname: notes\ndescription: Use for meeting notes.\n---\n# Notes\n\nUse for meeting notes.\n\nKeep decisions first.\n\n## Examples\n\n- input: notes from standup\n';
    expectSameAsParse(text);
    expectSameAsParse('\ufeff' + text.replace(/\n/g, '\r\n'));
  });

  it('declines when only the YAML can tell', () => {
    const known = { name: 'notes', description: 'Use for notes.' };
    // a prompt or instructions key overrides the body
    expect(instructionsOfKnown('---\nname: notes\ndescription: Use for notes.\nprompt: Say hi.\n---\nBody.\n', known)).toBeUndefined();
    expect(instructionsOfKnown('---\nname: notes\ndescription: Use for notes.\n"instructions": Say hi.\n---\nBody.\n', known)).toBeUndefined();
    // no front matter, or one that does not close
    expect(instructionsOfKnown('# Notes\n\nBody.\n', known)).toBeUndefined();
    expect(instructionsOfKnown('---\nname: notes\nBody.\n', known)).toBeUndefined();
    // a description shortened to the limit had its full text moved into the instructions
    const long = 'word '.repeat(260).trim();
    const text = `---\nname: notes\ndescription: ${long}\n---\nBody.\n`;
    const full = parseSkillMd(text, ctx).skill;
    expect(full.instructions.startsWith('word word')).toBe(true);
    expect(instructionsOfKnown(text, { name: full.name, description: full.description })).toBeUndefined();
  });
});
