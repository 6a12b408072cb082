import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, test } from 'vitest';
import { createPostgresBackends } from '../../src/engine/store/postgres/index.js';
import { AutoSkill, skillInputFrom } from '../../src/engine/autoskill.js';
import { reportBrain } from '../helpers/report-brain.js';
import { createTestDatabase } from '../helpers/pg.js';
import { scriptedModel, type ScriptedCall } from '../helpers/scripted-llm.js';

/**
 * No model call runs under a lock (issue #14): while the merge model of a learning job hangs,
 * another write for the same user goes through, on the filesystem store and on PostgreSQL (where
 * a held lock would be a pooled connection in an open transaction). When the model answers, the
 * job finds the user's skills changed under its plan, plans again on the new state and writes:
 * one skill, every version recorded, the manual edit not lost.
 */

interface Backend {
  sdk: AutoSkill;
  /** PostgreSQL only: advisory locks held and sessions idle in a transaction, in this database */
  heldLocks?: () => Promise<{ advisory: number; idleInTx: number }>;
  close: () => Promise<void>;
}

const USER = 'hung';
const firstTurn = [{ role: 'user', content: 'Write a report on grain prices. From now on, cite sources for every claim.' }];
const secondTurn = [{ role: 'user', content: 'Write a report on port traffic. Use plain text, no markdown, in my reports.' }];

/** The report-writing model, except that one armed merge call hangs until released. */
function hangingModel() {
  let armed = false;
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let started!: (c: ScriptedCall) => void;
  const hung = new Promise<ScriptedCall>((r) => (started = r));
  const model = scriptedModel(async (call) => {
    if (call.mode === 'merge' && armed) {
      armed = false;
      started(call);
      await released;
    }
    return reportBrain(call);
  });
  return { model, hung, release, arm: () => (armed = true) };
}

type Open = (llm: ReturnType<typeof hangingModel>['model']['llm']) => Promise<Backend>;

const backends: Array<[string, Open]> = [
  [
    'filesystem store',
    async (llm) => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'autoskill-hung-'));
      const sdk = await AutoSkill.open({ storeDir: dir, llm });
      return { sdk, close: async () => (await sdk.close(), await rm(dir, { recursive: true, force: true })) };
    },
  ],
  [
    'PostgreSQL store',
    async (llm) => {
      const tdb = await createTestDatabase('hung_model');
      const be = createPostgresBackends(tdb.url, { applicationName: 'hung-model', poolSize: 4, store: { lockPoolSize: 2 } });
      const sdk = await AutoSkill.open({ store: be.store, vectorStore: be.vectorStore, journal: be.journal, usage: be.usage, llm });
      const heldLocks = async () => {
        const c = new pg.Client({ connectionString: tdb.url });
        await c.connect();
        try {
          const locks = await c.query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`);
          const idle = await c.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`);
          return { advisory: locks.rows[0].n as number, idleInTx: idle.rows[0].n as number };
        } finally {
          await c.end();
        }
      };
      return { sdk, heldLocks, close: async () => (await sdk.close(), await be.close(), await tdb.drop()) };
    },
  ],
];

let current: Backend | undefined;
let releaseModel: (() => void) | undefined;
afterEach(async () => {
  releaseModel?.(); // a failed assertion must not leave the job (and close) waiting forever
  await current?.close();
  current = undefined;
});

describe.each(backends)('a hung merge model holds no lock (%s)', (_name, open) => {
  test('another write for the same user proceeds; the job re-plans on the new state', async () => {
    const m = hangingModel();
    releaseModel = m.release;
    const be = (current = await open(m.model.llm));
    const { sdk } = be;

    const first = await sdk.extractNow(USER, firstTurn, { wait: true });
    expect(first.state).toBe('completed');
    const [seeded] = sdk.list({ userId: USER, scope: 'user' });
    expect(seeded?.version).toBe('0.1.0');

    m.arm();
    const job = await sdk.extractNow(USER, secondTurn);
    const hungCall = await m.hung;
    expect((hungCall.payload?.existing as { prompt: string }).prompt).toMatch(/cite a source/i);

    // The model is hung inside the job. A write for the same user (same lock key) must finish;
    // before issue #14 it waited for the model. The timer only bounds the failure.
    let edited = false;
    const edit = sdk
      .upsert(
        { ...skillInputFrom(seeded!), id: seeded!.id, instructions: `${seeded!.instructions}\n- Rule number 7 must always be followed.` },
        { owner: `user:${USER}` },
      )
      .then((s) => ((edited = true), s));
    const bound = new Promise<'still waiting'>((r) => setTimeout(() => r('still waiting'), 15_000).unref());
    const winner = await Promise.race([edit, bound]);
    expect(winner, 'a write for the same user waited for the hung model').not.toBe('still waiting');
    expect(edited).toBe(true);
    expect(await edit).toMatchObject({ id: seeded!.id, version: '0.1.1' });
    if (be.heldLocks) expect(await be.heldLocks()).toEqual({ advisory: 0, idleInTx: 0 });
    expect((await sdk.jobs.get(undefined, job.id))?.state).toBe('running');

    m.release();
    const done = await sdk.jobs.wait(undefined, job.id);
    expect(done.state).toBe('completed');

    // Planned again on v0.1.1: the second merge call saw the manual rule, and kept it.
    const merges = m.model.calls.filter((c) => c.mode === 'merge');
    expect(merges).toHaveLength(2);
    expect((merges[1]!.payload?.existing as { prompt: string }).prompt).toMatch(/rule number 7/i);
    const skills = sdk.list({ userId: USER, scope: 'user' });
    expect(skills).toHaveLength(1);
    const final = skills[0]!;
    expect(final.id).toBe(seeded!.id);
    expect((await sdk.versions(final.id)).map((v) => v.version)).toEqual(['0.1.0', '0.1.1', '0.1.2']);
    expect(final.instructions).toMatch(/cite a source/i);
    expect(final.instructions).toMatch(/rule number 7/i);
    expect(final.instructions).toMatch(/plain text/i);
    expect(final.source).toMatchObject({ kind: 'merge', ref: job.id });
  });
});
