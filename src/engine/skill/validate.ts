import { isAlias, isCollection, isMap, isScalar, isSeq, visit, type Document } from 'yaml';
import { SkillMdError } from './errors.js';
import { deref, loadFrontMatterYaml, locateFrontMatter, scalarText } from './frontmatter.js';
import { skillIdProblem } from './ids.js';
import { codePoints, nameProblems, pyStrip } from './spec-name.js';

/**
 * The one SKILL.md check behind `autoskill validate`, `POST /v1/autoskill/validate`, the web
 * editor and MCP `save_skill`. Errors are what the agentskills reference validator (`skills-ref`)
 * rejects; warnings are what it accepts but a host or our own tools may trip over.
 *
 * Reference behaviour reproduced here (checked against skills-ref's validator.py/parser.py):
 * - the file must start with `---`; the front matter ends at the next `---` *anywhere* (the
 *   reference splits the text on it), so `"a --- b"` inside the front matter breaks it;
 * - the YAML is read by StrictYAML: every scalar is a string (so `name: 123` is the name "123"),
 *   and flow collections (`[a]`, `{a: b}`), anchors/aliases, explicit tags and duplicate keys are
 *   rejected; the front matter must be a mapping;
 * - top-level keys only name, description, license, compatibility, metadata, allowed-tools;
 * - name: see spec-name.ts (Unicode lowercase letters, digits, single inner "-", 64 code points,
 *   equal to the folder name after NFKC);
 * - description: non-empty after stripping, at most 1024 code points; compatibility: a string of
 *   at most 500 code points. license, allowed-tools and the metadata map are not checked.
 *
 * Modes: `reference` reports exactly the reference's errors. `default` is the same except that the
 * upstream AutoSkill dialect's top-level keys (id, version, tags, triggers, ...) are a warning
 * whose fix is `autoskill normalize`, because our own reader understands them. Both modes add two
 * errors of our own: NUL bytes (no reader can treat the file as text) and ids that no route could
 * address.
 */

export type ValidateMode = 'default' | 'reference';
export type ViolationLevel = 'error' | 'warning';

export interface Violation {
  /** stable rule id, for summaries and filtering: `name-chars`, `upstream-dialect`, ... */
  rule: string;
  level: ViolationLevel;
  field: string;
  message: string;
  /** a command that fixes it, when there is one */
  fix?: string;
}

export interface ValidateOptions {
  /** the folder the file is in; its name must equal `name` */
  dirName?: string;
  mode?: ValidateMode;
}

const ALLOWED = ['name', 'description', 'license', 'compatibility', 'metadata', 'allowed-tools'];
/** Top-level keys of the upstream AutoSkill dialect that our reader maps to skill fields. */
const UPSTREAM_KEYS = new Set([
  'id', 'skill_id', 'version', 'tags', 'tag', 'triggers', 'trigger', 'examples', 'prompt', 'instructions',
  'title', 'created_at', 'updated_at', 'source', 'source_ref', 'source_trigger',
]);
const MAX_DESCRIPTION = 1024;
const MAX_COMPATIBILITY = 500;
export const NORMALIZE_FIX = 'autoskill normalize';

const v = (rule: string, level: ViolationLevel, field: string, message: string, fix?: string): Violation => ({
  rule,
  level,
  field,
  message,
  ...(fix ? { fix } : {}),
});

/** What StrictYAML reads for a node: scalars as the text written (quoted ones unescaped). */
function strictText(node: unknown, doc: Document): string | undefined {
  const n = deref(node, doc);
  if (!isScalar(n)) return undefined;
  if (typeof n.value === 'string') return n.value;
  return n.source ?? (n.value === null || n.value === undefined ? '' : String(n.value));
}

function kindOf(node: unknown, doc: Document): string {
  const n = deref(node, doc);
  if (isMap(n)) return 'a mapping';
  if (isSeq(n)) return 'a list';
  if (isScalar(n)) return n.value === null || n.value === undefined ? 'an empty value' : `${typeof n.value} ${n.source ?? String(n.value)}`;
  return 'an unsupported value';
}

/** A plain scalar that YAML 1.2 loaders (js-yaml, PyYAML) read as a number, boolean or null. */
function untypedString(node: unknown, doc: Document): boolean {
  const n = deref(node, doc);
  return isScalar(n) && typeof n.value !== 'string' && n.source !== '';
}

