import { isMap, isScalar, isSeq, stringify, type Document, type Pair, type YAMLMap } from 'yaml';
import { leadingParagraph, leadingTitle, renderBody, splitBody } from './body.js';
import { SkillMdError } from './errors.js';
import {
  deref,
  listTexts,
  locateFrontMatter,
  mapEntries,
  parseFrontMatterYaml,
  plainValue,
  prepareText,
  readFrontMatter,
  scalarText,
} from './frontmatter.js';
import {
  charLength,
  normalizeDescription,
  normalizeExamples,
  normalizeInstructions,
  normalizeResources,
  normalizeTags,
  normalizeTriggers,
  oneLine,
  truncateChars,
} from './normalize.js';
import { SkillSchema, SkillSourceSchema, type Owner, type Skill, type SkillExample, type SkillSource } from './schema.js';
import { specNameFor } from './slug.js';
import { coerceVersion } from './version.js';

export { SkillMdError } from './errors.js';

/**
 * SKILL.md codec. Reads both dialects found in the wild and writes one spec-valid dialect.
 *
 * Read (two dialects):
 * - Agent Skills spec: top level `name, description, license, compatibility, metadata,
 *   allowed-tools`; our fields live in `metadata` (string → string).
 * - upstream AutoSkill: `id, version, tags, triggers, examples` at the top level.
 *
 * Precedence, highest first: `metadata.<key>`, then the top-level key, then the body section.
 *   id          metadata.id > id > skill_id > ctx.fallbackId (hadId = false)
 *   name        metadata.title > title > name > leading `# heading` of the body > ctx.slug
 *   version     metadata.version > version > "0.1.0"; non-semver is coerced (warning keeps the original)
 *   tags        metadata.tags (comma-separated) > tags > tag
 *   triggers    triggers > trigger > body `## Triggers`
 *   examples    examples > body `## Examples`
 *   resources   body `## Files`
 *   instructions  prompt > instructions (front matter) > body (see body.ts)
 *   created_at / updated_at / source / source_ref / source_trigger: metadata > top level
 * Unknown top-level keys (e.g. Claude Code's `argument-hint`) are kept as metadata entries so
 * that the rendered file stays spec-valid; other metadata keys pass through untouched. A
 * `metadata.source` that is not one of our source kinds is the author's own key and stays metadata.
 *
 * Write: top level `name: <spec slug>`, `description`, optional `license`, `compatibility`,
 * `allowed-tools`, then `metadata` with id, version, title (when the name is not the slug), tags,
 * created_at, updated_at, source, source_ref, source_trigger and the author's keys. All strings
 * are double-quoted by the YAML serializer, so YAML 1.1 readers do not turn `1.0` into a number
 * or dates into timestamps. The body is described in body.ts.
 */

export interface ParseContext {
  owner: Owner;
  /** folder name */
  slug: string;
  /** used when the file has no id */
  fallbackId: string;
}

export interface ParseResult {
  skill: Skill;
  hadId: boolean;
  warnings: string[];
}

const MAX_DESCRIPTION = 1024;
const MAX_COMPATIBILITY = 500;
const MAX_ID = 200;

const SPEC_KEYS = new Set(['name', 'description', 'license', 'compatibility', 'metadata', 'allowed-tools']);
/** Our keys inside `metadata`; never passed through as the author's metadata. */
const OWN_META_KEYS = new Set(['id', 'version', 'title', 'tags', 'created_at', 'updated_at']);
const SOURCE_KEYS = ['source', 'source_ref', 'source_trigger'] as const;
/** Upstream top-level keys that map to skill fields. */
const UPSTREAM_KEYS = new Set([...OWN_META_KEYS, 'skill_id', 'tag', 'triggers', 'trigger', 'examples', 'prompt', 'instructions']);
const SOURCE_KINDS: ReadonlySet<string> = new Set(SkillSourceSchema.shape.kind.options);

function nonEmpty(text: string | undefined): string | undefined {
  const t = text?.trim();
  return t ? t : undefined;
}

