import { z } from 'zod';
import { jsonCandidates } from './json-extract.js';
import type { LlmPort, StructuredRequest } from '../ports/llm.js';
import { REPAIR_SYSTEM, repairUserMessage } from './prompts/repair.js';

/**
 * Structured generation on top of the transport-only `LlmPort`: call, recover JSON from the
 * answer, validate with zod, and on failure make exactly one repair call. Anything still wrong
 * becomes an `LlmOutputError` whose `reason` says what happened, so a job can record it.
 */

export type LlmFailureReason = 'call_failed' | 'empty' | 'no_json' | 'invalid';

export interface LlmOutputErrorDetails {
  label: string;
  schemaName: string;
  /** a tail of the last raw answer (for logs; already redacted input, but model output) */
  raw?: string;
  issues?: string[];
  repaired: boolean;
}

const llmOutputSymbol = Symbol.for('autoskill.error.LlmOutputError');

/** The model's answer is unusable (see `reason`); callers decide whether to fall back. */
export class LlmOutputError extends Error {
  private readonly [llmOutputSymbol] = true;
  readonly reason: LlmFailureReason;
  readonly details: LlmOutputErrorDetails;
  constructor(message: string, reason: LlmFailureReason, details: LlmOutputErrorDetails, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LlmOutputError';
    this.reason = reason;
    this.details = details;
  }

  /** Marker-based, so the check holds across two loaded copies of the package. */
  static isInstance(value: unknown): value is LlmOutputError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[llmOutputSymbol] === true;
  }
}

export interface GenerateStructuredOptions {
  /** reshape near-miss answers (aliases, wrappers) before validation; must not throw */
  prepare?: (value: unknown) => unknown;
  /** make one repair call on a malformed answer (default true) */
  repair?: boolean;
  /** how much of a bad draft the fixer sees (chars, from the end) */
  maxDraftChars?: number;
}

export type ParseOutcome<T> =
  | { ok: true; value: T }
  | { ok: false; reason: Exclude<LlmFailureReason, 'call_failed'>; issues: string[] };

function formatIssues(error: z.ZodError): string[] {
  return error.issues.slice(0, 12).map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
}

/** Validate a raw port answer (text or an already-parsed value) against the schema. */
export function parseStructured<T>(raw: unknown, schema: z.ZodType<T>, prepare?: (v: unknown) => unknown): ParseOutcome<T> {
  const prep = prepare ?? ((v: unknown) => v);
  let candidates: unknown[];
  if (typeof raw === 'string') {
    if (!raw.trim()) return { ok: false, reason: 'empty', issues: ['the answer was empty'] };
    candidates = jsonCandidates(raw);
    if (candidates.length === 0) return { ok: false, reason: 'no_json', issues: ['no JSON object found in the answer'] };
  } else if (raw === undefined || raw === null) {
    return { ok: false, reason: 'empty', issues: ['the answer was empty'] };
  } else {
    candidates = [raw];
  }
  let firstIssues: string[] | undefined;
  for (const candidate of candidates) {
    const result = schema.safeParse(prep(candidate));
    if (result.success) return { ok: true, value: result.data };
    firstIssues ??= formatIssues(result.error);
  }
  return { ok: false, reason: 'invalid', issues: firstIssues ?? ['the answer does not match the schema'] };
}

export function describeSchema(schema: z.ZodType): string {
  try {
    return JSON.stringify(z.toJSONSchema(schema, { unrepresentable: 'any' }));
  } catch {
    return '{}';
  }
}

function asDraft(raw: unknown, maxChars: number): string {
  const text = typeof raw === 'string' ? raw : JSON.stringify(raw ?? null);
  return text.length > maxChars ? text.slice(text.length - maxChars) : text;
}

async function callPort(llm: LlmPort, req: StructuredRequest<unknown>, schemaName: string, repaired: boolean): Promise<unknown> {
  try {
    return await llm.generate(req);
  } catch (err) {
    if (req.signal?.aborted) throw err;
    const msg = err instanceof Error ? err.message : String(err);
    throw new LlmOutputError(`${llm.label}: model call failed: ${msg}`, 'call_failed', { label: llm.label, schemaName, repaired }, { cause: err });
  }
}

export async function generateStructured<T>(
  llm: LlmPort,
  req: StructuredRequest<T>,
  opts: GenerateStructuredOptions = {},
): Promise<T> {
  const maxDraft = opts.maxDraftChars ?? 2500;
  const first = await callPort(llm, req as StructuredRequest<unknown>, req.schemaName, false);
  const parsed = parseStructured(first, req.schema, opts.prepare);
  if (parsed.ok) return parsed.value;
  if (opts.repair === false) {
    throw new LlmOutputError(
      `${llm.label}: ${req.schemaName} answer ${parsed.reason === 'invalid' ? 'did not match the schema' : 'had no usable JSON'}: ${parsed.issues.join('; ')}`,
      parsed.reason,
      { label: llm.label, schemaName: req.schemaName, raw: asDraft(first, 1200), issues: parsed.issues, repaired: false },
    );
  }

  const repairReq: StructuredRequest<T> = {
    system: REPAIR_SYSTEM,
    user: repairUserMessage({
      schemaName: req.schemaName,
      jsonSchema: describeSchema(req.schema),
      problems: parsed.issues,
      draft: asDraft(first, maxDraft),
    }),
    schema: req.schema,
    schemaName: req.schemaName,
    temperature: 0,
    signal: req.signal,
  };
  const second = await callPort(llm, repairReq as StructuredRequest<unknown>, req.schemaName, true);
  const reparsed = parseStructured(second, req.schema, opts.prepare);
  if (reparsed.ok) return reparsed.value;
  throw new LlmOutputError(
    `${llm.label}: ${req.schemaName} answer unusable after one repair attempt (${reparsed.reason}): ${reparsed.issues.join('; ')}`,
    reparsed.reason,
    { label: llm.label, schemaName: req.schemaName, raw: asDraft(second, 1200), issues: reparsed.issues, repaired: true },
  );
}
