import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parseSkillMd, renderSkillMd, setSkillMdId, SkillMdError, type ParseContext } from '../../src/engine/skill/skill-md.js';
import { ValidationError } from '../../src/engine/errors.js';
import { validateSkillMd } from '../../src/engine/skill/validate.js';
import { hashSlug, isSpecSlug, slugify, specNameFor } from '../../src/engine/skill/slug.js';
import { deterministicId, newSkillId, SKILL_ID_NAMESPACE } from '../../src/engine/skill/ids.js';
import { bumpPatch, coerceVersion, nextVersion } from '../../src/engine/skill/version.js';
import type { Skill } from '../../src/engine/skill/schema.js';
import { makeSkill } from '../fixtures/store-helpers.js';

const ctx = (slug = 'weekly-status-email', fallbackId = 'fallback-id'): ParseContext => ({ owner: 'user:u1', slug, fallbackId });

/** parse → render → parse; asserts the round trip and that the rendered file is spec-valid. */
function roundTrip(text: string, c: ParseContext = ctx()): { first: Skill; second: Skill; md: string } {
  const first = parseSkillMd(text, c).skill;
  const md = renderSkillMd(first);
  const second = parseSkillMd(md, { ...c, fallbackId: 'must-not-be-used' }).skill;
  expect(second).toStrictEqual(first);
  expect(validateSkillMd(md, { dirName: specNameFor(first) })).toEqual([]);
  return { first, second, md };
}

function skill(over: Partial<Skill> = {}): Skill {
  return makeSkill({
    id: '9b1f6c1e-2f0a-4a55-9d7e-3f1c2a7b8e01',
    slug: 'weekly-status-email',
    name: 'weekly-status-email',
    description: 'Drafts weekly status emails in plain prose.',
    instructions: 'Write the email.',
    triggers: ['write my weekly status email'],
    tags: ['email'],
    owner: 'user:u1',
    ...over,
  });
}

/** Front matter of a rendered file as plain data. */
function frontOf(md: string): Record<string, unknown> {
  const m = /^---\n([\s\S]*?)\n---\n/.exec(md);
  if (!m) throw new Error('no front matter');
  return parseYaml(m[1] ?? '', { version: '1.2' }) as Record<string, unknown>;
}

const UPSTREAM = `---
id: "9b1f6c1e-2f0a-4a55-9d7e-3f1c2a7b8e01"
name: "weekly-status-email"
description: "Drafts weekly team status emails in plain prose."
version: "0.1.2"
tags:
  - "status-report"
  - "email"
triggers:
  - "write my weekly status email"
  - "team update email"
examples:
  - input: "Summarize this week"
    output: "Done: X\\nNext: Y"
---

# weekly-status-email

Drafts weekly team status emails in plain prose.

## Prompt

# Goal
Produce a status email from <KEY_POINTS>.

# Constraints & Style
- no tables
- at most 200 words

## Files

- \`references/tone.md\`

## Triggers

- write my weekly status email
- team update email

## Examples

### Example 1

Input:

  Summarize this week

Output:

  Done: X
  Next: Y
`;