/** YAML features StrictYAML refuses; each is reported once with its first line. */
function strictYamlProblems(doc: Document, yamlText: string): Violation[] {
  const found = new Map<string, number>();
  const note = (what: string, range: readonly number[] | null | undefined): void => {
    if (found.has(what)) return;
    const at = range?.[0] ?? 0;
    found.set(what, yamlText.slice(0, at).split('\n').length + 1);
  };
  visit(doc, {
    Node(_key, node) {
      if (isAlias(node)) note('an alias (*name)', node.range);
      else {
        if (node.anchor) note('an anchor (&name)', node.range);
        if (node.tag) note('an explicit tag (!!type)', node.range);
        if (isCollection(node) && node.flow) note(isMap(node) ? 'a flow mapping ({...})' : 'a flow list ([...])', node.range);
      }
    },
  });
  return [...found].map(([what, line]) =>
    v('yaml', 'error', 'frontmatter', `front matter uses ${what} at line ${line}; strict YAML readers (the reference validator) reject it: write it in block style, with plain or quoted values`),
  );
}

function checkText(field: string, node: unknown, doc: Document, max: number, required: boolean): Violation[] {
  const out: Violation[] = [];
  const value = strictText(node, doc);
  if (value === undefined) return [v(required ? `${field}-required` : `${field}-type`, 'error', field, `${field} must be a string (got ${kindOf(node, doc)})`)];
  if (required && pyStrip(value) === '') return [v(`${field}-required`, 'error', field, `${field} is empty; it must be 1-${max} characters`)];
  const len = codePoints(value);
  if (len > max) out.push(v(`${field}-length`, 'error', field, `${field} is ${len} characters long; the maximum is ${max}`));
  if (untypedString(node, doc)) out.push(v('yaml-types', 'warning', field, `${field} ${kindOf(node, doc)} is read as a ${typeof (deref(node, doc) as { value: unknown }).value} by most YAML loaders; quote it`));
  return out;
}

function checkLoose(fields: Map<string, unknown>, doc: Document): Violation[] {
  const out: Violation[] = [];
  for (const field of ['license', 'allowed-tools']) {
    const node = fields.get(field);
    if (node === undefined) continue;
    if (strictText(node, doc) === undefined) {
      const want = field === 'allowed-tools' ? 'one space-separated string' : 'a string';
      out.push(v('field-types', 'warning', field, `${field} should be ${want} (got ${kindOf(node, doc)})`));
    } else if (untypedString(node, doc)) out.push(v('yaml-types', 'warning', field, `${field} ${kindOf(node, doc)} is not a string to most YAML loaders; quote it`));
  }
  if (!fields.has('metadata')) return out;
  const meta = deref(fields.get('metadata'), doc);
  if (!isMap(meta)) {
    if (!(isScalar(meta) && (meta.value === null || meta.value === undefined))) {
      out.push(v('metadata-map', 'warning', 'metadata', `metadata should map keys to string values (got ${kindOf(meta, doc)})`));
    }
    return out;
  }
  for (const pair of meta.items) {
    const label = scalarText(pair.key, doc) ?? '?';
    if (strictText(pair.value, doc) === undefined) {
      out.push(v('metadata-strings', 'warning', `metadata.${label}`, `metadata.${label} should be a string (got ${kindOf(pair.value, doc)}); the spec allows only string values`));
    } else if (untypedString(pair.value, doc) || untypedString(pair.key, doc)) {
      out.push(v('yaml-types', 'warning', `metadata.${label}`, `metadata.${label} is not a string to most YAML loaders; quote it`));
    }
  }
  return out;
}

/** Ids that no route could address (`a/b`, `../x`): the skill could never be edited or deleted. */
function checkIds(fields: Map<string, unknown>, doc: Document): Violation[] {
  const out: Violation[] = [];
  const meta = deref(fields.get('metadata'), doc);
  const candidates: Array<[string, unknown]> = [
    ['metadata.id', isMap(meta) ? meta.items.find((p) => scalarText(p.key, doc) === 'id')?.value : undefined],
    ['id', fields.get('id')],
    ['skill_id', fields.get('skill_id')],
  ];
  for (const [field, node] of candidates) {
    const id = node === undefined ? undefined : scalarText(node, doc);
    if (id === undefined || id.trim() === '') continue;
    const problem = skillIdProblem(id);
    if (problem) out.push(v('id', 'error', field, `${problem} (got ${JSON.stringify(id.slice(0, 100))})`, 'autoskill normalize-ids'));
  }
  return out;
}

/** Where the reference ends the front matter: at the first `---` after the opening one, anywhere. */
function referenceSplitProblem(text: string, yamlEnd: number): Violation | undefined {
  const firstLineEnd = text.indexOf('\n');
  const opener = firstLineEnd === -1 ? text : text.slice(0, firstLineEnd);
  if (pyStrip(opener.slice(3)) !== '') {
    return v('frontmatter', 'error', 'frontmatter', `the first line must be exactly "---" (got ${JSON.stringify(opener.slice(0, 40))})`);
  }
  const cut = text.indexOf('---', 3);
  if (cut !== -1 && cut < yamlEnd) {
    const line = text.slice(0, cut).split('\n').length;
    return v('frontmatter-dash', 'error', 'frontmatter', `"---" at line ${line} is inside the front matter; the reference validator ends the front matter there. Write it differently (e.g. "—")`, NORMALIZE_FIX);
  }
  return undefined;
}

