/**
 * Issue 16, bounded work per request: hostile front matter (40,000 keys, duplicate keys, deep
 * flow nesting, aliases) is refused in linear time at every door, `/health` keeps answering
 * while such files arrive, and a store holding one reports it and carries on.
 *
 * No timing assertions: the latencies are printed (a table for the report), the assertions are
 * about outcomes (clear refusals, /health answering during the hostile requests).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AutoSkill } from '../../src/engine/autoskill.js';
import { FsSkillStore } from '../../src/engine/store/fs/store.js';
import { parseSkillMd, SkillMdError } from '../../src/engine/skill/skill-md.js';
import { validateSkillMd } from '../../src/engine/skill/validate.js';
import { FRONT_MATTER_LIMITS } from '../../src/engine/skill/yaml-limits.js';
import { call } from '../helpers/express-harness.js';
import { tempDir } from '../fixtures/store-helpers.js';

const ctx = { owner: 'user:u' as const, slug: 'hostile', fallbackId: 'hostile-id' };
const manyKeys = (n: number, indent = '') => Array.from({ length: n }, (_, i) => `${indent}a${i}: ${i % 10}`).join('\n');
const md = (yaml: string) => `---\nname: hostile\ndescription: A hostile file\n${yaml}\n---\n\nBody.\n`;

/** Hostile shapes from the issue, all far beyond what real skills use. */
const HOSTILE: Record<string, string> = {
  '40,000 top-level keys (389 KB)': md(manyKeys(40_000)),
  '40,000 keys under metadata': md(`metadata:\n${manyKeys(40_000, '  ')}`),
  '40,000 keys in a flow map': md(`metadata: {${Array.from({ length: 40_000 }, (_, i) => `k${i}: v`).join(', ')}}`),
  '2,000 keys (under the byte cap)': md(manyKeys(2_000).slice(0, 30_000)),
  'deep flow nesting': md(`a: ${'['.repeat(10_000)}${']'.repeat(10_000)}`),
  '3,000 aliases': md(`a: &a [x]\n${Array.from({ length: 3_000 }, (_, i) => `b${i}: *a`).join('\n')}`),
};

describe('front matter limits (codec level)', () => {
  test.each(Object.entries(HOSTILE))('%s is refused with a clear reason', (_label, text) => {
    expect(() => parseSkillMd(text, ctx)).toThrow(SkillMdError);
    const v = validateSkillMd(text);
    expect(v.length).toBeGreaterThan(0);
    expect(v[0]!.message).toMatch(/limit is|more than|nests deeper|must be unique/);
  });

  test('duplicate keys are still found (now in linear time), at any level, with the line', () => {
    expect(() => parseSkillMd(md('name: again'), ctx)).toThrow(/Map keys must be unique at line 4/);
    expect(() => parseSkillMd(md('metadata:\n  a: "1"\n  a: "2"'), ctx)).toThrow(/must be unique/);
    expect(() => parseSkillMd(md('metadata: {a: "1", a: "2"}'), ctx)).toThrow(/must be unique/);
    // `1` and "1" are different keys, as the YAML library itself treats them
    expect(() => parseSkillMd(md('metadata:\n  1: "a"\n  "1": "b"'), ctx)).not.toThrow();
  });

  test('real-sized front matter still parses: limits leave headroom over the bank (max 15 KB, 20 keys)', () => {
    const meta = Array.from({ length: 200 }, (_, i) => `  key${i}: "value ${i} ${'x'.repeat(40)}"`).join('\n');
    const text = md(`metadata:\n${meta}\ntags: [a, b, [c, d]]\nquote: 'it''s [not] {nested'`);
    expect(Buffer.byteLength(text)).toBeLessThan(FRONT_MATTER_LIMITS.bytes);
    const { skill } = parseSkillMd(text, ctx);
    expect(skill.metadata.key199).toMatch(/^value 199/);
  });

  test('codec timings (printed, not asserted)', () => {
    const rows: Array<[string, number]> = [];
    for (const [label, text] of Object.entries(HOSTILE)) {
      const t0 = performance.now();
      validateSkillMd(text);
      rows.push([label, Math.round((performance.now() - t0) * 10) / 10]);
    }
    console.log('validateSkillMd on hostile files (ms):\n' + rows.map(([l, ms]) => `  ${l.padEnd(36)} ${ms}`).join('\n'));
  });
});