/**
 * A description longer than the spec allows is shortened in the front matter, and its full
 * text becomes the first paragraph of the instructions, so nothing is lost and the output
 * stays valid. Used by both parse and render, so either order gives the same result.
 */
function fitDescription(description: string, instructions: string, warnings?: string[]): { description: string; instructions: string } {
  const n = charLength(description);
  if (n <= MAX_DESCRIPTION) return { description, instructions };
  warnings?.push(
    `description is ${n} characters long (the spec allows ${MAX_DESCRIPTION}); shortened, and its full text now starts the instructions`,
  );
  const short = normalizeDescription(truncateChars(description, MAX_DESCRIPTION));
  const full = instructions.startsWith(description) ? instructions : normalizeInstructions(`${description}\n\n${instructions}`);
  return { description: short, instructions: full };
}

/** Any YAML value as a metadata string: scalars as written, collections as JSON. */
function metadataString(node: unknown, doc: Document, label: string, warnings: string[]): string {
  const text = scalarText(node, doc);
  if (text !== undefined) return text;
  const value = plainValue(node, doc);
  if (value === null || value === undefined) return '';
  warnings.push(`${label} is not a string; kept as JSON text`);
  return JSON.stringify(value);
}

function readExamples(node: unknown, doc: Document, warnings: string[]): SkillExample[] {
  const n = deref(node, doc);
  const items = listItems(n);
  const raw: Array<Partial<Record<keyof SkillExample, string>>> = [];
  for (const item of items) {
    const fields = mapEntries(item, doc);
    if (!fields) {
      const input = scalarText(item, doc);
      if (input !== undefined) raw.push({ input });
      continue;
    }
    const get = (k: string): string | undefined => scalarText(fields.find(([key]) => key === k)?.[1], doc);
    const ex = { input: get('input'), output: get('output'), notes: get('notes') };
    if (!nonEmpty(ex.input)) {
      warnings.push('an example without "input" was skipped');
      continue;
    }
    raw.push({ input: ex.input, ...(ex.output !== undefined && { output: ex.output }), ...(ex.notes !== undefined && { notes: ex.notes }) });
  }
  return normalizeExamples(raw);
}

function listItems(n: unknown): unknown[] {
  if (isSeq(n)) return n.items;
  return n === undefined || n === null ? [] : [n];
}

/**
 * The instructions `parseSkillMd` gives for `text`, read without parsing its YAML, for a file whose
 * name and description are already known from a parse of these very bytes (a store's record).
 * Undefined when only a full parse can tell: no front matter, a front matter that may hold a
 * `prompt` or `instructions` key, or a description long enough to have been moved into the
 * instructions. Rendering reads bodies this way: the YAML parse was most of a body read's cost.
 */
export function instructionsOfKnown(text: string, known: { name: string; description: string }): string | undefined {
  // (a description near the limit may be a shortened one, whose full text starts the instructions)
  if (charLength(known.description) >= MAX_DESCRIPTION - 64) return undefined;
  const prepared = prepareText(text);
  let loc: ReturnType<typeof locateFrontMatter>;
  try {
    loc = locateFrontMatter(prepared);
  } catch {
    return undefined;
  }
  if (!loc || /prompt|instructions/i.test(prepared.slice(loc.yamlStart, loc.yamlEnd))) return undefined;
  return splitBody(prepared.slice(loc.bodyStart), { title: known.name, description: known.description }).instructions;
}