describe('prompt section', () => {
  it('keeps `# Goal` style headings (the upstream round-trip bug)', () => {
    const { first, md } = roundTrip(UPSTREAM);
    expect(first.instructions).toBe(
      '# Goal\nProduce a status email from <KEY_POINTS>.\n\n# Constraints & Style\n- no tables\n- at most 200 words',
    );
    expect(first.resources).toEqual(['references/tone.md']);
    expect(first.triggers).toEqual(['write my weekly status email', 'team update email']);
    expect(first.examples).toEqual([{ input: 'Summarize this week', output: 'Done: X\nNext: Y' }]);
    expect(first.version).toBe('0.1.2');
    expect(first.tags).toEqual(['status-report', 'email']);
    expect(md).toContain('## Prompt\n\n# Goal\n');
  });

  it('keeps fenced code that contains `## Examples` and `## Triggers` lines', () => {
    const instructions = [
      'Answer in this format:',
      '',
      '```markdown',
      '## Examples',
      '',
      '### Example 1',
      '',
      'Input:',
      '',
      '  hi',
      '```',
      '',
      '## Triggers',
      '',
      'This heading is part of the prompt, followed by prose.',
    ].join('\n');
    const s = skill({ instructions, triggers: ['a', 'b'], examples: [{ input: 'x' }] });
    const back = parseSkillMd(renderSkillMd(s), ctx()).skill;
    expect(back.instructions).toBe(instructions);
    expect(back.triggers).toEqual(['a', 'b']);
    expect(back.examples).toEqual([{ input: 'x' }]);
  });

  it('keeps a prompt that itself ends with a well-formed trailing section', () => {
    for (const triggers of [[], ['real trigger']]) {
      const instructions = 'Do things.\n\n## Triggers\n\n- part of the prompt';
      const md = renderSkillMd(skill({ instructions, triggers }));
      const back = parseSkillMd(md, ctx()).skill;
      expect(back.instructions).toBe(instructions);
      expect(back.triggers).toEqual(triggers);
      expect(back.resources).toEqual([]);
    }
  });

  it('keeps a prompt whose unclosed fence swallows nothing', () => {
    const instructions = '```python\nprint(1)\n\n## Files\n\n- `x.py`';
    const back = parseSkillMd(renderSkillMd(skill({ instructions, resources: ['scripts/run.sh'] })), ctx()).skill;
    expect(back.instructions).toBe(instructions);
    expect(back.resources).toEqual(['scripts/run.sh']);
  });

  it('reads a library skill without `## Prompt` as the whole body, mid-body `## Instructions` included', () => {
    const text = `---
name: file-organizer
description: Organizes files.
---

# File Organizer

Intro paragraph.

## Instructions

1. Look at the files.

## Examples

Free prose example, not our grammar.
`;
    const { first } = roundTrip(text, ctx('file-organizer'));
    expect(first.instructions).toBe(
      '# File Organizer\n\nIntro paragraph.\n\n## Instructions\n\n1. Look at the files.\n\n## Examples\n\nFree prose example, not our grammar.',
    );
    expect(first.examples).toEqual([]);
  });

  it('strips the title and description paragraph only when they equal name and description', () => {
    const text = `---
name: pdf
description: Work with PDF files.
---

# pdf

Work with PDF files.

## Overview

Use pypdf.
`;
    expect(roundTrip(text, ctx('pdf')).first.instructions).toBe('## Overview\n\nUse pypdf.');
    const other = text.replace('# pdf', '# PDF Guide');
    expect(parseSkillMd(other, ctx('pdf')).skill.instructions).toBe('# PDF Guide\n\nWork with PDF files.\n\n## Overview\n\nUse pypdf.');
  });

  it('reads `## Instructions` as the prompt header right after the title', () => {
    const text = '---\nname: x\ndescription: d\n---\n\n# x\n\nd\n\n## Instructions\n\nStep one.\n\n## Triggers\n\n- go\n';
    const s = parseSkillMd(text, ctx('x')).skill;
    expect(s.instructions).toBe('Step one.');
    expect(s.triggers).toEqual(['go']);
  });

  it('removes exact nested copies of the title/description/## Prompt block', () => {
    const nested = UPSTREAM.replace(
      '## Prompt\n\n# Goal',
      '## Prompt\n\n# weekly-status-email\n\nDrafts weekly team status emails in plain prose.\n\n## Prompt\n\n# Goal',
    );
    const r = parseSkillMd(nested, ctx());
    expect(r.skill.instructions.startsWith('# Goal\n')).toBe(true);
    expect(r.warnings.some((w) => w.includes('nested'))).toBe(true);
  });
});

