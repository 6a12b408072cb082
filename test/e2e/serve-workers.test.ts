import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { REPORT_EXTRACTION, startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream.js';
import { eventually } from '../helpers/pg.js';

/**
 * `autoskill serve --workers 2`: two real worker processes on one port and one filesystem store,
 * driven with the official openai client against a fake upstream on 127.0.0.1. A skill learned
 * from a turn that one worker served is injected by the other one (the store-change relay, see
 * src/cli/commands/serve-cluster.ts), the learning job runs exactly once, and after a SIGKILL of
 * the primary no worker is left behind and the store serves again at once.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/autoskill.js');

interface Served {
  child: ChildProcess;
  url: string;
  /** the JSON log lines so far */
  logs: () => Array<Record<string, any>>;
}


const schemaOf = (body: any): string | undefined => body?.response_format?.json_schema?.name;

let dir: string;
let up: FakeUpstream;
const running: ChildProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'autoskill-workers-'));
  up = await startFakeUpstream({
    reply: (body) => {
      if (schemaOf(body) === 'skill_extraction') return { content: REPORT_EXTRACTION };
      if (schemaOf(body) === 'skill_decision') return { content: JSON.stringify({ action: 'add', target_skill_id: null, reason: 'new capability' }) };
      return { content: 'Here is the answer.' };
    },
  });
});
afterEach(() => {
  for (const c of running.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});
afterAll(async () => {
  await up?.close();
  await rm(dir, { recursive: true, force: true });
});

function serve(store: string, args: string[]): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--store', store, '--upstream-base-url', up.url, '--model', 'fake-model', ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', HOME: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const logs = () =>
    err
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, any>);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${err}`)), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /autoskill listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!, logs });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited early (${code}): ${err}`));
    });
  });
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const client = (url: string, user: string) => new OpenAI({ baseURL: `${url}/v1`, apiKey: 'unused', maxRetries: 0, defaultHeaders: { 'x-autoskill-user': user } });

describe('autoskill serve --workers 2', () => {
  test('a skill learned through one worker is injected by the other; the job runs once; SIGTERM stops both', async () => {
    const s = await serve(path.join(dir, 'Skills'), ['--workers', '2']);
    const openai = client(s.url, 'u1');

    // The learning turn: a durable rule stated after a first answer.
    const { response } = await openai.chat.completions
      .create({
        model: 'fake-model',
        messages: [
          { role: 'user', content: 'Write a report about our Q3 numbers.' },
          { role: 'assistant', content: 'Here is the report...' },
          { role: 'user', content: 'Always cite a source for every claim in my reports, and never make things up.' },
        ],
      })
      .withResponse();
    const jobId = response.headers.get('x-autoskill-job');
    expect(jobId).toBeTruthy();
    let job: Record<string, any> = {};
    await eventually(async () => {
      // Either worker may answer; both know the id (the one that did not accept it waits for the write).
      const r = await fetch(`${s.url}/v1/autoskill/extractions/${jobId}`, { headers: { 'x-autoskill-user': 'u1' } });
      if (!r.ok) throw new Error(`GET extraction ${jobId}: ${r.status} ${await r.text()}`);
      job = ((await r.json()) as { data: Record<string, any> }).data;
      return job.status === 'completed' || job.status === 'failed';
    }, 30_000, 'the learning job to finish');
    expect(job).toMatchObject({ status: 'completed', result: { status: 'upserted', skills: [{ action: 'created' }] } });
    const learnedId = job.result.skills[0].id as string;

    // Which worker served the learning turn (request log: the job id it answered with).
    const chatLines = () => s.logs().filter((l) => l.msg === 'request' && l.path === '/v1/chat/completions');
    await eventually(() => chatLines().length === 1, 5_000, 'the request log line of the learning turn');
    const learnedOn = chatLines()[0]!.worker as number;
    expect(chatLines()[0]!.job).toBe(jobId);
    expect([0, 1]).toContain(learnedOn);

    // New turns until the other worker has served one; every answer, from either worker, carries
    // the learned skill (the other worker learns of it through the relay, so allow it to arrive).
    // (Requests go one at a time and each waits for its log line, so line k is request k.)
    const served = new Set<number>();
    let sent = 1;
    await eventually(async () => {
      const { response: r } = await openai.chat.completions
        .create({ model: 'fake-model', messages: [{ role: 'user', content: `Write a report on our Q4 sales (${sent}).` }] })
        .withResponse();
      sent++;
      await eventually(() => chatLines().length === sent, 5_000, 'the request log line');
      const injected = (r.headers.get('x-autoskill-skills') ?? '').split(',').map((x) => decodeURIComponent(x.split('@')[0]!));
      if (injected.includes(learnedId)) served.add(chatLines()[sent - 1]!.worker as number);
      return served.size === 2;
    }, 30_000, 'both workers to inject the learned skill');

    // One extraction call in all: the job ran in one place only.
    expect(up.chatBodies().filter((b) => schemaOf(b) === 'skill_extraction')).toHaveLength(1);

    const pids = [...new Set(s.logs().filter((l) => l.msg === 'serving').map((l) => l.pid as number))];
    expect(pids).toHaveLength(2);
    const exit = new Promise<number | null>((r) => s.child.once('exit', (code) => r(code)));
    s.child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(s.logs().filter((l) => l.msg === 'stopped' && l.worker !== undefined)).toHaveLength(2);
    for (const pid of pids) expect(alive(pid)).toBe(false);
  });

  test('SIGKILL of the primary: the workers exit, and serve starts again on the same store', async () => {
    const store = path.join(dir, 'Skills-kill');
    const s = await serve(store, ['--workers', '2']);
    const openai = client(s.url, 'u2');
    await openai.chat.completions.create({ model: 'fake-model', messages: [{ role: 'user', content: 'hello' }] });
    const pids = [...new Set(s.logs().filter((l) => l.msg === 'serving').map((l) => l.pid as number))];
    expect(pids).toHaveLength(2);
    s.child.kill('SIGKILL');
    await eventually(() => pids.every((pid) => !alive(pid)), 10_000, 'the orphaned workers to exit');

    const again = await serve(store, ['--workers', '2']);
    const answer = await client(again.url, 'u2').chat.completions.create({ model: 'fake-model', messages: [{ role: 'user', content: 'hello again' }] });
    expect(answer.choices[0]!.message.content).toBe('Here is the answer.');
  });

  test('--workers is checked once, before any worker starts', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--workers', 'many'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code).toBe(2);
    expect(err).toContain('--workers must be 1..256 or "auto"');
  });
});
