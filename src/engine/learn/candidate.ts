import { z } from 'zod';
import type { Candidate } from '../skill/schema.js';
import { hashSlug, slugify } from '../skill/slug.js';
import { stripPlaceholders } from './redact.js';
import { parsePrompt, renderPrompt, uniqueItems } from './sections.js';
import { uniquePhrases } from './text.js';

/**
 * The extraction answer as models produce it (the "wire" form), and its normalization into a
 * `ProposedSkill`: counts enforced, lists coerced, prompt sections guaranteed, files fenced in.
 */

/** A `Candidate` plus the folder slug the extractor proposes (the candidate's `name` is the human title). */
export interface ProposedSkill extends Candidate {
  slug: string;
  /** the task family the rules belong to (offline extractor), e.g. `report`; merges stay within one family */
  family?: string;
}

export const TRIGGERS_MIN = 3;
export const TRIGGERS_MAX = 5;
export const TAGS_MAX = 6;
const MAX_FILES = 8;
const MAX_FILE_CHARS = 20_000;

// A string is accepted so that a model answering `"triggers": "a; b"` is not rejected; it is
// turned into a list below (never iterated character by character).
const PhraseListSchema = z.union([z.array(z.string()), z.string()]);

export const ExtractedSkillSchema = z.object({
  name: z.string().min(1).describe('English kebab-case slug naming the capability, e.g. "report-writing-with-citations"'),
  title: z.string().optional().describe("short human-readable title in the user's language"),
  description: z.string().min(1).describe('one or two sentences: what the skill does and when to use it'),
  prompt: z.string().min(1).describe('Markdown with "# Goal", "# Constraints & Style" and optionally "# Workflow"'),
  triggers: PhraseListSchema.describe('3 to 5 short phrases a user would say when needing this skill'),
  tags: PhraseListSchema.describe('1 to 6 short keywords'),
  confidence: z.number().min(0).max(1).optional(),
  files: z.record(z.string(), z.string()).optional().describe('optional reusable reference texts: {"references/<name>.md": "<text>"}'),
  applies: z
    .enum(['always', 'task'])
    .optional()
    .describe('"always": a standing preference about the user, applied to every answer; "task": bound to a kind of task (default)'),
});
export type ExtractedSkill = z.infer<typeof ExtractedSkillSchema>;

export const ExtractionAnswerSchema = z.object({
  skill: ExtractedSkillSchema.nullable(),
  reason: z.string().optional(),
});
export type ExtractionAnswer = z.infer<typeof ExtractionAnswerSchema>;

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function prepareSkill(raw: unknown): unknown {
  if (!isRecord(raw)) return raw;
  const s: Record<string, unknown> = { ...raw };
  if (s.prompt === undefined && typeof s.instructions === 'string') s.prompt = s.instructions;
  if (typeof s.confidence === 'string') s.confidence = Number.parseFloat(s.confidence);
  if (typeof s.confidence === 'number') {
    if (!Number.isFinite(s.confidence)) delete s.confidence;
    else if (s.confidence > 1 && s.confidence <= 100) s.confidence = s.confidence / 100;
  }
  if (s.confidence === null) delete s.confidence;
  if (s.title === null) delete s.title;
  for (const key of ['triggers', 'tags'] as const) {
    const v = s[key];
    if (Array.isArray(v)) s[key] = v.filter((x) => x !== null && x !== undefined).map((x) => String(x));
    else if (v === undefined || v === null) s[key] = [];
  }
  if (s.files === null) delete s.files;
  // "standing" / "global" / "every" say always; anything else unknown is the task default
  if (typeof s.applies === 'string') {
    const a = s.applies.trim().toLowerCase();
    s.applies = /^(?:always|standing|global|all|every|user)/.test(a) ? 'always' : 'task';
  } else if (s.applies !== undefined) delete s.applies;
  if (isRecord(s.files)) {
    s.files = Object.fromEntries(Object.entries(s.files).filter(([, v]) => typeof v === 'string'));
  } else if (s.files !== undefined) delete s.files;
  return s;
}

/**
 * Reshape near-miss answers before validation: the upstream `{"skills": [...]}` form, a bare
 * skill object, a bare array, `instructions` instead of `prompt`, a confidence given as text.
 */
export function prepareExtractionAnswer(raw: unknown): unknown {
  if (Array.isArray(raw)) return { skill: raw.length > 0 ? prepareSkill(raw[0]) : null };
  if (!isRecord(raw)) return raw;
  if ('skill' in raw) {
    const skill = raw.skill;
    const empty = skill === false || skill === undefined || (isRecord(skill) && Object.keys(skill).length === 0);
    return { ...raw, skill: empty ? null : prepareSkill(skill) };
  }
  if (Array.isArray(raw.skills)) {
    return { skill: raw.skills.length > 0 ? prepareSkill(raw.skills[0]) : null, reason: raw.reason };
  }
  if (typeof raw.name === 'string' && (typeof raw.prompt === 'string' || typeof raw.instructions === 'string')) {
    return { skill: prepareSkill(raw) };
  }
  return raw;
}

