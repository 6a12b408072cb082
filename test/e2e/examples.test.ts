import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';

/**
 * The three framework examples run offline (no API key: mock / fake models and the rule-based
 * extractor) as child processes, exactly as `npm run example:*` runs them, and must show the
 * whole loop: a learned skill, then that skill injected into a later call.
 */
const root = path.resolve(import.meta.dirname, '../..');
const tsx = path.join(root, 'node_modules/tsx/dist/cli.mjs');
const run = promisify(execFile);

async function example(file: string): Promise<string> {
  const env = { ...process.env };
  delete env.OPENAI_API_KEY;
  const { stdout } = await run(process.execPath, [tsx, path.join('examples', file)], { cwd: root, env, timeout: 120_000 });
  return stdout;
}

describe('examples (offline)', () => {
  test('ai-sdk: streams, learns the rule, injects it for alice only', async () => {
    const out = await example('ai-sdk.ts');
    expect(out).toContain('model: offline mock');
    expect(out).toMatch(/assistant \(streamed\): Solar power in Europe grew 40% in 2024 \(source: IEA Renewables 2024\)\.\n/);
    expect(out).toMatch(/learning job: job_/);
    expect(out).toMatch(/job completed: "upserted"/);
    const learned = /learned: (.+) \(v0\.1\.0\) for user alice/.exec(out);
    expect(learned).not.toBeNull();
    expect(out).toContain(`injected into the next call: ${learned![1]} (v0.1.0`);
    expect(out).toContain('skills injected for bob: 0');
    // The scripted model follows its system prompt: alice's answer obeys the learned rule, bob's does not.
    expect(out).toContain('assistant (alice): Wind supplied 54% of Denmark’s electricity in 2024 (source: Energinet).');
    expect(out).toContain('assistant (bob): Renewables in Europe are booming 🌞🚀!');
  });

  test('langchain: the runnable learns and injects; the handler learns from an unchanged chain', async () => {
    const out = await example('langchain.ts');
    expect(out).toContain('model: offline fake');
    expect(out).toContain('assistant (streamed): Solar power in Europe grew 40% in 2024 (source: IEA Renewables 2024).\n');
    const lines = out.split('\n');
    const learnedAt = lines.findIndex((l) => /^learned: .+ \(v0\.1\.0\) for user alice$/.test(l));
    expect(learnedAt).toBeGreaterThan(-1);
    // No skills before the rule was learned; the next request carries them.
    expect(lines.slice(0, learnedAt).some((l) => l.startsWith('injected into this call'))).toBe(false);
    expect(lines.slice(learnedAt).some((l) => /^injected into this call: a skills message of \d+ chars$/.test(l))).toBe(true);
    expect(out).toMatch(/learned from an unchanged chain: .+ for user bob/);
  });

  test('langchain-agent: the agent middleware learns after the run and injects on every model call', async () => {
    const out = await example('langchain-agent.ts');
    expect(out).toContain('model: offline fake');
    const lines = out.split('\n');
    const learnedAt = lines.findIndex((l) => /^learned: .+ \(v0\.1\.0\) for user alice$/.test(l));
    expect(learnedAt).toBeGreaterThan(-1);
    const before = lines.slice(0, learnedAt).filter((l) => l.startsWith('model call:'));
    const after = lines.slice(learnedAt).filter((l) => l.startsWith('model call:'));
    expect(before).toEqual(['model call: system prompt unchanged', 'model call: system prompt unchanged', 'model call: system prompt unchanged']);
    expect(after).toHaveLength(2);
    for (const l of after) expect(l).toMatch(/^model call: system prompt \+ \d+ chars of skills$/);
    expect(out).toContain('agent: Wind supplied 54% of Denmark’s electricity in 2024 (source: Energinet).');
  });
});