export function parseSkillMd(text: string, ctx: ParseContext): ParseResult {
  const fm = readFrontMatter(prepareText(text));
  const warnings = [...fm.warnings];
  const doc = fm.doc;
  const top = new Map(fm.entries);
  const topText = (key: string): string | undefined => (doc ? scalarText(top.get(key), doc) : undefined);

  // metadata: the author's map, read as strings
  const meta = new Map<string, string>();
  const metaNode = top.get('metadata');
  if (doc && metaNode !== undefined) {
    const entries = mapEntries(metaNode, doc);
    if (entries) for (const [k, v] of entries) meta.set(k, metadataString(v, doc, `metadata.${k}`, warnings));
    else if (plainValue(metaNode, doc) !== null) warnings.push('metadata is not a mapping; ignored');
  }
  const own = (key: string): string | undefined => nonEmpty(meta.get(key)) ?? nonEmpty(topText(key));

  // id
  let id = ctx.fallbackId;
  let hadId = false;
  const rawId = own('id') ?? nonEmpty(topText('skill_id'));
  if (rawId !== undefined) {
    if (rawId.length <= MAX_ID) {
      id = rawId;
      hadId = true;
    } else warnings.push(`id is longer than ${MAX_ID} characters; ignored`);
  }

  // name (human title) and description
  const name =
    [own('title'), topText('name'), leadingTitle(fm.body), ctx.slug].map((t) => (t === undefined ? '' : oneLine(t))).find((t) => t !== '') ??
    ctx.slug;
  let description = normalizeDescription(topText('description') ?? '');
  if (!description) {
    const para = leadingParagraph(fm.body, name);
    if (para) {
      description = normalizeDescription(para);
      warnings.push('no description in the front matter; using the first paragraph of the body');
    }
  }

  // instructions and body sections
  const body = splitBody(fm.body, { title: name, description });
  let instructions = body.instructions;
  if (body.nestedPreambles) {
    warnings.push(`removed ${body.nestedPreambles} nested copy(ies) of the title/description/"## Prompt" block from the prompt (left by an old re-render bug)`);
  }
  const fmPrompt = normalizeInstructions(topText('prompt') ?? topText('instructions') ?? '');
  if (fmPrompt) {
    if (instructions && instructions !== fmPrompt) warnings.push('front matter "prompt" overrides the prompt in the body');
    instructions = fmPrompt;
  }
  ({ description, instructions } = fitDescription(description, instructions, warnings));

  // version
  const rawVersion = own('version');
  const version = coerceVersion(rawVersion);
  if (rawVersion !== undefined && version !== rawVersion) {
    warnings.push(`version ${JSON.stringify(rawVersion)} is not a semantic version; using "${version}"`);
  }
  const topVersion = nonEmpty(topText('version'));
  if (meta.has('version') && topVersion !== undefined && topVersion !== rawVersion) {
    warnings.push(`metadata.version "${rawVersion}" wins over top-level version "${topVersion}"`);
  }

  // lists
  const tagSource = meta.has('tags') ? [meta.get('tags') ?? ''] : doc ? listTexts(top.get('tags') ?? top.get('tag'), doc) : undefined;
  const tags = normalizeTags(tagSource ?? []);
  const triggerNode = top.get('triggers') ?? top.get('trigger');
  const topTriggers = doc && triggerNode !== undefined ? listTexts(triggerNode, doc) : undefined;
  const triggers = normalizeTriggers(topTriggers ?? body.sections.triggers ?? []);
  const topExamples = top.get('examples');
  const examples =
    doc && topExamples !== undefined && plainValue(topExamples, doc) !== null
      ? readExamples(topExamples, doc, warnings)
      : normalizeExamples(body.sections.examples ?? []);
  const resources = normalizeResources(body.sections.files ?? [], warnings);

  // source: only our own kinds; anything else is the author's metadata
  let source: SkillSource | undefined;
  const kind = own('source');
  if (kind !== undefined && SOURCE_KINDS.has(kind)) {
    source = { kind: kind as SkillSource['kind'] };
    const ref = own('source_ref');
    const trigger = own('source_trigger');
    if (ref !== undefined) source.ref = ref;
    if (trigger !== undefined) source.trigger = trigger;
  }
  const consumed = new Set<string>([...OWN_META_KEYS, ...(source ? SOURCE_KEYS : [])]);

  // the author's metadata, then unknown top-level keys
  const metadata: Record<string, string> = {};
  for (const [k, v] of meta) if (!consumed.has(k)) metadata[k] = v;
  for (const [k, node] of fm.entries) {
    if (SPEC_KEYS.has(k) || UPSTREAM_KEYS.has(k) || consumed.has(k)) continue;
    if (k in metadata) {
      warnings.push(`top-level key "${k}" is shadowed by metadata.${k}; dropped`);
      continue;
    }
    if (doc) metadata[k] = metadataString(node, doc, k, warnings);
    warnings.push(`top-level key "${k}" is not part of the Agent Skills spec; kept as metadata.${k}`);
  }

  // spec fields
  const license = nonEmpty(topText('license'));
  let compatibility = nonEmpty(topText('compatibility'));
  if (compatibility !== undefined && charLength(compatibility) > MAX_COMPATIBILITY) {
    warnings.push(`compatibility is ${charLength(compatibility)} characters long (the spec allows ${MAX_COMPATIBILITY}); shortened`);
    compatibility = truncateChars(compatibility, MAX_COMPATIBILITY);
  }
  const toolsList = doc ? listTexts(top.get('allowed-tools'), doc) : undefined;
  const allowedTools = nonEmpty(toolsList?.map((t) => t.trim()).join(' '));
  if (doc && toolsList && toolsList.length > 1) warnings.push('allowed-tools is a list; joined into one space-separated string');

  const createdAt = own('created_at');
  const updatedAt = own('updated_at');

  const skill: Skill = {
    id,
    slug: ctx.slug,
    name,
    description,
    instructions,
    triggers,
    tags,
    examples,
    version,
    owner: ctx.owner,
    resources,
    metadata,
    ...(source && { source }),
    ...(license !== undefined && { license }),
    ...(compatibility !== undefined && { compatibility }),
    ...(allowedTools !== undefined && { allowedTools }),
    ...(createdAt !== undefined && { createdAt }),
    ...(updatedAt !== undefined && { updatedAt }),
  };
  const checked = SkillSchema.safeParse(skill);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new SkillMdError('invalid', `not a valid skill: ${issue?.path.join('.') || 'skill'}: ${issue?.message ?? 'invalid'}`);
  }
  return { skill, hadId, warnings };
}

