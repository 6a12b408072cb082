import { describe, expect, test } from 'vitest';
import { exportNameFor, isSpecName, nameProblems, unicodeNameOf } from '../../src/engine/skill/spec-name.js';
import { specSkillMd } from '../../src/engine/skill/spec-export.js';
import { parseSkillMd, renderSkillMd } from '../../src/engine/skill/skill-md.js';
import { errorsOf, validateSkillMd } from '../../src/engine/skill/validate.js';

/**
 * The validator against the agentskills reference validator (skills-ref, validator.py at
 * agentskills/agentskills HEAD, run with StrictYAML): each case is [folder, SKILL.md, the rule
 * categories of the errors skills-ref reported for it]. The verdicts were recorded by running
 * skills-ref on these exact folders; they are not derived from our implementation.
 */
const REFERENCE_CASES: Array<[string, string, string[]]> = [
  ["123", "---\nname: 123\ndescription: d\n---\n", []],
  ["anchor", "---\nname: &x anchor\ndescription: *x\n---\n", ["frontmatter"]],
  ["blockdesc", "---\nname: blockdesc\ndescription: |\n  line1\n  line2\n---\n", []],
  ["bom", "﻿---\nname: bom\ndescription: d\n---\n", ["frontmatter"]],
  ["boolname", "---\nname: true\ndescription: d\n---\n", ["name-folder"]],
  ["café", "---\nname: café\ndescription: d\n---\n", []],
  ["claudekeys", "---\nname: claudekeys\ndescription: d\nargument-hint: x\n---\n", ["unknown-field"]],
  ["comment", "---\n# c\nname: comment\ndescription: d # x\n---\n", []],
  ["compatempty", "---\nname: compatempty\ndescription: d\ncompatibility:\n---\n", []],
  ["compatlist", "---\nname: compatlist\ndescription: d\ncompatibility:\n  - a\n---\n", ["compatibility"]],
  ["crlf", "---\r\nname: crlf\r\ndescription: d\r\n---\r\n", []],
  ["dashes", "---\nname: dashes\ndescription: \"a --- b\"\n---\n", ["frontmatter"]],
  ["dd", "---\nname: a--b\ndescription: d\n---\n", ["name-folder", "name-hyphens"]],
  ["dup", "---\nname: dup\nname: dup\ndescription: d\n---\n", ["frontmatter"]],
  ["emptydesc", "---\nname: emptydesc\ndescription: \"\"\n---\n", ["description-required"]],
  ["emptyfm", "---\n---\nbody\n", ["frontmatter"]],
  ["emptyname", "---\nname:\ndescription: d\n---\n", ["name-required"]],
  ["flowmap", "---\nname: flowmap\ndescription: d\nmetadata: {a: b}\n---\n", ["frontmatter"]],
  ["flowseq", "---\nname: flowseq\ndescription: d\nmetadata:\n  tags: [a, b]\n---\n", ["frontmatter"]],
  ["fullwidth", "---\nname: ａｂｃ\ndescription: d\n---\n", ["name-folder"]],
  ["hindi", "---\nname: हिन्दी\ndescription: d\n---\n", ["name-chars", "name-folder"]],
  ["metalist", "---\nname: metalist\ndescription: d\nmetadata:\n  a:\n    - x\n---\n", []],
  ["metascalar", "---\nname: metascalar\ndescription: d\nmetadata: hello\n---\n", []],
  ["nbsp", "---\nname: a b\ndescription: d\n---\n", ["name-chars", "name-folder"]],
  ["nofm", "# title\n", ["frontmatter"]],
  ["nullname", "---\nname: null\ndescription: d\n---\n", ["name-folder"]],
  ["ok-basic", "---\nname: ok-basic\ndescription: d\n---\nbody", []],
  ["sigma", "---\nname: σς\ndescription: d\n---\n", ["name-folder"]],
  ["tagged", "---\nname: !!str tagged\ndescription: d\n---\n", ["frontmatter"]],
  ["toolslist", "---\nname: toolslist\ndescription: d\nallowed-tools:\n  - Read\n---\n", []],
  ["trailsp", "---\nname: \"trailsp \"\ndescription: d\n---\n", []],
  ["underscore_x", "---\nname: underscore_x\ndescription: d\n---\n", ["name-chars"]],
  ["upper", "---\nname: Upper\ndescription: d\n---\n", ["name-folder", "name-lowercase"]],
  ["upstream", "---\nid: \"x1\"\nname: upstream\ndescription: d\nversion: 0.1.0\ntags:\n  - a\ntriggers:\n  - b\n---\n", ["unknown-field"]],
  ["½", "---\nname: ½\ndescription: d\n---\n", ["name-chars"]],
  ["ⅻ", "---\nname: ⅻ\ndescription: d\n---\n", []],
  ["中文-name-64", "---\nname: 中文-name-64\ndescription: 中文\n---\n", []],
  ["机器翻译", "---\nname: 机器翻译\ndescription: d\n---\n", []],
  ['a'.repeat(65), `---\nname: ${'a'.repeat(65)}\ndescription: d\n---\n`, ['name-length']],
  ['longdesc', `---\nname: longdesc\ndescription: ${'d'.repeat(1025)}\n---\n`, ['description-length']],
  ['longcompat', `---\nname: longcompat\ndescription: d\ncompatibility: ${'c'.repeat(501)}\n---\n`, ['compatibility']],
];