describe('examples grammar', () => {
  it('round-trips multi-line, indented and blank-line content exactly', () => {
    const examples = [
      { input: 'line 1\n\n    indented code\n  two spaces', output: '## not a header\n### Example 9\nOutput:', notes: 'n' },
      { input: 'only input' },
      { input: 'x', notes: 'notes without output' },
    ];
    const back = parseSkillMd(renderSkillMd(skill({ examples })), ctx()).skill;
    expect(back.examples).toEqual(examples);
  });

  it('reads body examples when the front matter has none', () => {
    const text = UPSTREAM.replace(/examples:\n {2}- input: "Summarize this week"\n {4}output: "Done: X\\nNext: Y"\n/, '');
    expect(text).not.toContain('examples:');
    expect(parseSkillMd(text, ctx()).skill.examples).toEqual([{ input: 'Summarize this week', output: 'Done: X\nNext: Y' }]);
  });
});

describe('names and slugs', () => {
  it('keeps a Chinese title with an ASCII slug', () => {
    const s = skill({ name: '周报写作', slug: 'weekly-report', description: '写周报。', triggers: ['写周报'] });
    const md = renderSkillMd(s);
    const front = frontOf(md);
    expect(front.name).toBe('weekly-report');
    expect((front.metadata as Record<string, string>).title).toBe('周报写作');
    expect(md).toContain('\n# 周报写作\n');
    const back = parseSkillMd(md, ctx('weekly-report')).skill;
    expect(back.name).toBe('周报写作');
    expect(back.slug).toBe('weekly-report');
    expect(validateSkillMd(md, { dirName: 'weekly-report' })).toEqual([]);
  });

  it('keeps a CJK folder the reference accepts as the name, so a re-render still matches its folder', () => {
    const kept = skill({ name: '12位RAW数据处理', slug: '12位raw数据处理', triggers: ['12位转16位'], tags: ['NumPy'] });
    expect(specNameFor(kept)).toBe('12位raw数据处理');
    const md = renderSkillMd(kept);
    expect(frontOf(md).name).toBe('12位raw数据处理');
    expect(validateSkillMd(md, { dirName: '12位raw数据处理', mode: 'reference' })).toEqual([]);
  });

  it('derives a spec name for a folder that is not a spec name from ASCII tags, else from the id', () => {
    const base = skill({ name: '12位RAW数据处理', slug: '12位RAW 数据处理', triggers: ['12位转16位'], tags: ['RAW图像', 'NumPy', 'bit depth'] });
    expect(specNameFor(base)).toBe('numpy-bit-depth');
    const cjkOnly = { ...base, tags: ['图像'] };
    expect(specNameFor(cjkOnly)).toBe(hashSlug(base.id));
    expect(specNameFor(cjkOnly)).toMatch(/^skill-[0-9a-f]{8}$/);
    const { first, md } = roundTrip(renderSkillMd(cjkOnly), ctx('12位RAW 数据处理'));
    expect(first.name).toBe('12位RAW数据处理');
    expect(frontOf(md).name).toBe(hashSlug(base.id));
  });

  it('slugify follows the spec grammar and skips non-ASCII texts', () => {
    expect(slugify('Weekly Status Email!')).toBe('weekly-status-email');
    expect(slugify('周报写作', 'Weekly report')).toBe('weekly-report');
    expect(slugify('周报写作', 'Отчёт')).toBe('skill');
    expect(slugify('Café  déjà vu')).toBe('cafe-deja-vu');
    expect(slugify('advanced_excel__text')).toBe('advanced-excel-text');
    const long = slugify('a'.repeat(63) + ' bcd');
    expect(long).toBe('a'.repeat(63));
    expect(isSpecSlug(long)).toBe(true);
    expect(slugify('', '---')).toBe('skill');
  });
});

