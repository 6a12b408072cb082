import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { jsonCandidates } from '../../src/engine/learn/json-extract.js';
import type { LlmPort, StructuredRequest } from '../../src/engine/ports/llm.js';
import { generateStructured, LlmOutputError, parseStructured } from '../../src/engine/learn/structured.js';
import { REPAIR_SYSTEM } from '../../src/engine/learn/prompts/repair.js';

const Decision = z.object({ action: z.enum(['add', 'merge', 'discard']), reason: z.string() });

function fakePort(answers: Array<string | unknown | Error>): LlmPort & { requests: StructuredRequest<unknown>[] } {
  const requests: StructuredRequest<unknown>[] = [];
  return {
    label: 'fake',
    requests,
    async generate(req) {
      requests.push(req);
      const a = answers[Math.min(requests.length - 1, answers.length - 1)];
      if (a instanceof Error) throw a;
      return a;
    },
  };
}

describe('jsonCandidates', () => {
  it('parses plain JSON, fenced JSON and JSON after a chatty prefix', () => {
    expect(jsonCandidates('{"a":1}')).toEqual([{ a: 1 }]);
    expect(jsonCandidates('```json\n{"a":2}\n```')).toEqual([{ a: 2 }]);
    expect(jsonCandidates('Sure! Here is the JSON:\n{"a":3}\nHope it helps.')).toEqual([{ a: 3 }]);
  });

  it('tolerates trailing commas', () => {
    expect(jsonCandidates('{"a": [1, 2,],}')).toEqual([{ a: [1, 2] }]);
  });

  it('recovers an answer after prose containing an unbalanced brace', () => {
    const text = 'I think { the answer is:\n{"action":"add","reason":"new"}';
    expect(jsonCandidates(text)).toContainEqual({ action: 'add', reason: 'new' });
  });

  it('returns nothing for text without JSON', () => {
    expect(jsonCandidates('no json here')).toEqual([]);
    expect(jsonCandidates('   ')).toEqual([]);
  });
});

describe('parseStructured', () => {
  it('picks the object that matches the schema, not a stray array (upstream bug #17)', () => {
    const text = 'Scores were [1, 2] and then {"note": "x"} and finally {"action":"merge","reason":"same job"}';
    const r = parseStructured(text, Decision);
    expect(r).toEqual({ ok: true, value: { action: 'merge', reason: 'same job' } });
  });

  it('prefers the valid answer even when a later fragment is invalid', () => {
    const text = '{"action":"discard","reason":"covered"}\n\nExample of the format: {"action":"…"}';
    expect(parseStructured(text, Decision)).toEqual({ ok: true, value: { action: 'discard', reason: 'covered' } });
  });

  it('reports why it failed', () => {
    expect(parseStructured('', Decision)).toMatchObject({ ok: false, reason: 'empty' });
    expect(parseStructured('nope', Decision)).toMatchObject({ ok: false, reason: 'no_json' });
    const r = parseStructured('{"action":"maybe","reason":"?"}', Decision);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toBe('invalid');
      expect(r.issues.join(' ')).toContain('action');
    }
  });

  it('accepts an already-parsed object from the port and applies prepare', () => {
    const prepare = (v: unknown) => ({ ...(v as object), reason: 'filled' });
    expect(parseStructured({ action: 'add' }, Decision, prepare)).toEqual({ ok: true, value: { action: 'add', reason: 'filled' } });
  });
});

describe('generateStructured', () => {
  const req = { system: 'decide', user: { x: 1 }, schema: Decision, schemaName: 'decision' };

  it('returns a valid first answer without a repair call', async () => {
    const port = fakePort(['{"action":"add","reason":"new capability"}']);
    await expect(generateStructured(port, req)).resolves.toEqual({ action: 'add', reason: 'new capability' });
    expect(port.requests).toHaveLength(1);
  });

  it('makes exactly one repair call with the JSON Schema and the bad draft, and uses its answer', async () => {
    const port = fakePort(['I would merge these, because they are the same.', '{"action":"merge","reason":"same"}']);
    await expect(generateStructured(port, req)).resolves.toEqual({ action: 'merge', reason: 'same' });
    expect(port.requests).toHaveLength(2);
    const repair = port.requests[1]!;
    expect(repair.system).toBe(REPAIR_SYSTEM);
    expect(String(repair.user)).toContain('"enum":["add","merge","discard"]');
    expect(String(repair.user)).toContain('I would merge these');
    expect(String(repair.user)).toContain('no JSON object found');
  });

  it('throws LlmOutputError with the reason when the repair is bad too', async () => {
    const port = fakePort(['{"action":"explode"}', 'still not right']);
    const err = await generateStructured(port, req).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmOutputError);
    expect((err as LlmOutputError).reason).toBe('no_json');
    expect((err as LlmOutputError).details.repaired).toBe(true);
    expect(port.requests).toHaveLength(2);
  });

  it('does not repair when told not to', async () => {
    const port = fakePort(['{"action":"explode","reason":"x"}']);
    const err = await generateStructured(port, req, { repair: false }).catch((e: unknown) => e);
    expect((err as LlmOutputError).reason).toBe('invalid');
    expect(port.requests).toHaveLength(1);
  });

  it('wraps transport errors as call_failed without a repair attempt', async () => {
    const port = fakePort([new Error('ECONNREFUSED')]);
    const err = await generateStructured(port, req).catch((e: unknown) => e);
    expect((err as LlmOutputError).reason).toBe('call_failed');
    expect((err as LlmOutputError).message).toContain('ECONNREFUSED');
    expect(port.requests).toHaveLength(1);
  });
});
