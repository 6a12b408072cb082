import { normalizeIdentity } from './text.js';

/**
 * The learned-skill prompt layout: `# Goal`, `# Constraints & Style` (a bullet list of the user's
 * rules) and an optional `# Workflow` (numbered steps). Merging works on these parts, so that
 * constraints can be unioned bullet by bullet instead of concatenating two prompts.
 */
export interface PromptSections {
  goal: string;
  constraints: string[];
  workflow: string[];
  /** anything under headings we do not own, kept verbatim */
  other: string;
}

type SectionKey = 'goal' | 'constraints' | 'workflow' | 'other';

const HEADING_RE = /^\s{0,3}#{1,4}\s+(.+?)\s*#*\s*$/;

function classifyHeading(title: string): SectionKey | undefined {
  const t = title.toLowerCase().replace(/[*_`:：]/g, '').trim();
  if (/^(goal|goals|objective|purpose|目标|目的)$/.test(t)) return 'goal';
  if (/^(constraints?|rules|style|constraints?\s*(&|and)\s*style|约束|约束与风格|约束和风格|约束与样式|规则|要求|风格)/.test(t)) return 'constraints';
  if (/^(workflow|steps|procedure|process|流程|步骤|工作流程?)$/.test(t)) return 'workflow';
  return undefined;
}

const BULLET_RE = /^\s*(?:[-*•·]|\d{1,2}[.)、]|[（(]?\d{1,2}[)）])\s+/u;

/** Split a section body into items: bullets or numbered lines; wrapped lines join their item. */
export function splitItems(body: string): string[] {
  const items: string[] = [];
  for (const line of body.split(/\r?\n/)) {
    if (!line.trim()) continue;
    if (BULLET_RE.test(line) || items.length === 0) items.push(line.replace(BULLET_RE, '').trim());
    else items[items.length - 1] = `${items[items.length - 1]} ${line.trim()}`;
  }
  return items.filter((s) => s.length > 0);
}

export function parsePrompt(markdown: string): PromptSections {
  const bodies: Record<SectionKey, string[]> = { goal: [], constraints: [], workflow: [], other: [] };
  let current: SectionKey | undefined;
  let sawOwnHeading = false;
  for (const line of markdown.replace(/\r\n/g, '\n').split('\n')) {
    const h = HEADING_RE.exec(line);
    if (h) {
      const key = classifyHeading(h[1]!);
      if (key) {
        current = key;
        sawOwnHeading = true;
        continue;
      }
      current = 'other';
      bodies.other.push(line);
      continue;
    }
    bodies[current ?? 'other'].push(line);
  }
  if (!sawOwnHeading) {
    // A prompt without our headings: bullets are rules, the rest describes the goal.
    const text = markdown.trim();
    const bullets = text.split('\n').filter((l) => BULLET_RE.test(l));
    const prose = text
      .split('\n')
      .filter((l) => !BULLET_RE.test(l) && l.trim())
      .join('\n');
    return { goal: prose.trim(), constraints: splitItems(bullets.join('\n')), workflow: [], other: '' };
  }
  return {
    goal: bodies.goal.join('\n').trim(),
    constraints: splitItems(bodies.constraints.join('\n')),
    workflow: splitItems(bodies.workflow.join('\n')),
    other: bodies.other.join('\n').trim(),
  };
}

export function renderPrompt(s: PromptSections): string {
  const parts: string[] = [`# Goal\n${s.goal.trim()}`];
  parts.push(`# Constraints & Style\n${s.constraints.map((c) => `- ${c}`).join('\n')}`);
  if (s.workflow.length > 0) parts.push(`# Workflow\n${s.workflow.map((w, i) => `${i + 1}. ${w}`).join('\n')}`);
  if (s.other.trim()) parts.push(s.other.trim());
  return parts.join('\n\n') + '\n';
}

/** De-duplicate rules by their identity form (case, spacing and punctuation do not matter). */
export function uniqueItems(items: Iterable<string>): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    const t = item.trim();
    const key = normalizeIdentity(t);
    if (!key || seen.has(key)) continue;
    seen.add(key);
    out.push(t);
  }
  return out;
}