describe('YAML safety and traps', () => {
  const fm = (yaml: string, body = '# x\n'): string => `---\n${yaml}\n---\n\n${body}`;

  it('keeps version 0.1.10 and coerces 1.10 / 1.0 / numbers deterministically', () => {
    expect(parseSkillMd(fm('name: x\ndescription: d\nversion: 0.1.10'), ctx('x')).skill.version).toBe('0.1.10');
    const r = parseSkillMd(fm('name: x\ndescription: d\nversion: 1.10'), ctx('x'));
    expect(r.skill.version).toBe('1.10.0');
    expect(r.warnings.join('\n')).toContain('"1.10"');
    expect(parseSkillMd(fm('name: x\ndescription: d\nversion: "1.0"'), ctx('x')).skill.version).toBe('1.0.0');
    expect(parseSkillMd(fm('name: x\ndescription: d\nmetadata:\n  version: 1.1'), ctx('x')).skill.version).toBe('1.1.0');
    expect(parseSkillMd(fm('name: x\ndescription: d\nversion: banana'), ctx('x')).skill.version).toBe('0.1.0');
  });

  it('keeps dates and leading-zero numbers as the text that was written', () => {
    const s = parseSkillMd(fm('name: x\ndescription: d\ncreated_at: 2026-08-01\nmetadata:\n  code: 010\n  flag: yes\n  on: true'), ctx('x')).skill;
    expect(s.createdAt).toBe('2026-08-01');
    expect(s.metadata).toEqual({ code: '010', flag: 'yes', on: 'true' });
    const md = renderSkillMd(s);
    expect(md).toContain('created_at: "2026-08-01"');
    expect(md).toContain('code: "010"');
  });

  it('never executes `---js` front matter', () => {
    const g = globalThis as { __autoskillPwned?: boolean };
    const text = "---js\n{ name: (globalThis.__autoskillPwned = true, 'x') }\n---\n\n# x\n";
    expect(() => parseSkillMd(text, ctx('x'))).toThrow(SkillMdError);
    try {
      parseSkillMd(text, ctx('x'));
    } catch (e) {
      expect((e as SkillMdError).problem).toBe('frontmatter-language');
      expect(ValidationError.isInstance(e)).toBe(true);
      expect((e as SkillMdError).reason).toMatch(/not supported/);
    }
    expect(validateSkillMd(text)[0]?.field).toBe('frontmatter');
    expect(g.__autoskillPwned).toBeUndefined();
  });

  it('reads custom tags such as !!js/function as plain strings, with a warning', () => {
    const r = parseSkillMd(fm('name: x\ndescription: !!js/function "function(){ globalThis.__x = 1 }"'), ctx('x'));
    expect(r.skill.description).toBe('function(){ globalThis.__x = 1 }');
    expect(r.warnings.some((w) => w.includes('Unresolved tag'))).toBe(true);
    expect((globalThis as { __x?: number }).__x).toBeUndefined();
  });

  it('throws SkillMdError with a clear reason for broken files', () => {
    const cases: Array<[string, string]> = [
      ['---\nname: x\ndescription: a: b\n---\n', 'yaml'],
      ['---\nname: x\nname: y\n---\n', 'yaml'],
      ['---\nname: x\ndescription: d\n', 'frontmatter-unclosed'],
      ['---\n- a\n- b\n---\n', 'frontmatter-not-mapping'],
      ['---\nname: x\n---\nhello\u0000world', 'binary'],
      ['---\na: &a [1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n---\n', 'yaml'],
    ];
    for (const [text, code] of cases) {
      let err: unknown;
      try {
        parseSkillMd(text, ctx('x'));
      } catch (e) {
        err = e;
      }
      expect(err, text).toBeInstanceOf(SkillMdError);
      expect((err as SkillMdError).problem, text).toBe(code);
      expect((err as SkillMdError).reason.length).toBeGreaterThan(10);
    }
  });

  it('reports the file line of a YAML error', () => {
    expect(() => parseSkillMd('---\nname: x\ndescription: a: b\n---\n', ctx('x'))).toThrow(/line 3/);
  });

  it('accepts CRLF and a BOM and reads the same skill', () => {
    const crlf = '\ufeff' + UPSTREAM.replace(/\n/g, '\r\n');
    expect(parseSkillMd(crlf, ctx()).skill).toStrictEqual(parseSkillMd(UPSTREAM, ctx()).skill);
    expect(renderSkillMd(parseSkillMd(crlf, ctx()).skill)).not.toContain('\r');
  });
});