describe('/health keeps answering while hostile files arrive at every door', () => {
  let child: ChildProcess;
  let base = '';
  let skillId = '';
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const t = await tempDir('autoskill-hostile-serve-');
    cleanup = t.cleanup;
    // The server runs in its own process: /health is measured from outside its event loop.
    child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, '../fixtures/hostile-server.ts'), t.dir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(out.trim());
      });
      child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
    const [, port, id] = line.split(' ');
    base = `http://127.0.0.1:${port}`;
    skillId = id!;
  }, 60_000);
  afterAll(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    await cleanup();
  });

  test('validate, PUT md and import refuse a 40,000-key SKILL.md with a 4xx or a clear report; /health answers meanwhile', async () => {
    const text = HOSTILE['40,000 top-level keys (389 KB)']!;
    const healthMs: number[] = [];
    let busy = true;
    const poll = (async () => {
      while (busy) {
        const t0 = performance.now();
        const res = await fetch(`${base}/health`);
        await res.arrayBuffer();
        healthMs.push(performance.now() - t0);
        expect(res.status).toBe(200);
      }
    })();
    const hostile: Array<Awaited<ReturnType<typeof call>>> = [];
    for (let round = 0; round < 5; round++) {
      hostile.push(
        ...(await Promise.all([
          call(base, 'POST', '/v1/autoskill/validate', { body: { skill_md: text } }),
          call(base, 'PUT', `/v1/autoskill/skills/${skillId}/md`, { body: { skill_md: text } }),
          call(base, 'POST', '/v1/autoskill/skills/import', { body: text, headers: { 'content-type': 'text/markdown' } }),
        ])),
      );
    }
    busy = false;
    await poll;
    for (let i = 0; i < hostile.length; i += 3) {
      const [validate, put, imp] = hostile.slice(i, i + 3);
      expect(validate!.status).toBe(200);
      expect(validate!.body.ok).toBe(false);
      expect(validate!.body.violations[0].message).toMatch(/front matter is \d+ bytes; the limit is/);
      expect(put!.status).toBe(400);
      expect(put!.body.error.message).toMatch(/limit is/);
      expect(imp!.body.report[0]).toMatchObject({ status: 'error' });
      expect(imp!.body.report[0].reason).toMatch(/limit is/);
    }
    expect(healthMs.length).toBeGreaterThan(0);
    const skill = await call(base, 'GET', `/v1/autoskill/skills/${skillId}`);
    expect(skill.body.data?.version ?? skill.body.version).toBe('0.1.0');
    const sorted = [...healthMs].sort((a, b) => a - b);
    console.log(
      `/health during ${hostile.length} hostile front matter requests (${Buffer.byteLength(text)} bytes each): ${healthMs.length} answers, ` +
        `median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms`,
    );
  });

  test('measured, not asserted: /health while valid but 1 MB SKILL.md bodies are saved (linear work that remains on the loop)', async () => {
    const md0 = (await call(base, 'GET', `/v1/autoskill/skills/${skillId}/md`)).body.skill_md as string;
    const big = md0.replace(/\n---\n[\s\S]*$/, '\n---\n\n# Target\n\n' + '- keep it short\n'.repeat(60_000));
    const healthMs: number[] = [];
    let busy = true;
    const poll = (async () => {
      while (busy) {
        const t0 = performance.now();
        await (await fetch(`${base}/health`)).arrayBuffer();
        healthMs.push(performance.now() - t0);
      }
    })();
    const res = await call(base, 'PUT', `/v1/autoskill/skills/${skillId}/md`, { body: { skill_md: big } });
    busy = false;
    await poll;
    expect(res.status).toBe(200);
    const sorted = [...healthMs].sort((a, b) => a - b);
    console.log(`/health during one PUT md of ${Buffer.byteLength(big)} bytes (valid): ${healthMs.length} answers, median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms`);
  });
});

describe('a store holding hostile files', () => {
  test('opening it reports each file and loads the rest', async () => {
    const { dir, cleanup } = await tempDir('autoskill-hostile-open-');
    try {
      for (const [i, text] of Object.values(HOSTILE).entries()) {
        await mkdir(path.join(dir, 'Users', 'u', `hostile-${i}`), { recursive: true });
        await writeFile(path.join(dir, 'Users', 'u', `hostile-${i}`, 'SKILL.md'), text);
      }
      await mkdir(path.join(dir, 'Users', 'u', 'fine'), { recursive: true });
      await writeFile(path.join(dir, 'Users', 'u', 'fine', 'SKILL.md'), md(''));
      const store = new FsSkillStore({ root: dir });
      await store.open();
      expect((await store.list())).toHaveLength(1);
      const hostile = store.loadErrors.filter((e) => /hostile-\d/.test(e.path));
      expect(hostile).toHaveLength(Object.keys(HOSTILE).length);
      for (const e of hostile) expect(e.reason).toMatch(/limit is|more than|nests deeper/);
      await store.close();
      const sdk = await AutoSkill.open({ storeDir: dir, learning: { mode: 'never' } });
      expect(sdk.list({ userId: 'u' })).toHaveLength(1);
      await sdk.close();
    } finally {
      await cleanup();
    }
  });
});