/** A phrase list from a model: an array, or one string (split only at line breaks and semicolons). */
export function toPhraseList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  return value
    .split(/\r?\n|[;；]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Resource paths a learned skill may carry: text under `references/` or `assets/`. Never
 * `scripts/` (a learned script is executable prompt injection: whatever a conversation or a pasted
 * document says would become code a host may run), and nothing outside those folders.
 */
export function safeResourcePath(p: string): string | undefined {
  const norm = p.replace(/\\/g, '/').replace(/^\.\/+/, '').trim();
  if (!norm || norm.startsWith('/') || /^[a-zA-Z]:/.test(norm)) return undefined;
  const parts = norm.split('/');
  if (parts.some((seg) => seg === '' || seg === '.' || seg === '..' || seg.startsWith('.'))) return undefined;
  const roots = ['references', 'assets'];
  if (parts.length < 2 || !roots.includes(parts[0]!)) return undefined;
  if (parts.some((seg) => !/^[\p{L}\p{N}._ -]{1,100}$/u.test(seg))) return undefined;
  return parts.join('/');
}

export interface ToProposedOptions {
  defaultConfidence?: number;
}

export type ProposedOutcome = { ok: true; skill: ProposedSkill } | { ok: false; reason: string };

function humanize(slug: string): string {
  const words = slug.replace(/[-_]+/g, ' ').trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : '';
}

function firstClause(text: string, max = 60): string {
  const clause = text.split(/[.!?。！？;；\n]/)[0]?.trim() ?? '';
  return clause.length <= max ? clause : '';
}

/** Normalize a validated wire skill into a `ProposedSkill`, or say why it is unusable. */
export function toProposedSkill(wire: ExtractedSkill, opts: ToProposedOptions = {}): ProposedOutcome {
  const title = stripPlaceholders(wire.title?.trim() || humanize(wire.name)).slice(0, 120).trim();
  if (!title) return { ok: false, reason: 'the skill has no usable name' };
  const description = stripPlaceholders(wire.description).replace(/\s+/g, ' ').slice(0, 600).trim();
  if (!description) return { ok: false, reason: 'the skill has no description' };

  const sections = parsePrompt(wire.prompt);
  const constraints = uniqueItems(sections.constraints.map(stripPlaceholders).filter(Boolean));
  const workflow = sections.workflow.map(stripPlaceholders).filter(Boolean);
  if (constraints.length === 0 && workflow.length === 0) {
    return { ok: false, reason: 'the skill states no constraints or workflow (nothing reusable)' };
  }
  const instructions = renderPrompt({
    goal: stripPlaceholders(sections.goal) || description,
    constraints,
    workflow,
    other: sections.other,
  });

  let triggers = uniquePhrases(toPhraseList(wire.triggers).map(stripPlaceholders), TRIGGERS_MAX, 80);
  if (triggers.length < TRIGGERS_MIN) {
    triggers = uniquePhrases([...triggers, title, firstClause(description)], TRIGGERS_MAX, 80);
  }
  let tags = uniquePhrases(
    toPhraseList(wire.tags).map((t) => stripPlaceholders(t).replace(/^#/, '')),
    TAGS_MAX,
    40,
  ).map((t) => (/^[\x20-\x7e]+$/.test(t) ? t.toLowerCase() : t));
  tags = uniquePhrases(tags, TAGS_MAX, 40);
  if (tags.length === 0) {
    tags = uniquePhrases(wire.name.split(/[-_\s]+/).filter((w) => w.length > 2), 3, 40);
    if (tags.length === 0) tags = [title.slice(0, 40)];
  }

  let slug = slugify(wire.name, wire.title ?? '', title);
  if (slug === 'skill') slug = hashSlug(title);

  const files: Record<string, string> = {};
  for (const [p, content] of Object.entries(wire.files ?? {})) {
    if (Object.keys(files).length >= MAX_FILES) break;
    const safe = safeResourcePath(p);
    if (!safe || !content.trim()) continue;
    files[safe] = content.length > MAX_FILE_CHARS ? content.slice(0, MAX_FILE_CHARS).trimEnd() + '\n' : content;
  }

  const confidence = Math.min(1, Math.max(0, wire.confidence ?? opts.defaultConfidence ?? 0.6));
  return {
    ok: true,
    skill: { slug, name: title, description, instructions, triggers, tags, examples: [], confidence, files, applies: wire.applies ?? 'task' },
  };
}
