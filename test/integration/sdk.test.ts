import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { AutoSkill } from '../../src/engine/autoskill.js';
import { AccessDeniedError, NotFoundError, ValidationError } from '../../src/engine/errors.js';
import type { Embedder } from '../../src/engine/ports/embedder.js';
import { LocalEmbedder } from '../../src/engine/index/local-embedder.js';
import { validateSkillMd } from '../../src/engine/skill/validate.js';
import { BANK } from '../fixtures/store-helpers.js';

const REPO_COMMON = path.resolve(import.meta.dirname, '../../Skills/Common');

let dir: string;
let sdk: AutoSkill;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'autoskill-sdk-'));
  sdk = await AutoSkill.open({ storeDir: dir, learning: { start: false } });
});
afterEach(async () => {
  await sdk.close();
  await rm(dir, { recursive: true, force: true });
});

const reportSkill = {
  name: 'report-writing-no-hallucination',
  description: 'Write reports that never invent facts and cite a source for every claim.',
  instructions: '# Goal\nWrite reports.\n\n# Constraints & Style\n- Never invent facts.\n- Cite sources.',
  triggers: ['write a report', 'report with sources'],
  tags: ['report', 'accuracy'],
};

describe('AutoSkill facade', () => {
  test('imports the bundled Common library and finds it in English and Chinese', async () => {
    const report = await sdk.importSkills(REPO_COMMON, { scope: 'common' });
    expect(report.filter((r) => r.status === 'imported')).toHaveLength(5);
    const en = await sdk.search('please answer in plain text without markdown', { scope: 'all', userId: 'u1', limit: 3, minScore: 0 });
    expect(en[0]?.skill.name).toBe('Plain text output');
    const zh = await sdk.search('帮我起草一份政府公文', { scope: 'all', userId: 'u1', limit: 3, minScore: 0 });
    expect(zh[0]?.skill.name).toBe('中文公文写作');
    // every bundled skill is spec-valid as shipped
    for (const s of sdk.list({ scope: 'common' })) {
      const text = await readFile(path.join(REPO_COMMON, s.slug, 'SKILL.md'), 'utf8');
      expect(validateSkillMd(text, { dirName: s.slug })).toEqual([]);
    }
  });

  test('an edit bumps the patch version, keeps history, and rollback survives a restart', async () => {
    const v1 = await sdk.upsert(reportSkill, { actor: { userId: 'alice' } });
    expect(v1.version).toBe('0.1.0');
    expect(v1.owner).toBe('user:alice');
    const v2 = await sdk.upsert(
      { ...reportSkill, id: v1.id, instructions: reportSkill.instructions + '\n- Use plain text, no markdown.' },
      { actor: { userId: 'alice' } },
    );
    expect(v2.version).toBe('0.1.1');
    expect(v2.id).toBe(v1.id);
    const diff = await sdk.diff(v1.id, '0.1.0', '0.1.1');
    expect(diff).toContain('+- Use plain text, no markdown.');

    await sdk.close();
    sdk = await AutoSkill.open({ storeDir: dir, learning: { start: false } });
    expect((await sdk.versions(v1.id)).map((v) => v.version)).toEqual(['0.1.0', '0.1.1']);
    const restored = await sdk.rollback(v1.id, '0.1.0', { userId: 'alice' });
    // restoring writes a new version, so versions never go backwards or collide
    expect(restored.version).toBe('0.1.2');
    expect(restored.instructions).not.toContain('plain text');
    expect(restored.source).toMatchObject({ kind: 'rollback', ref: '0.1.0' });
  });

  test('users never see or touch each other\'s skills; Common is read-only', async () => {
    await sdk.importSkills(REPO_COMMON, { scope: 'common' });
    const mine = await sdk.upsert(reportSkill, { actor: { userId: 'alice' } });
    const bob = { userId: 'bob' };
    expect(sdk.get(mine.id, bob)).toBeUndefined();
    expect(sdk.list({ userId: 'bob', scope: 'all' }).some((s) => s.id === mine.id)).toBe(false);
    const hits = await sdk.search('write a report with sources', { userId: 'bob', scope: 'all', minScore: 0, limit: 10 });
    expect(hits.some((h) => h.skill.id === mine.id)).toBe(false);
    await expect(sdk.delete(mine.id, bob)).rejects.toBeInstanceOf(NotFoundError);
    await expect(sdk.saveSkillMd(mine.id, sdk.skillMd(mine.id), bob)).rejects.toBeInstanceOf(NotFoundError);
    await expect(sdk.export(mine.id, 'md', undefined, bob)).rejects.toBeInstanceOf(NotFoundError);
    const common = sdk.list({ scope: 'common' })[0]!;
    await expect(sdk.delete(common.id, bob)).rejects.toBeInstanceOf(AccessDeniedError);
    expect(sdk.get(mine.id, { userId: 'alice' })?.id).toBe(mine.id);
  });

  test('saveSkillMd validates before writing and leaves the store untouched on error', async () => {
    const s = await sdk.upsert(reportSkill, { actor: { userId: 'alice' } });
    const before = sdk.skillMd(s.id);
    await expect(sdk.saveSkillMd(s.id, '---\nname: [broken\n---\nbody', { userId: 'alice' })).rejects.toBeInstanceOf(ValidationError);
    await expect(sdk.saveSkillMd(s.id, 'just a body, no front matter', { userId: 'alice' })).rejects.toSatisfy((e) => ValidationError.isInstance(e) && /\bname\b/.test(e.message));
    expect(sdk.skillMd(s.id)).toBe(before);
    const edited = before.replace('- Cite sources.', '- Cite sources.\n- Keep it short.');
    const saved = await sdk.saveSkillMd(s.id, edited, { userId: 'alice' });
    expect(saved.version).toBe('0.1.1');
    expect(saved.instructions).toContain('- Keep it short.');
  });

  test('retrieval survives a dead embedder (lexical only) and a slow one (time box)', async () => {
    await sdk.upsert(reportSkill, { actor: { userId: 'u1' } });
    await sdk.close();
    let calls = 0;
    const broken: Embedder = {
      signature: 'broken-v1',
      dimensions: 8,
      capabilities: { semantic: true },
      embed: async () => {
        calls++;
        throw new Error('embedding service down');
      },
    };
    sdk = await AutoSkill.open({ storeDir: dir, embedder: broken, learning: { start: false } });
    const r = await sdk.retrieveForTurn([{ role: 'user', content: 'write a report' }], { userId: 'u1' });
    expect(calls).toBeGreaterThan(0);
    expect(r.error).toBeUndefined();
    expect(r.hits[0]?.skill.name).toBe(reportSkill.name);
    expect(r.hits[0]?.semantic).toBe(0);

    await sdk.close();
    const local = new LocalEmbedder();
    const slow: Embedder = {
      signature: local.signature,
      dimensions: local.dimensions,
      capabilities: { semantic: true },
      embed: async (texts) => {
        if (texts.length === 1) await new Promise((r) => setTimeout(r, 300));
        return local.embed(texts);
      },
    };
    sdk = await AutoSkill.open({ storeDir: dir, embedder: slow, learning: { start: false } });
    const t = await sdk.retrieveForTurn([{ role: 'user', content: 'write a report' }], { userId: 'u1', timeoutMs: 50 });
    expect(t.timedOut).toBe(true);
    expect(t.hits).toEqual([]);
  });

  test('retrieveForTurn renders the injected context for a relevant query', async () => {
    await sdk.upsert(reportSkill, { actor: { userId: 'alice' } });
    const r = await sdk.retrieveForTurn(
      [
        { role: 'system', content: 'You are helpful.' },
        { role: 'user', content: 'Please write a report about river pollution' },
      ],
      { userId: 'alice' },
    );
    expect(r.hits[0]?.skill.name).toBe('report-writing-no-hallucination');
    expect(r.context?.text).toContain('Never invent facts.');
    expect(r.context?.included[0]).toMatchObject({ version: '0.1.0' });
  });

  test('real bank skills import with their ids and resources, unreadable files are reported', { timeout: 120_000 }, async () => {
    const lib = path.join(BANK, 'Common', 'anthropics-skill');
    const src = path.join(dir, '..', path.basename(dir) + '-src');
    await cp(lib, src, { recursive: true });
    await writeFile(path.join(src, 'pdf', 'SKILL.md.bak'), 'ignored');
    try {
      const report = await sdk.importSkills(src, { scope: 'common', library: 'anthropic' });
      const pdf = sdk.list({ scope: 'common' }).find((s) => s.slug === 'pdf');
      expect(pdf?.owner).toBe('library:anthropic');
      expect(pdf?.resources.length).toBeGreaterThan(0);
      const original = await readFile(path.join(lib, 'pdf', 'SKILL.md'), 'utf8');
      const id = /\bid:\s*"?([0-9a-f-]{36})/.exec(original)?.[1];
      if (id) expect(pdf?.id).toBe(id);
      expect(report.every((r) => r.status !== 'error' || r.reason)).toBe(true);
    } finally {
      await rm(src, { recursive: true, force: true });
    }
  });
});