export function validateSkillMd(text: string, opts: ValidateOptions = {}): Violation[] {
  const mode = opts.mode ?? 'default';
  // Our reader refuses NUL bytes; the other checks still run, as the reference reads such a file.
  if (text.includes('\u0000')) {
    const nul = v('file', 'error', 'file', 'file contains NUL bytes (binary data), so it is not a readable SKILL.md');
    return [nul, ...validateSkillMd(text.replaceAll('\u0000', ''), opts)];
  }
  if (text.charCodeAt(0) === 0xfeff) {
    return [v('frontmatter', 'error', 'frontmatter', 'file starts with a byte-order mark (BOM); the reference validator needs "---" as the very first characters: save it as UTF-8 without BOM')];
  }
  const prepared = text.replace(/\r\n?/g, '\n');
  let loc: ReturnType<typeof locateFrontMatter>;
  try {
    loc = locateFrontMatter(prepared);
  } catch (e) {
    if (SkillMdError.isInstance(e)) return [v('frontmatter', 'error', 'frontmatter', e.reason)];
    throw e;
  }
  if (!loc) return [v('frontmatter', 'error', 'frontmatter', 'missing YAML front matter: the file must start with a "---" line, then name and description, then "---"')];
  const yamlText = prepared.slice(loc.yamlStart, loc.yamlEnd);
  const split = referenceSplitProblem(prepared, loc.yamlEnd);
  // The reference cannot read past a misplaced "---", so nothing else is reported, as there.
  if (split) return [split];
  const { doc, problems } = loadFrontMatterYaml(yamlText);
  if (problems.length) return problems.map((p) => v('yaml', 'error', 'frontmatter', `invalid YAML: ${p}`));
  const out: Violation[] = [];
  out.push(...strictYamlProblems(doc, yamlText));
  const root = doc.contents;
  if (!isMap(root)) return [...out, v('frontmatter', 'error', 'frontmatter', 'front matter must be a YAML mapping of keys to values (name, description, ...)')];

  const fields = new Map<string, unknown>();
  for (const pair of root.items) {
    const key = scalarText(pair.key, doc) ?? '?';
    fields.set(key, pair.value);
    if (ALLOWED.includes(key)) continue;
    if (mode === 'default' && UPSTREAM_KEYS.has(key)) {
      out.push(v('upstream-dialect', 'warning', key, `top-level "${key}" is the upstream AutoSkill dialect; hosts and the reference validator reject it (move it under metadata)`, NORMALIZE_FIX));
    } else {
      out.push(v('unknown-field', 'error', key, `unknown top-level key "${key}"; the spec allows only ${ALLOWED.join(', ')} (put custom fields under metadata)`, UPSTREAM_KEYS.has(key) ? NORMALIZE_FIX : undefined));
    }
  }

  const nameNode = fields.get('name');
  const name = nameNode === undefined ? undefined : strictText(nameNode, doc);
  if (nameNode === undefined) out.push(v('name-required', 'error', 'name', 'name is required'));
  else if (name === undefined) out.push(v('name-required', 'error', 'name', `name must be a string (got ${kindOf(nameNode, doc)})`));
  else {
    out.push(...nameProblems(name, opts.dirName).map((p) => v(p.rule, 'error', 'name', p.message)));
    if (untypedString(nameNode, doc)) out.push(v('yaml-types', 'warning', 'name', `name ${kindOf(nameNode, doc)} is not a string to most YAML loaders; quote it`));
  }
  if (!fields.has('description')) out.push(v('description-required', 'error', 'description', 'description is required'));
  else out.push(...checkText('description', fields.get('description'), doc, MAX_DESCRIPTION, true));
  if (fields.has('compatibility')) out.push(...checkText('compatibility', fields.get('compatibility'), doc, MAX_COMPATIBILITY, false));
  out.push(...checkLoose(fields, doc));
  out.push(...checkIds(fields, doc));
  return out;
}

export function errorsOf(vs: Violation[]): Violation[] {
  return vs.filter((x) => x.level === 'error');
}

/** Errors in `now` that `before` did not have: an edit is judged only on what it breaks. */
export function newViolations(now: Violation[], before: Violation[]): Violation[] {
  const seen = new Set(before.map((x) => `${x.field}\u0000${x.message}`));
  return errorsOf(now).filter((x) => !seen.has(`${x.field}\u0000${x.message}`));
}

export function violationText(vs: Violation[]): string {
  return vs.map((x) => `${x.field}: ${x.message}`).join('; ');
}