describe('dialects', () => {
  it('moves upstream top-level fields into spec places when rendering', () => {
    const { md } = roundTrip(UPSTREAM);
    const front = frontOf(md);
    expect(Object.keys(front)).toEqual(['name', 'description', 'metadata']);
    expect(front.metadata).toEqual({ id: '9b1f6c1e-2f0a-4a55-9d7e-3f1c2a7b8e01', version: '0.1.2', tags: 'status-report, email' });
    expect(md).toContain('## Triggers\n\n- write my weekly status email\n- team update email\n');
    expect(md).toMatch(/version: "0\.1\.2"/);
  });

  it('does not split string triggers or tags into characters', () => {
    const s = parseSkillMd('---\nname: x\ndescription: d\ntriggers: weekly report\ntag: "email, Email ,  status   report"\n---\n', ctx('x')).skill;
    expect(s.triggers).toEqual(['weekly report']);
    expect(s.tags).toEqual(['email', 'status report']);
  });

  it('reads the spec dialect with metadata fields and keeps unknown keys as metadata', () => {
    const text = `---
name: react-best-practices
description: React tips.
license: MIT
compatibility: Node 20+
allowed-tools: Bash(git:*) Read
argument-hint: "[file]"
metadata:
  author: vercel
  version: '1.0.0'
  id: abc-123
  tags: react,  performance , React
  source: 翻译自 upstream
  created_at: 2026-03-15T10:00:00+00:00
---

# React Best Practices

Body.
`;
    const r = parseSkillMd(text, ctx('react-best-practices'));
    expect(r.hadId).toBe(true);
    expect(r.skill).toMatchObject({
      id: 'abc-123',
      version: '1.0.0',
      tags: ['react', 'performance'],
      license: 'MIT',
      compatibility: 'Node 20+',
      allowedTools: 'Bash(git:*) Read',
      createdAt: '2026-03-15T10:00:00+00:00',
      metadata: { author: 'vercel', source: '翻译自 upstream', 'argument-hint': '[file]' },
    });
    expect(r.skill.source).toBeUndefined();
    expect(r.warnings.some((w) => w.includes('argument-hint'))).toBe(true);
    roundTrip(text, ctx('react-best-practices'));
  });

  it('round-trips our own source fields', () => {
    const s = skill({ source: { kind: 'extraction', ref: 'job-1', trigger: 'auto' }, createdAt: '2026-01-01T00:00:00Z', metadata: { team: 'x' } });
    const md = renderSkillMd(s);
    expect(frontOf(md).metadata).toMatchObject({ source: 'extraction', source_ref: 'job-1', source_trigger: 'auto', team: 'x' });
    expect(parseSkillMd(md, ctx()).skill).toStrictEqual(s);
  });

  it('keeps only plain relative resource paths from `## Files`', () => {
    const text = '---\nname: x\ndescription: d\n---\n\n# x\n\nd\n\n## Prompt\n\nGo.\n\n## Files\n\n- `scripts\\run.sh`\n- ./references//a.md\n- `../../etc/passwd`\n- /abs\n- SKILL.md\n';
    const r = parseSkillMd(text, ctx('x'));
    expect(r.skill.resources).toEqual(['scripts/run.sh', 'references/a.md']);
    expect(r.skill.instructions).toBe('Go.');
    expect(r.warnings.filter((w) => w.startsWith('resource path'))).toHaveLength(3);
  });

  it('keeps non-string metadata values as text and reads skill_id', () => {
    const r = parseSkillMd('---\nname: x\ndescription: d\nskill_id: s-1\nmetadata:\n  list: [a, 1]\n  empty:\n---\n', ctx('x'));
    expect(r.hadId).toBe(true);
    expect(r.skill.id).toBe('s-1');
    expect(r.skill.metadata).toEqual({ list: '["a",1]', empty: '' });
    expect(r.warnings.some((w) => w.startsWith('metadata.list'))).toBe(true);
  });

  it('uses the fallback id only when the file has none', () => {
    const r = parseSkillMd('---\nname: x\ndescription: d\n---\n', ctx('x', 'fb-1'));
    expect(r.hadId).toBe(false);
    expect(r.skill.id).toBe('fb-1');
  });

  it('reads a file without front matter', () => {
    const r = parseSkillMd('# My Skill\n\nDoes things.\n\n## Steps\n\n1. go\n', ctx('my-skill'));
    expect(r.skill.name).toBe('My Skill');
    expect(r.skill.description).toBe('Does things.');
    expect(r.skill.instructions).toBe('## Steps\n\n1. go');
    roundTrip('# My Skill\n\nDoes things.\n\n## Steps\n\n1. go\n', ctx('my-skill'));
  });

  it('shortens an over-long description without losing it', () => {
    const long = 'word '.repeat(300).trim();
    const { first, md } = roundTrip(`---\nname: x\ndescription: ${long}\n---\n\n## Prompt\n\nDo it.\n`, ctx('x'));
    expect([...first.description].length).toBeLessThanOrEqual(1024);
    expect(first.instructions).toBe(`${long}\n\nDo it.`);
    expect(validateSkillMd(md, { dirName: 'x' })).toEqual([]);
  });

  it('renders the documented layout', () => {
    const md = renderSkillMd(skill({ resources: ['scripts/run.sh'], examples: [{ input: 'in', output: 'out' }] }));
    expect(md).toBe(`---
name: "weekly-status-email"
description: "Drafts weekly status emails in plain prose."
metadata:
  id: "9b1f6c1e-2f0a-4a55-9d7e-3f1c2a7b8e01"
  version: "0.1.0"
  tags: "email"
---

# weekly-status-email

Drafts weekly status emails in plain prose.

## Prompt

Write the email.

## Files

- \`scripts/run.sh\`

## Triggers

- write my weekly status email

## Examples

### Example 1

Input:

  in

Output:

  out
`);
  });
});

