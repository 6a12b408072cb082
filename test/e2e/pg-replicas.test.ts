import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { createPostgresBackends, type PostgresBackends } from '../../src/engine/store/postgres/index.js';
import { AutoSkill } from '../../src/engine/autoskill.js';
import { REPORT_EXTRACTION, startFakeUpstream } from '../helpers/fake-upstream.js';
import { createTestDatabase, eventually, type TestDatabase } from '../helpers/pg.js';

/**
 * Two replicas sharing one PostgreSQL database: first as two SDK instances in this process
 * (each with its own pools and LISTEN connection), then as two real `autoskill serve` processes
 * selected with `--store postgres://…`.
 */

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase('pgreplicas');
});
afterAll(async () => {
  await tdb.drop();
});

const conv = (...turns: string[]) => turns.map((content, i) => ({ role: i % 2 === 0 ? ('user' as const) : ('assistant' as const), content }));

describe('two SDK replicas', () => {
  const backends: PostgresBackends[] = [];
  const sdks: AutoSkill[] = [];
  /** each replica's own store (the test holds it; the SDK keeps its store private) */
  const storeOf = new Map<AutoSkill, PostgresBackends['store']>();
  afterAll(async () => {
    for (const s of sdks) await s.close().catch(() => undefined);
    for (const b of backends) await b.close().catch(() => undefined);
  });

  async function replica(name: string): Promise<AutoSkill> {
    const pg = createPostgresBackends(tdb.url, { applicationName: name, poolSize: 4 });
    backends.push(pg);
    const sdk = await AutoSkill.open({ store: pg.store, vectorStore: pg.vectorStore, journal: pg.journal });
    sdks.push(sdk);
    storeOf.set(sdk, pg.store);
    return sdk;
  }

  test('a skill learned on A is searchable on B; concurrent edits on both keep every version', async () => {
    const a = await replica('sdk-a');
    // Learning on A goes through the PostgreSQL job journal and writes through A's store. (B
    // opens afterwards: its runner could otherwise claim the job, and `wait` on A only hears
    // about jobs A's own runner finishes.)
    const job = await a.extractNow('u1', conv('Write a report about our Q3 numbers.', 'Here is the report...', "Don't hallucinate, cite sources."), { wait: true });
    expect(job.state).toBe('completed');
    const learned = a.list({ userId: 'u1', scope: 'user' });
    expect(learned).toHaveLength(1);
    const id = learned[0]!.id;
    const b = await replica('sdk-b');
    expect(b.get(id)).toEqual(a.get(id));

    // A skill written on A while B runs: B's store hears about it through NOTIFY and B's index
    // follows (store onChange → index), so B's search finds it.
    const fresh = await a.upsert(
      { name: 'Weekly status email', description: 'Write the weekly status email as three short bullet points.', instructions: '# Goal\nWeekly status email.\n\n# Constraints & Style\n- Three bullets.', triggers: ['weekly status email'], tags: ['email'] },
      { owner: 'user:u1' },
    );
    await eventually(() => b.get(fresh.id) !== undefined, 5000, 'B to see the new skill');
    await b.settled();
    const hits = await b.search('write my weekly status email', { userId: 'u1', scope: 'user', minScore: 0 });
    expect(hits[0]?.skill.id).toBe(fresh.id);
    // Another user on B does not see it.
    expect(await b.search('write my weekly status email', { userId: 'u2', scope: 'user', minScore: 0 })).toEqual([]);

    // Read-modify-write edits from both replicas at once. The read happens under the user's
    // lock (re-entrant, so upsert takes it again): the lock's catch-up makes the read current,
    // so no edit and no version is lost.
    const rounds = 6;
    const edit = (sdk: AutoSkill, tag: string, i: number) =>
      storeOf.get(sdk)!.withOwnerLock('user:u1', async () => {
        const cur = sdk.get(id)!;
        await sdk.upsert({ id, name: cur.name, description: cur.description, instructions: `${cur.instructions}\n- ${tag} ${i}` }, { owner: 'user:u1' });
      });
    await Promise.all([a, b].map(async (sdk, k) => {
      for (let i = 0; i < rounds; i++) await edit(sdk, k ? 'B' : 'A', i);
    }));
    const versions = (await a.versions(id)).map((v) => v.version);
    expect(versions).toHaveLength(1 + 2 * rounds);
    expect(new Set(versions).size).toBe(versions.length);
    await eventually(() => a.get(id)?.version === b.get(id)?.version, 5000, 'the replicas to converge');
    const finalText = a.get(id)!.instructions;
    for (let i = 0; i < rounds; i++) {
      expect(finalText).toContain(`- A ${i}`);
      expect(finalText).toContain(`- B ${i}`);
    }

    // Rollback on B restores A's first version as a new version, visible on A.
    const restored = await b.rollback(id, versions[0]);
    await eventually(() => a.get(id)?.version === restored.version, 5000, 'A to see the rollback');
    expect(a.get(id)?.instructions).toBe(learned[0]!.instructions);
  });
});

