import type { SkillExample } from './schema.js';
import { isBlank, normalizeBlock, normalizeInstructions, oneLine } from './normalize.js';

/**
 * The Markdown body of a SKILL.md:
 *
 *     # <title>
 *
 *     <description>
 *
 *     ## Prompt
 *
 *     <instructions: any Markdown, `# Goal` headings and fenced code included>
 *
 *     ## Files          - `scripts/x.sh`
 *     ## Triggers       - one bullet per trigger
 *     ## Examples       ### Example i / Input: / Output: / Notes: with 2-space indented blocks
 *
 * Upstream stopped the prompt at the first `# ` or `## ` line, so any prompt with headings came
 * back as the whole body (94% of the real bank). Here the prompt ends only where the *trailing
 * sections* begin: the earliest `## Files|Triggers|Examples` header from which the rest of the
 * body is nothing but those sections, in that order, each at most once, each in its exact
 * grammar. Any other `## ` header after it, or a section that does not follow its grammar, means
 * the text belongs to the prompt. Fences need no tracking: a fenced block always ends in a
 * closing fence line, which no trailing section accepts.
 */

type SectionKind = 'files' | 'triggers' | 'examples';
const ORDER: Record<SectionKind, number> = { files: 0, triggers: 1, examples: 2 };

const H2 = /^##(?:[ \t]|$)/;
const TRAILING_HEADER = /^##[ \t]+(files|triggers|examples)[ \t]*$/i;
const PROMPT_HEADER = /^##[ \t]+(prompt|instructions)[ \t]*$/i;
const EXAMPLE_HEADER = /^### Example \d+[ \t]*$/;
const BULLET = /^- (.*)$/;
const INDENT = '  ';

/** Raw section contents; the caller normalizes them like any other source. */
export interface TrailingSections {
  files?: string[];
  triggers?: string[];
  examples?: SkillExample[];
}

function parseBulletSection(content: readonly string[]): string[] | undefined {
  const items: string[] = [];
  for (const line of content) {
    if (isBlank(line)) continue;
    const m = BULLET.exec(line);
    if (!m) return undefined;
    items.push(m[1] ?? '');
  }
  return items;
}

/** Exact inverse of `renderExamples`; undefined when the content does not follow the grammar. */
function parseExamplesSection(content: readonly string[]): SkillExample[] | undefined {
  const n = content.length;
  let i = 0;
  const skipBlank = (): void => {
    while (i < n && isBlank(content[i] ?? '')) i++;
  };
  const label = (name: string): boolean => (content[i] ?? '').trimEnd() === name;
  const block = (): string => {
    const buf: string[] = [];
    for (let line = content[i]; line !== undefined && (isBlank(line) || line.startsWith(INDENT)); line = content[++i]) {
      buf.push(isBlank(line) ? '' : line.slice(INDENT.length));
    }
    return normalizeBlock(buf.join('\n'));
  };
  const out: SkillExample[] = [];
  skipBlank();
  while (i < n) {
    if (!EXAMPLE_HEADER.test(content[i] ?? '')) return undefined;
    i++;
    skipBlank();
    if (!label('Input:')) return undefined;
    i++;
    const input = block();
    if (!input) return undefined;
    const example: SkillExample = { input };
    skipBlank();
    if (label('Output:')) {
      i++;
      const output = block();
      if (output) example.output = output;
      skipBlank();
    }
    if (label('Notes:')) {
      i++;
      const notes = block();
      if (notes) example.notes = notes;
      skipBlank();
    }
    out.push(example);
  }
  return out;
}

/**
 * Finds where the trailing sections start in `lines` (`lines.length` when there are none).
 * Works backwards from the end, so it is linear in the number of lines.
 */
export function parseTrailingSections(lines: readonly string[]): { start: number; sections: TrailingSections } {
  const sections: TrailingSections = {};
  let start = lines.length;
  let nextOrder = Number.POSITIVE_INFINITY;
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i] ?? '';
    if (!H2.test(line)) continue;
    const m = TRAILING_HEADER.exec(line);
    if (!m) break;
    const kind = (m[1] ?? '').toLowerCase() as SectionKind;
    if (ORDER[kind] >= nextOrder) break;
    const content = lines.slice(i + 1, start);
    if (kind === 'examples') {
      const parsed = parseExamplesSection(content);
      if (!parsed) break;
      sections.examples = parsed;
    } else {
      const parsed = parseBulletSection(content);
      if (!parsed) break;
      sections[kind] = parsed;
    }
    start = i;
    nextOrder = ORDER[kind];
  }
  return { start, sections };
}

/** True when text ends with something the parser would read as trailing sections. */
export function endsWithTrailingSections(text: string): boolean {
  const lines = text.split('\n');
  return parseTrailingSections(lines).start < lines.length;
}

export interface BodyParts {
  /** normalized prompt text */
  instructions: string;
  /** a `## Prompt` / `## Instructions` header directly followed the title and description */
  promptHeader: boolean;
  /** trailing sections (only read when there was a prompt header) */
  sections: TrailingSections;
  /** nested copies of `# title / description / ## Prompt` removed from the prompt (upstream re-render bug) */
  nestedPreambles: number;
}

/**
 * Steps over `# <title>`, the description paragraph and a prompt header, each only when it is
 * exactly what renderBody writes there. Returns the next line index and what was found.
 */