/** Our rule ids folded into the coarser categories the reference's messages give. */
const category = (rule: string): string =>
  rule === 'yaml' || rule === 'frontmatter-dash' ? 'frontmatter' : rule.startsWith('compatibility') ? 'compatibility' : rule;

describe('validate in reference mode = skills-ref', () => {
  test.each(REFERENCE_CASES)('%s', (folder, text, expected) => {
    const errors = errorsOf(validateSkillMd(text, { dirName: folder, mode: 'reference' }));
    expect([...new Set(errors.map((v) => category(v.rule)))].sort()).toEqual(expected);
  });

  test('default mode: the upstream dialect is a warning with its fix, other unknown keys stay errors', () => {
    const upstream = REFERENCE_CASES.find(([f]) => f === 'upstream')![1];
    const v = validateSkillMd(upstream, { dirName: 'upstream' });
    expect(errorsOf(v)).toEqual([]);
    expect(v.map((x) => [x.rule, x.level, x.field, x.fix])).toEqual([
      ['upstream-dialect', 'warning', 'id', 'autoskill normalize'],
      ['upstream-dialect', 'warning', 'version', 'autoskill normalize'],
      ['upstream-dialect', 'warning', 'tags', 'autoskill normalize'],
      ['upstream-dialect', 'warning', 'triggers', 'autoskill normalize'],
    ]);
    const claude = REFERENCE_CASES.find(([f]) => f === 'claudekeys')![1];
    expect(errorsOf(validateSkillMd(claude, { dirName: 'claudekeys' })).map((x) => x.rule)).toEqual(['unknown-field']);
  });

  test('portability notes are warnings only: unquoted numbers, non-string metadata', () => {
    const v = validateSkillMd('---\nname: "123"\ndescription: 1.0\nmetadata:\n  n: 2\n  list:\n    - a\n---\n', { dirName: '123' });
    expect(errorsOf(v)).toEqual([]);
    expect(v.map((x) => [x.rule, x.field])).toEqual([
      ['yaml-types', 'description'],
      ['yaml-types', 'metadata.n'],
      ['metadata-strings', 'metadata.list'],
    ]);
  });
});