describe('setSkillMdId', () => {
  const NEW = 'new-id-1';

  it('replaces a top-level id and leaves nested `id:` keys and every other byte alone', () => {
    const text = `---
id: "old"
name: "x"
description: "d"   # a comment
examples:
  - input: "hi"
    id: nested-keep
extra:
  id: also-keep
---

body with id: inside
`;
    const out = setSkillMdId(text, NEW);
    expect(out).toBe(text.replace('id: "old"', `id: "${NEW}"`));
    expect(parseSkillMd(out, ctx('x')).skill.id).toBe(NEW);
  });

  it('updates metadata.id in the spec dialect', () => {
    const text = '---\nname: x\ndescription: d\nmetadata:\n    author: me\n    id: old\n---\n# x\n';
    expect(setSkillMdId(text, NEW)).toBe(text.replace('id: old', `id: "${NEW}"`));
  });

  it('adds metadata.id when missing, keeping the map indentation', () => {
    const text = '---\nname: x\ndescription: d\nmetadata:\n    author: me\n---\n# x\n';
    const out = setSkillMdId(text, NEW);
    expect(out).toBe(text.replace('metadata:\n', `metadata:\n    id: "${NEW}"\n`));
    const r = parseSkillMd(out, ctx('x'));
    expect(r.hadId).toBe(true);
    expect(r.skill.id).toBe(NEW);
    expect(r.skill.metadata).toEqual({ author: 'me' });
  });

  it('adds a metadata block when there is none, and a top-level id for upstream files', () => {
    const spec = '---\nname: x\ndescription: d\n---\n# x\n';
    expect(setSkillMdId(spec, NEW)).toBe(`---\nname: x\ndescription: d\nmetadata:\n  id: "${NEW}"\n---\n# x\n`);
    const upstream = '---\nname: x\ndescription: d\nversion: "0.1.0"\n---\n# x\n';
    expect(setSkillMdId(upstream, NEW)).toBe(`---\nid: "${NEW}"\nname: x\ndescription: d\nversion: "0.1.0"\n---\n# x\n`);
  });

  it('updates both copies when top-level id and metadata.id exist', () => {
    const text = '---\nid: a\nname: x\ndescription: d\nmetadata:\n  id: b\n---\n';
    expect(setSkillMdId(text, NEW)).toBe(`---\nid: "${NEW}"\nname: x\ndescription: d\nmetadata:\n  id: "${NEW}"\n---\n`);
  });

  it('adds front matter when missing and keeps CRLF and BOM', () => {
    expect(setSkillMdId('# x\n\nbody\n', NEW)).toBe(`---\nmetadata:\n  id: "${NEW}"\n---\n\n# x\n\nbody\n`);
    const crlf = '\ufeff---\r\nname: x\r\ndescription: d\r\nid: old\r\n---\r\n# x\r\n';
    expect(setSkillMdId(crlf, NEW)).toBe(crlf.replace('id: old', `id: "${NEW}"`));
    const added = setSkillMdId('\ufeff---\r\nname: x\r\ndescription: d\r\n---\r\n# x\r\n', NEW);
    expect(added).toBe(`\ufeff---\r\nname: x\r\ndescription: d\r\nmetadata:\r\n  id: "${NEW}"\r\n---\r\n# x\r\n`);
  });

  it('handles flow-style metadata and empty ids through the YAML document', () => {
    const flow = setSkillMdId('---\nname: x\ndescription: d\nmetadata: {author: me}\n---\n', NEW);
    expect(parseSkillMd(flow, ctx('x')).skill).toMatchObject({ id: NEW, metadata: { author: 'me' } });
    const empty = setSkillMdId('---\nid:\nname: x\ndescription: d\n---\n', NEW);
    expect(empty).toBe(`---\nid: "${NEW}"\nname: x\ndescription: d\n---\n`);
  });

  it('refuses broken files', () => {
    expect(() => setSkillMdId('---\nname: [\n---\n', NEW)).toThrow(SkillMdError);
    expect(() => setSkillMdId('a\u0000b', NEW)).toThrow(SkillMdError);
  });
});