function skipPreamble(lines: readonly string[], from: number, expected: { title: string; description: string }): { next: number; title: boolean; description: boolean; prompt: boolean } {
  let i = from;
  const skipBlank = (): void => {
    while (i < lines.length && isBlank(lines[i] ?? '')) i++;
  };
  skipBlank();
  const first = lines[i];
  const title = first !== undefined && /^#[ \t]/.test(first) && oneLine(first.slice(1)) === expected.title;
  if (title) {
    i++;
    skipBlank();
  }
  let description = false;
  if (expected.description) {
    const desc = expected.description.split('\n');
    const after = lines[i + desc.length];
    description = desc.every((d, k) => lines[i + k]?.trimEnd() === d) && (after === undefined || isBlank(after));
    if (description) {
      i += desc.length;
      skipBlank();
    }
  }
  const prompt = i < lines.length && PROMPT_HEADER.test(lines[i] ?? '');
  return { next: prompt ? i + 1 : i, title, description, prompt };
}

/**
 * Splits a body into instructions and trailing sections. The leading `# <title>` line, the
 * description paragraph and the `## Prompt` header are removed only when they are exactly what
 * `renderBody` writes again in the same place (title = the skill name, paragraph = the
 * description), so nothing the author wrote is lost. Without a prompt header the rest of the
 * body is the instructions, untouched: a library skill that happens to end with a `## Examples`
 * section keeps it. Upstream's re-render bug nested whole `# title / description / ## Prompt`
 * blocks inside the prompt; such exact copies (all three parts) are dropped.
 */
export function splitBody(body: string, expected: { title: string; description: string }): BodyParts {
  const lines = body.split('\n');
  const head = skipPreamble(lines, 0, expected);
  if (!head.prompt) {
    return { instructions: normalizeInstructions(lines.slice(head.next).join('\n')), promptHeader: false, sections: {}, nestedPreambles: 0 };
  }
  let from = head.next;
  let nestedPreambles = 0;
  for (;;) {
    const nested = skipPreamble(lines, from, expected);
    if (!(nested.title && nested.prompt && (nested.description || !expected.description))) break;
    from = nested.next;
    nestedPreambles++;
  }
  const rest = lines.slice(from);
  const { start, sections } = parseTrailingSections(rest);
  return { instructions: normalizeInstructions(rest.slice(0, start).join('\n')), promptHeader: true, sections, nestedPreambles };
}

/** The first `# ` heading, when it is the first non-blank line of the body. */
export function leadingTitle(body: string): string | undefined {
  const first = body.split('\n').find((l) => !isBlank(l));
  return first !== undefined && /^#[ \t]/.test(first) ? oneLine(first.slice(1)) || undefined : undefined;
}

/**
 * The paragraph right after an optional leading title, used as a description for files that
 * have none in their front matter.
 */
export function leadingParagraph(body: string, title: string): string | undefined {
  const lines = body.split('\n');
  let i = 0;
  while (i < lines.length && isBlank(lines[i] ?? '')) i++;
  const first = lines[i];
  if (first !== undefined && /^#[ \t]/.test(first) && oneLine(first.slice(1)) === title) i++;
  while (i < lines.length && isBlank(lines[i] ?? '')) i++;
  const para: string[] = [];
  for (let line = lines[i]; line !== undefined && !isBlank(line); line = lines[++i]) para.push(line);
  const text = para.join('\n');
  return text && !/^(#|```|~~~|[-*+>|<] |\d+\. )/.test(text) ? text : undefined;
}

function indentBlock(text: string): string {
  return text
    .split('\n')
    .map((l) => (l === '' ? '' : INDENT + l))
    .join('\n');
}

function renderExamples(examples: readonly SkillExample[]): string[] {
  const out: string[] = ['## Examples', ''];
  examples.forEach((ex, k) => {
    out.push(`### Example ${k + 1}`, '', 'Input:', '', indentBlock(ex.input), '');
    if (ex.output) out.push('Output:', '', indentBlock(ex.output), '');
    if (ex.notes) out.push('Notes:', '', indentBlock(ex.notes), '');
  });
  return out;
}

export interface BodyInput {
  title: string;
  description: string;
  instructions: string;
  resources: readonly string[];
  triggers: readonly string[];
  examples: readonly SkillExample[];
}

/** Renders already-normalized fields (see skill-md.ts). */
export function renderBody(b: BodyInput): string {
  const out: string[] = [`# ${b.title}`, ''];
  if (b.description) out.push(b.description, '');
  out.push('## Prompt', '');
  if (b.instructions) out.push(b.instructions, '');
  // If the prompt itself ends in something that reads as trailing sections (say a user's own
  // `## Triggers` list), an explicit `## Files` header (empty if need be) makes the parser stop
  // there: `## Files` must come first, so no valid run of sections can start inside the prompt.
  const guard = b.instructions !== '' && endsWithTrailingSections(b.instructions);
  if (b.resources.length || guard) {
    out.push('## Files', '');
    for (const p of b.resources) out.push(`- \`${p}\``);
    out.push('');
  }
  if (b.triggers.length) {
    out.push('## Triggers', '');
    for (const t of b.triggers) out.push(`- ${t}`);
    out.push('');
  }
  if (b.examples.length) out.push(...renderExamples(b.examples));
  return out.join('\n').trimEnd();
}