describe('names', () => {
  test('the reference name rule: Unicode lowercase letters and digits, NFKC, folder match', () => {
    expect(nameProblems('机器翻译模型评估与bleu计算', '机器翻译模型评估与bleu计算')).toEqual([]);
    expect(nameProblems('café', 'café')).toEqual([]);
    expect(nameProblems('ⅻ', 'xii')).toEqual([]); // NFKC on both sides
    expect(nameProblems('Upper', 'upper').map((p) => p.rule)).toEqual(['name-lowercase', 'name-folder']);
    expect(nameProblems('हिन्दी').map((p) => p.rule)).toEqual(['name-chars']); // vowel signs are marks
    expect(nameProblems('a--b').map((p) => p.rule)).toEqual(['name-hyphens']);
    expect(nameProblems('中'.repeat(65)).map((p) => p.rule)).toEqual(['name-length']);
    expect(isSpecName('ⅻ')).toBe(false); // valid to the reference, but not as written: not a folder name
    expect(isSpecName('政府报告撰写')).toBe(true);
  });

  test('export names keep their meaning in their own script, never a bare number', () => {
    expect(unicodeNameOf('10 / 你是一个有着 / …')).toBe('10-你是一个有着');
    expect(unicodeNameOf("Gestion d'état de panier React")).toBe('gestion-d-état-de-panier-react');
    expect(unicodeNameOf('Разработка бота Discord')).toBe('разработка-бота-discord');
    expect(unicodeNameOf('10 / 20')).toBeUndefined();
    expect(unicodeNameOf('हिन्दी लेखन')).toBeUndefined();
    const long = unicodeNameOf('generate dialogue for animated series scenes with neurodiverse siblings and parents');
    expect(long).toBe('generate-dialogue-for-animated-series-scenes-with-neurodiverse');
    expect([...long!].length).toBeLessThanOrEqual(64);
    const base = { id: 'id-1', triggers: [], tags: [] };
    expect(exportNameFor({ ...base, slug: '10', name: '10 / 你是一个有着 / …' })).toBe('10-你是一个有着');
    expect(exportNameFor({ ...base, slug: 'weekly-report', name: '周报' })).toBe('weekly-report');
    expect(exportNameFor({ ...base, slug: 'skill-1a2b3c4d', name: '政府报告撰写' })).toBe('政府报告撰写');
    expect(exportNameFor({ ...base, slug: '__', name: 'हिन्दी', tags: ['writing tips'] })).toBe('writing-tips');
    expect(exportNameFor({ ...base, slug: '__', name: 'हिन्दी' })).toMatch(/^skill-[0-9a-f]{8}$/);
  });
});

describe('spec conversion', () => {
  const upstream = [
    '---',
    'id: "u-1"',
    'name: "10 / 你是一个有着 / 十年经验的文案策划"',
    'description: "写文案 --- 要有创意"',
    'version: 0.1.3',
    'tags: [文案, 策划]',
    'triggers:',
    '  - 帮我写文案',
    '---',
    '',
    '# 10 / 你是一个有着 / 十年经验的文案策划',
    '',
    '## Prompt',
    '',
    '你是一个文案策划。',
    '',
  ].join('\n');

  test('an upstream-dialect skill becomes a folder the reference accepts, fields under metadata', () => {
    const { skill } = parseSkillMd(upstream, { owner: 'user:u', slug: '10', fallbackId: 'unused' });
    const spec = specSkillMd(skill, upstream);
    expect(spec).toMatchObject({ name: '10-你是一个有着-十年经验的文案策划', converted: true });
    expect(validateSkillMd(spec.text, { dirName: spec.name, mode: 'reference' })).toEqual([]);
    // nothing lost: read back, the skill is the same apart from its folder
    const back = parseSkillMd(spec.text, { owner: 'user:u', slug: spec.name, fallbackId: 'unused' }).skill;
    expect(back).toMatchObject({ id: 'u-1', version: '0.1.3', name: skill.name, description: '写文案 --- 要有创意', tags: ['文案', '策划'], triggers: ['帮我写文案'] });
    expect(spec.text).not.toMatch(/^(id|version|tags|triggers):/m);
  });

  test('a file that already passes is kept byte for byte', () => {
    const valid = '---\nname: pdf-tools\ndescription: PDF tools.\n---\n\n# PDF tools\n';
    const { skill } = parseSkillMd(valid, { owner: 'library:x', slug: 'pdf-tools', fallbackId: 'f' });
    expect(specSkillMd(skill, valid)).toEqual({ name: 'pdf-tools', text: valid, converted: false });
    // ...and re-rendering never writes a "---" the reference would cut at
    const md = renderSkillMd({ ...skill, description: 'a --- b' });
    expect(md.indexOf('---', 3)).toBe(md.indexOf('\n---\n') + 1);
    expect(parseSkillMd(md, { owner: 'library:x', slug: 'pdf-tools', fallbackId: 'f' }).skill.description).toBe('a --- b');
  });
});