describe('validateSkillMd', () => {
  it('accepts a valid file', () => {
    expect(validateSkillMd('---\nname: pdf\ndescription: PDF tools.\nlicense: MIT\nmetadata:\n  author: me\n---\n# pdf\n', { dirName: 'pdf' })).toEqual([]);
  });

  it('reports every violation', () => {
    const text = `---
id: "x"
version: 1.0
name: My_Skill--Name-${'x'.repeat(60)}-
compatibility: ${'c'.repeat(501)}
license: 3
allowed-tools:
  - Read
metadata:
  version: 1.1
  ok: "fine"
  nested: {a: b}
---
`;
    const v = validateSkillMd(text, { dirName: 'my-skill' });
    const fields = v.map((x) => x.field);
    expect(fields.filter((f) => f === 'id' || f === 'version')).toEqual(['id', 'version']);
    const nameMessages = v.filter((x) => x.field === 'name').map((x) => x.message).join('\n');
    expect(nameMessages).toMatch(/characters long; the maximum is 64/);
    expect(nameMessages).toMatch(/lowercase/);
    expect(nameMessages).toMatch(/not allowed \("_"\)/);
    expect(nameMessages).toMatch(/start or end with "-"/);
    expect(nameMessages).toMatch(/consecutive dashes/);
    expect(nameMessages).toMatch(/must match the folder name "my-skill"/);
    expect(v).toContainEqual({ rule: 'description-required', level: 'error', field: 'description', message: 'description is required' });
    expect(v.find((x) => x.field === 'compatibility')?.message).toMatch(/501 characters/);
    // The reference reads every scalar as a string: these are portability warnings, not errors.
    expect(v.find((x) => x.field === 'license')).toMatchObject({ level: 'warning', message: expect.stringMatching(/number 3 is not a string/) });
    expect(v.find((x) => x.field === 'allowed-tools')).toMatchObject({ level: 'warning', message: expect.stringMatching(/space-separated string/) });
    expect(v.find((x) => x.field === 'metadata.version')).toMatchObject({ level: 'warning', message: expect.stringMatching(/not a string/) });
    expect(v.find((x) => x.field === 'metadata.nested')).toMatchObject({ level: 'warning', message: expect.stringMatching(/a mapping/) });
    // ...but strict YAML readers refuse the flow mapping outright.
    expect(v).toContainEqual(expect.objectContaining({ rule: 'yaml', level: 'error', message: expect.stringMatching(/flow mapping .* line 12/) }));
    expect(v.filter((x) => x.rule === 'upstream-dialect').map((x) => [x.field, x.level, x.fix])).toEqual([
      ['id', 'warning', 'autoskill normalize'],
      ['version', 'warning', 'autoskill normalize'],
    ]);
    expect(fields).not.toContain('metadata.ok');
  });

  it('checks description length and missing front matter', () => {
    const long = validateSkillMd(`---\nname: a\ndescription: ${'d'.repeat(1025)}\n---\n`);
    expect(long).toEqual([{ rule: 'description-length', level: 'error', field: 'description', message: 'description is 1025 characters long; the maximum is 1024' }]);
    expect(validateSkillMd('# just markdown\n')[0]?.field).toBe('frontmatter');
    expect(validateSkillMd('---\nname: a\ndescription: b: c\n---\n')[0]?.message).toMatch(/invalid YAML/);
    expect(validateSkillMd('x\u0000')[0]).toEqual({ rule: 'file', level: 'error', field: 'file', message: expect.stringContaining('NUL') });
  });
});

