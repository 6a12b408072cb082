/**
 * Issue 16: opening a store that holds hostile SKILL.md files (40,000 front-matter keys, keys
 * under `metadata`, a deep flow map, invalid YAML) reports each file, by path, in a logged
 * warning, and carries on: the other skills load and are served. Driven through `autoskill
 * serve`'s own open path (AutoSkill.open with a logger) and the HTTP API. Load time is printed.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createAutoskillApp } from '../../src/adapters/express/index.js';
import { AutoSkill } from '../../src/engine/autoskill.js';
import type { Logger } from '../../src/engine/logger.js';
import { call } from '../helpers/express-harness.js';
import { tempDir } from '../fixtures/store-helpers.js';

const good = (id: string, title: string) =>
  `---\nname: ${id}\ndescription: ${title} for my team\nmetadata:\n  id: "${id}"\n---\n\n# ${title}\n\nKeep it short and cite sources.\n`;

const HOSTILE: Record<string, string> = {
  'many-keys': `---\nname: many-keys\ndescription: x\n${Array.from({ length: 40_000 }, (_, i) => `k${i}: v`).join('\n')}\n---\n\nBody.\n`,
  'metadata-keys': `---\nname: metadata-keys\ndescription: x\nmetadata:\n${Array.from({ length: 20_000 }, (_, i) => `  m${i}: v`).join('\n')}\n---\n\nBody.\n`,
  'flow-map': `---\nname: flow-map\ndescription: x\nmetadata: {${Array.from({ length: 20_000 }, (_, i) => `f${i}: v`).join(', ')}}\n---\n\nBody.\n`,
  'deep-flow': `---\nname: deep-flow\ndescription: x\nmetadata: ${'['.repeat(5000)}${']'.repeat(5000)}\n---\n\nBody.\n`,
  // Under the byte cap: refused by the key cap, before the parse.
  'keys-under-byte-cap': `---\nname: keys-under-byte-cap\ndescription: x\n${Array.from({ length: 3000 }, (_, i) => `k${i}: v`).join('\n')}\n---\n\nBody.\n`,
  'invalid-yaml': `---\nname: invalid-yaml\ndescription: "unterminated\nmetadata: [a, b\n---\n\nBody.\n`,
};

let dir: string;
let cleanup: () => Promise<void>;
const warnings: Array<{ message: string; meta?: Record<string, unknown> }> = [];
const logger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: (message, meta) => warnings.push({ message, ...(meta ? { meta } : {}) }),
  error: (message, meta) => warnings.push({ message, ...(meta ? { meta } : {}) }),
};

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  for (const [slug, text] of Object.entries({ 'weekly-report': good('weekly-report', 'Weekly report'), ...HOSTILE, 'email-tone': good('email-tone', 'Email tone') })) {
    await mkdir(path.join(dir, 'Users', 'ann', slug), { recursive: true });
    await writeFile(path.join(dir, 'Users', 'ann', slug, 'SKILL.md'), text);
  }
});
afterAll(async () => cleanup?.());

test('each hostile file is reported by path and the rest is served', async () => {
  const started = performance.now();
  const sdk = await AutoSkill.open({ storeDir: dir, logger, learning: { mode: 'never', start: false } });
  const ms = performance.now() - started;
  try {
    console.log(`opened a store with ${Object.keys(HOSTILE).length} hostile SKILL.md files in ${ms.toFixed(0)} ms; warnings:\n` + warnings.map((w) => `  ${w.message} ${JSON.stringify(w.meta)}`).join('\n'));
    for (const slug of Object.keys(HOSTILE)) {
      const file = path.join(dir, 'Users', 'ann', slug, 'SKILL.md');
      expect(warnings.some((w) => w.meta?.path === file), `a warning names ${file}`).toBe(true);
    }
    expect(sdk.list({ userId: 'ann' }).map((s) => s.slug).sort()).toEqual(['email-tone', 'weekly-report']);

    // And it serves: the API lists and searches the good skills.
    const app = createAutoskillApp({ sdk });
    const server = await new Promise<import('node:http').Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const base = `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}`;
      expect((await call(base, 'GET', '/health')).status).toBe(200);
      const listed = await call(base, 'GET', '/v1/autoskill/skills', { user: 'ann' });
      expect(listed.body.data.map((s: any) => s.slug).sort()).toEqual(['email-tone', 'weekly-report']);
    } finally {
      app.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  } finally {
    await sdk.close();
  }
}, 120_000);