describe('two `autoskill serve` processes on one database', () => {
  const repo = path.resolve(import.meta.dirname, '../..');
  const procs: ChildProcess[] = [];
  let cwd: string;
  beforeAll(async () => {
    cwd = await mkdtemp(path.join(os.tmpdir(), 'autoskill-pgreplicas-'));
  });
  // Each test's replicas stop when it ends: a leftover replica (offline extractor) would
  // otherwise claim the next test's jobs from the shared journal.
  afterEach(async () => {
    // A process killed by a signal has exitCode null and signalCode set: it has exited too.
    const running = procs.filter((p) => p.exitCode === null && p.signalCode === null);
    for (const p of running) p.kill('SIGTERM');
    await Promise.all(running.map((p) => new Promise((r) => p.once('exit', r))));
  });
  afterAll(async () => {
    await rm(cwd, { recursive: true, force: true });
  });

  /** Start `autoskill serve --port 0 --store <url> [extra flags]`; resolves with its base URL and process. */
  function serveProc(name: string, extra: string[] = []): Promise<{ url: string; child: ChildProcess }> {
    const child = spawn(process.execPath, [path.join(repo, 'bin/autoskill.js'), 'serve', '--port', '0', '--store', tdb.url, ...extra], {
      cwd,
      env: { ...process.env, AUTOSKILL_LOG_LEVEL: 'warn', PGAPPNAME: name },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    procs.push(child);
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    return new Promise((resolve, reject) => {
      let stdout = '';
      child.stdout!.on('data', (d: Buffer) => {
        stdout += d.toString();
        const m = /autoskill listening on (\S+)/.exec(stdout);
        if (m) resolve({ url: m[1]!, child });
      });
      child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr.slice(-2000)}`)));
    });
  }
  const serve = async (name: string): Promise<string> => (await serveProc(name)).url;

  const call = async (base: string, method: string, p: string, body?: unknown, user = 'u9') => {
    const res = await fetch(base + p, {
      method,
      headers: { 'content-type': 'application/json', 'x-autoskill-user': user },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, json: (await res.json()) as Record<string, any> };
  };

  test('a skill imported through A is served by B; edits through both keep every version', async () => {
    const [a, b] = await Promise.all([serve('serve-a'), serve('serve-b')]);
    // `--store postgres://…` must select PostgreSQL, not create a folder named "postgres:".
    expect(existsSync(path.join(cwd, 'postgres:')), 'serve treated the postgres:// URL as a folder: wire --store postgres:// to createPostgresBackends').toBe(false);

    const skillMd = `---\nname: plain-text-answers\ndescription: Answer in plain text without markdown.\n---\n\n# Goal\nAnswer in plain text.\n`;
    const imported = await call(a, 'POST', '/v1/autoskill/skills/import', { skill_md: skillMd });
    expect(imported.status).toBe(200);
    const id = imported.json.data[0].id as string;

    await eventually(async () => (await call(b, 'GET', `/v1/autoskill/skills/${encodeURIComponent(id)}`)).status === 200, 5000, 'B to serve the skill');
    await eventually(async () => {
      const r = await call(b, 'POST', '/v1/autoskill/skills/search', { query: 'plain text without markdown', scope: 'user', min_score: 0 });
      return (r.json.data as Array<{ id: string }>).some((h) => h.id === id);
    }, 5000, "B's index to include the skill");

    const rounds = 4;
    await Promise.all([a, b].map(async (base, k) => {
      for (let i = 0; i < rounds; i++) {
        const md = (await call(base, 'GET', `/v1/autoskill/skills/${encodeURIComponent(id)}/md`)).json.skill_md as string;
        const r = await call(base, 'PUT', `/v1/autoskill/skills/${encodeURIComponent(id)}/md`, { skill_md: `${md.trimEnd()}\n- edit ${k}-${i}\n` });
        expect(r.status).toBe(200);
      }
    }));
    const versions = (await call(a, 'GET', `/v1/autoskill/skills/${encodeURIComponent(id)}/versions`)).json;
    const list = (versions.data as Array<{ version: string }>).map((v) => v.version);
    expect(list).toHaveLength(1 + 2 * rounds);
    expect(new Set(list).size).toBe(list.length);
  });

  test('one replica is killed with SIGKILL mid-job, and the job still completes once', async () => {
    // The extraction model: the first extraction call never answers (the replica running it is
    // killed while waiting), later ones answer with a durable constraint skill.
    let extractionCalls = 0;
    const upstream = await startFakeUpstream({
      reply: (body) => {
        const schema = body?.response_format?.json_schema?.name;
        if (schema === 'skill_extraction') return ++extractionCalls === 1 ? { delayMs: 120_000 } : { content: REPORT_EXTRACTION };
        if (schema === 'skill_decision') return { content: JSON.stringify({ action: 'add', target_skill_id: null, reason: 'new capability' }) };
        return {};
      },
    });
    const isExtraction = (b: any) => b?.response_format?.json_schema?.name === 'skill_extraction';
    const user = 'crash-u1';
    const flags = ['--upstream-base-url', upstream.url, '--model', 'fake-model'];
    try {
      // A alone first, so the job is certainly A's: B could otherwise claim it.
      const a = await serveProc('serve-crash-a', flags);
      const scheduled = await call(a.url, 'POST', '/v1/autoskill/extractions', {
        messages: conv('Write a report about our Q3 numbers.', 'Here is the report...', 'Always cite a source for every claim in my reports, and never make things up.'),
      }, user);
      expect(scheduled.status).toBe(200);
      const jobId = scheduled.json.data.job_id as string;
      await eventually(() => upstream.chatBodies().some(isExtraction), 15_000, "A's extraction request to reach the model");

      // B joins while A holds the job, then A dies without releasing it.
      const b = (await serveProc('serve-crash-b', flags)).url;
      const mid = await call(b, 'GET', `/v1/autoskill/extractions/${jobId}`, undefined, user);
      expect(mid.json.data).toMatchObject({ status: 'running', attempts: 1 });
      const exited = new Promise((r) => a.child.once('exit', r));
      a.child.kill('SIGKILL');
      // Reaped: A's pid is gone, so B's next claim treats A's unexpired lease as abandoned
      // (same host; a replica on another host would wait for the lease to run out).
      await exited;

      let job: Record<string, any> = {};
      await eventually(async () => {
        job = (await call(b, 'GET', `/v1/autoskill/extractions/${jobId}`, undefined, user)).json.data;
        return job.status === 'completed' || job.status === 'failed';
      }, 30_000, 'B to take over and finish the job');
      expect(job).toMatchObject({
        status: 'completed',
        error: '',
        result: { status: 'upserted', extractor: 'llm:openai:fake-model', skills: [{ action: 'created', version: '0.1.0' }] },
      });
      expect(job.attempts).toBeGreaterThanOrEqual(2);
      // A's call (never answered) and B's: the job ran once more, on B, and nowhere else.
      expect(upstream.chatBodies().filter(isExtraction)).toHaveLength(2);

      const skills = await call(b, 'GET', '/v1/autoskill/skills', undefined, user);
      expect(skills.json.total).toBe(1);
      expect(skills.json.data[0]).toMatchObject({ id: job.result.skills[0].id, slug: 'report-writing-with-citations', version: '0.1.0', owner: `user:${user}` });
      const versions = await call(b, 'GET', `/v1/autoskill/skills/${encodeURIComponent(job.result.skills[0].id)}/versions`, undefined, user);
      expect((versions.json.data as Array<{ version: string }>).map((v) => v.version)).toEqual(['0.1.0']);
    } finally {
      await upstream.close();
    }
  });
});