export interface RenderOptions {
  /** the `name:` to write (an export folder name); default: specNameFor(skill) */
  specName?: string;
  /** leave `metadata.id` out (a file that had no id gets none invented) */
  omitId?: boolean;
}

/**
 * Strict readers (the reference validator) end the front matter at the first `---` anywhere, so
 * a value holding one would cut it short; inside double quotes `\u002d` is the same dash.
 */
function escapeTripleDash(yaml: string): string {
  return yaml.replace(/"(?:[^"\\]|\\.)*"/g, (q) => q.replaceAll('---', '-\\u002d-'));
}

/** A spec-valid SKILL.md for `skill` (see the module comment for the layout). */
export function renderSkillMd(skill: Skill, opts: RenderOptions = {}): string {
  const name = oneLine(skill.name) || skill.slug;
  const specName = opts.specName ?? specNameFor({ id: skill.id, slug: skill.slug, name, tags: skill.tags, triggers: skill.triggers });
  const fitted = fitDescription(normalizeDescription(skill.description), normalizeInstructions(skill.instructions));
  const tags = normalizeTags(skill.tags);

  const meta: Record<string, string> = opts.omitId ? { version: coerceVersion(skill.version) } : { id: skill.id, version: coerceVersion(skill.version) };
  if (name !== specName) meta.title = name;
  if (tags.length) meta.tags = tags.join(', ');
  if (nonEmpty(skill.createdAt)) meta.created_at = (skill.createdAt ?? '').trim();
  if (nonEmpty(skill.updatedAt)) meta.updated_at = (skill.updatedAt ?? '').trim();
  if (skill.source) {
    meta.source = skill.source.kind;
    if (nonEmpty(skill.source.ref)) meta.source_ref = (skill.source.ref ?? '').trim();
    if (nonEmpty(skill.source.trigger)) meta.source_trigger = (skill.source.trigger ?? '').trim();
  }
  for (const [k, v] of Object.entries(skill.metadata)) {
    // Our fields win over same-named author keys; they would be read back as ours anyway.
    if (OWN_META_KEYS.has(k) || k in meta || (skill.source && (SOURCE_KEYS as readonly string[]).includes(k))) continue;
    meta[k] = String(v);
  }

  const front: Record<string, unknown> = { name: specName, description: fitted.description };
  const license = nonEmpty(skill.license);
  const compatibility = nonEmpty(skill.compatibility);
  const allowedTools = nonEmpty(skill.allowedTools);
  if (license !== undefined) front.license = license;
  if (compatibility !== undefined) front.compatibility = truncateChars(compatibility, MAX_COMPATIBILITY);
  if (allowedTools !== undefined) front['allowed-tools'] = allowedTools;
  front.metadata = meta;
  const yaml = escapeTripleDash(stringify(front, { version: '1.2', defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN', doubleQuotedAsJSON: true, lineWidth: 0 }));

  const body = renderBody({
    title: name,
    description: fitted.description,
    instructions: fitted.instructions,
    resources: normalizeResources(skill.resources),
    triggers: normalizeTriggers(skill.triggers),
    examples: normalizeExamples(skill.examples),
  });
  return `---\n${yaml}---\n\n${body}\n`;
}

// ---------------------------------------------------------------------------------------------
// setSkillMdId

const UPSTREAM_MARKERS = ['version', 'tags', 'triggers', 'examples', 'skill_id'];

interface Edit {
  start: number;
  end: number;
  text: string;
}

function pairFor(map: YAMLMap | null | undefined, key: string, doc: Document): Pair | undefined {
  return map?.items.find((p) => scalarText(p.key, doc) === key);
}

/** Replacement of a pair's scalar value; undefined when the value is not a plain/quoted scalar. */
function replaceValue(pair: Pair, quoted: string): Edit | undefined {
  const v = pair.value;
  if (!isScalar(v) || !v.range) return undefined;
  if (v.type === 'BLOCK_LITERAL' || v.type === 'BLOCK_FOLDED') return undefined;
  if (v.value === null && v.range[0] === v.range[1]) return { start: v.range[0], end: v.range[1], text: ` ${quoted}` };
  return { start: v.range[0], end: v.range[1], text: quoted };
}

function idReadsBack(yamlText: string, id: string, where: 'top' | 'metadata' | 'both'): boolean {
  try {
    const doc = parseFrontMatterYaml(yamlText);
    const root = doc.contents as YAMLMap | null;
    const topOk = scalarText(pairFor(root, 'id', doc)?.value, doc) === id;
    const metaNode = deref(pairFor(root, 'metadata', doc)?.value, doc);
    const metaOk = isMap(metaNode) && scalarText(pairFor(metaNode, 'id', doc)?.value, doc) === id;
    return where === 'top' ? topOk : where === 'metadata' ? metaOk : topOk && metaOk;
  } catch {
    return false;
  }
}

/** Textual edits that change only the id; undefined when the layout is unusual (flow maps, aliases...). */
function planIdEdits(yamlText: string, doc: Document.Parsed, quoted: string, eol: string): { edits: Edit[]; where: 'top' | 'metadata' | 'both' } | undefined {
  const root = doc.contents as YAMLMap | null;
  const topId = pairFor(root, 'id', doc);
  const metaPair = pairFor(root, 'metadata', doc);
  const metaMap = isMap(metaPair?.value) ? (metaPair?.value as YAMLMap) : undefined;
  const metaId = pairFor(metaMap, 'id', doc);
  if (topId || metaId) {
    const edits: Edit[] = [];
    for (const pair of [topId, metaId]) {
      if (!pair) continue;
      const edit = replaceValue(pair, quoted);
      if (!edit) return undefined;
      edits.push(edit);
    }
    return { edits, where: topId && metaId ? 'both' : topId ? 'top' : 'metadata' };
  }
  const upstream = UPSTREAM_MARKERS.some((k) => pairFor(root, k, doc));
  const metaIsEmpty = metaPair !== undefined && isScalar(metaPair.value) && metaPair.value.value === null;
  if (upstream || (metaPair && !metaMap && !metaIsEmpty)) {
    return { edits: [{ start: 0, end: 0, text: `id: ${quoted}${eol}` }], where: 'top' };
  }
  if (metaMap) {
    const firstKey = metaMap.items[0]?.key;
    if (metaMap.flow || !isScalar(firstKey) || !firstKey.range) return undefined;
    const at = firstKey.range[0];
    const lineStart = yamlText.lastIndexOf('\n', at - 1) + 1;
    const indent = yamlText.slice(lineStart, at);
    if (!/^ +$/.test(indent)) return undefined;
    return { edits: [{ start: lineStart, end: lineStart, text: `${indent}id: ${quoted}${eol}` }], where: 'metadata' };
  }
  if (metaPair && metaIsEmpty) {
    const v = metaPair.value as { range?: [number, number, number] };
    if (!v.range) return undefined;
    return { edits: [{ start: v.range[0], end: v.range[1], text: `${eol}  id: ${quoted}` }], where: 'metadata' };
  }
  const end = yamlText.length;
  const sep = end > 0 && !yamlText.endsWith('\n') ? eol : '';
  return { edits: [{ start: end, end, text: `${sep}metadata:${eol}  id: ${quoted}${eol}` }], where: 'metadata' };
}

/**
 * Writes `id` into a SKILL.md and leaves every other byte alone where possible: the value of
 * `metadata.id` and/or a top-level `id:` is replaced in place; a file with neither gets
 * `metadata.id` (spec dialect) or a top-level `id:` line (upstream dialect, recognised by its
 * top-level version/tags/triggers). Only those two keys are touched: nested keys that happen to
 * be called `id` are not (upstream rewrote any indented `id:` line). Without front matter, one
 * is added. Throws SkillMdError for NUL bytes or broken YAML.
 */
export function setSkillMdId(text: string, id: string): string {
  if (text.includes('\u0000')) throw new SkillMdError('binary', 'file contains NUL bytes (binary data), so it is not a readable SKILL.md');
  const bom = text.charCodeAt(0) === 0xfeff ? '\ufeff' : '';
  const src = bom ? text.slice(1) : text;
  const eol = src.includes('\r\n') ? '\r\n' : '\n';
  const quoted = JSON.stringify(id);
  const loc = locateFrontMatter(src);
  if (!loc) {
    const head = `---${eol}metadata:${eol}  id: ${quoted}${eol}---${eol}`;
    return bom + head + (src.length ? eol + src : '');
  }
  const yamlText = src.slice(loc.yamlStart, loc.yamlEnd);
  const doc = parseFrontMatterYaml(yamlText);
  const plan = planIdEdits(yamlText, doc, quoted, eol);
  let next: string | undefined;
  if (plan) {
    let edited = yamlText;
    for (const e of [...plan.edits].sort((a, b) => b.start - a.start)) edited = edited.slice(0, e.start) + e.text + edited.slice(e.end);
    if (idReadsBack(edited, id, plan.where)) next = edited;
  }
  if (next === undefined) {
    // Unusual layout (flow maps, aliases, block scalars): let the YAML library rewrite the front
    // matter. Comments survive; only formatting may change.
    const root = doc.contents as YAMLMap | null;
    const metaNode = deref(pairFor(root, 'metadata', doc)?.value, doc);
    const metaIsMap = isMap(metaNode);
    const metaUsable = metaNode === undefined || metaIsMap || plainValue(metaNode, doc) === null;
    const useTop = pairFor(root, 'id', doc) !== undefined || UPSTREAM_MARKERS.some((k) => pairFor(root, k, doc)) || !metaUsable;
    if (useTop) doc.set('id', id);
    if (metaIsMap && (!useTop || pairFor(metaNode, 'id', doc))) (metaNode as YAMLMap).set('id', id);
    else if (!useTop) doc.set('metadata', doc.createNode({ id }));
    next = doc.toString({ lineWidth: 0 });
    if (eol === '\r\n') next = next.replace(/\r?\n/g, '\r\n');
  }
  return bom + src.slice(0, loc.yamlStart) + next + src.slice(loc.yamlEnd);
}