describe('ids and versions', () => {
  it('derives stable UUIDv5 ids per owner and path', () => {
    const a = deterministicId('library:anthropics-skill', 'pdf');
    expect(a).toBe(deterministicId('library:anthropics-skill', 'pdf'));
    expect(a).toBe(deterministicId('library:anthropics-skill', '/pdf/'));
    expect(a).not.toBe(deterministicId('user:u1', 'pdf'));
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deterministicId('user:u1', 'a\\b')).toBe(deterministicId('user:u1', 'a/b'));
    expect(deterministicId('user:u1', 'cafe\u0301')).toBe(deterministicId('user:u1', 'café'));
    expect(SKILL_ID_NAMESPACE).toMatch(/^[0-9a-f-]{36}$/);
    const n = newSkillId();
    expect(n).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newSkillId()).not.toBe(n);
  });

  it('bumps patch versions without ever going backwards', () => {
    expect(bumpPatch('0.1.0')).toBe('0.1.1');
    expect(bumpPatch('0.1.9')).toBe('0.1.10');
    expect(bumpPatch('1.0')).toBe('1.0.1');
    expect(bumpPatch('1.2.3-beta.1')).toBe('1.2.3');
    expect(bumpPatch('garbage')).toBe('0.1.1');
    expect(nextVersion('0.1.1', ['0.1.0', '0.1.5', '0.1.2'])).toBe('0.1.6');
    expect(nextVersion('0.2.0', ['0.1.9'])).toBe('0.2.1');
    expect(coerceVersion('v2')).toBe('2.0.0');
    expect(coerceVersion('1.10')).toBe('1.10.0');
    expect(coerceVersion(' 0.1.10 ')).toBe('0.1.10');
  });
});
