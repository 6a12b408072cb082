/**
 * Proxy benchmark: what `autoskill serve` adds on top of an OpenAI-compatible upstream, measured
 * side by side with direct calls to that upstream in the same run.
 *
 *   npm run bench:proxy [-- --bank <dir>] [--store <dir>] [--workers 1,2] [--requests N]
 *                          [--seconds S] [--connections C] [--restarts R]
 *                          [--targets relay,off,on] [--cpu-prof DIR]
 *                          [--serve-node-options="FLAGS"]
 *
 * Processes: a fake upstream (bench/proxy-upstream.ts, answers at once), the real bin
 * (`bin/autoskill.js serve --workers N`, needs dist/: built here when older than src/) on an empty
 * store and on the imported bank, and this process as the load generator (node:http, keep-alive,
 * closed loop). All share this machine's cores. Every request is a new turn (a counter in the
 * system message), so the proxy's turn cache never answers; queries rotate over bank triggers, so
 * the search runs on every request. "learning off" sends `autoskill: {learn: false}`.
 *
 * Also measured: the search alone (in process, the same queries: the floor the proxy is held to),
 * and restart after SIGKILL (kill -9 the serving primary, start it again on the same store, time
 * to the first answered chat request), and streamed answers under load (CPU per whole stream).
 * Prints a table; never asserts on time.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { AutoSkill } from '../src/engine/autoskill.js';
import { readBankQueries } from './queries.js';
import { distIsCurrent } from '../test/global-setup.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    bank: { type: 'string' },
    store: { type: 'string' },
    workers: { type: 'string', default: '1,2' },
    requests: { type: 'string', default: '400' },
    seconds: { type: 'string', default: '8' },
    connections: { type: 'string', default: '32' },
    restarts: { type: 'string', default: '3' },
    'cpu-prof': { type: 'string' },
    'serve-node-options': { type: 'string' },
    targets: { type: 'string', default: 'relay,off,on' },
  },
});
const bank = path.resolve(values.bank ?? process.env.AUTOSKILL_BANK ?? '../shared/data/skillbank');
const N = Number(values.requests);
const SECONDS = Number(values.seconds);
const C = Number(values.connections);
const RESTARTS = Number(values.restarts);
const WORKERS = values.workers.split(',').map(Number);
// --cpu-prof DIR: every serve process (primary and workers) writes a V8 CPU profile into DIR when it
// exits; summarise with `npx tsx bench/cpu-profile.ts DIR`. The profiles cover the whole life of
// each process (module load, store open, warm-up); DIR/windows.json names the measured phases
// (process id, start and end on the monotonic clock V8 stamps its samples with), so that
// `bench/cpu-profile.ts DIR --window 'c=32'` reads the serving phase alone.
const CPU_PROF = values['cpu-prof'] ? path.resolve(values['cpu-prof']) : undefined;
// --serve-node-options "...": node flags for the serve processes only (e.g. heap settings to compare;
// a semi-space flag there turns off serve's own heap tuning, src/cli/heap.ts).
const SERVE_NODE_OPTIONS = [process.env.NODE_OPTIONS, values['serve-node-options'], CPU_PROF && `--cpu-prof --cpu-prof-dir=${CPU_PROF}`].filter(Boolean).join(' ');
// --targets: which proxy setups to measure (relay = empty store, off/on = bank with learning off/on).
const TARGETS = new Set(values.targets.split(','));

/** The measured phases, for --cpu-prof (see above). */
interface Window {
  name: string;
  pid: number;
  /** microseconds on CLOCK_MONOTONIC, the clock of V8's profile timestamps (and of process.hrtime) */
  start: number;
  end: number;
}
const windows: Window[] = [];
const monoUs = () => Number(process.hrtime.bigint() / 1000n);
async function timed<T>(name: string, t: { pid?: number }, phase: () => Promise<T>): Promise<T> {
  const start = monoUs();
  try {
    return await phase();
  } finally {
    if (t.pid) windows.push({ name, pid: t.pid, start, end: monoUs() });
  }
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const median = (xs: number[]) => pct([...xs].sort((a, b) => a - b), 50);
const ms = (x: number) => `${x.toFixed(2)} ms`;
const plus = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(2)} ms`;

// ------------------------------------------------------------------ HTTP client (load generator)

interface Answer {
  status: number;
  /** the body's first 200 characters when the status is not 200 (for the errors column) */
  error?: string;
  /** request start → first body byte */
  first: number;
  /** request start → end of body */
  total: number;
  headers: http.IncomingHttpHeaders;
}

function post(agent: http.Agent, base: URL, body: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    let first = 0;
    const req = http.request(
      { host: base.hostname, port: base.port, path: `${base.pathname}/chat/completions`, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } },
      (res) => {
        let error = '';
        res.on('data', (d: Buffer) => {
          first ||= performance.now() - start;
          if (res.statusCode !== 200 && error.length < 200) error += d.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, first, total: performance.now() - start, headers: res.headers, ...(error ? { error: error.slice(0, 200) } : {}) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

interface Target {
  name: string;
  /** the process serving it, for CPU per request */
  pid?: number;
  /** base URL including /v1 */
  url: URL;
  headers: Record<string, string>;
  learn?: boolean;
}

let turnSeq = 0;
let queries: string[] = [];
/** A new turn per request (see the header comment); `learn: false` turns learning off. */
function chatBody(t: Target, stream = false): string {
  const q = queries[turnSeq % queries.length]!;
  return JSON.stringify({
    model: 'fake-model',
    stream,
    messages: [{ role: 'system', content: `You are helpful. (#${++turnSeq})` }, { role: 'user', content: q }],
    ...(t.learn === false ? { autoskill: { learn: false } } : {}),
  });
}

async function sequential(t: Target, count: number, stream = false): Promise<{ total: number[]; first: number[] }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const total: number[] = [];
  const first: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const a = await post(agent, t.url, chatBody(t, stream), t.headers);
      if (a.status !== 200) throw new Error(`${t.name}: HTTP ${a.status}`);
      total.push(a.total);
      first.push(a.first);
    }
  } finally {
    agent.destroy();
  }
  return { total: total.sort((a, b) => a - b), first: first.sort((a, b) => a - b) };
}

/** Closed loop: `C` connections, each sending its next request when the last one answered. */
async function load(t: Target, seconds: number, stream = false): Promise<{ rps: number; p50: number; p99: number; errors: number; firstError?: string; cpuMs: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: C });
  const cpu0 = t.pid ? cpuSeconds(t.pid) : 0;
  const times: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: C }, async () => {
      while (performance.now() < until) {
        try {
          const a = await post(agent, t.url, chatBody(t, stream), t.headers);
          if (a.status === 200) times.push(a.total);
          else {
            errors++;
            firstError ??= `HTTP ${a.status} ${a.error ?? ''}`.trim();
          }
        } catch (err) {
          errors++;
          firstError ??= String(err);
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  times.sort((a, b) => a - b);
  const cpuMs = t.pid ? ((cpuSeconds(t.pid) - cpu0) * 1000) / Math.max(1, times.length) : NaN;
  return { rps: times.length / elapsed, p50: pct(times, 50), p99: pct(times, 99), errors, ...(firstError ? { firstError } : {}), cpuMs };
}

// ------------------------------------------------------------------ processes

/** Child pids (pgrep exits 1 when there are none). */
function childrenOf(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * CPU seconds (user + system) used so far by `pid` and its children (the serve primary and its
 * workers), from /proc. CPU per request is what the proxy costs whatever else runs on the machine;
 * wall-clock latency on a shared machine also measures the neighbours.
 */
function cpuSeconds(pid: number): number {
  const tick = 100; // USER_HZ on Linux
  let total = 0;
  const pids = [pid, ...childrenOf(pid)];
  for (const p of pids) {
    try {
      const fields = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]!.split(' ');
      total += (Number(fields[11]) + Number(fields[12])) / tick;
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

/**
 * The largest resident memory of `pid` and its children, in MB: the peak since start (VmHWM,
 * which includes opening the store) or now (VmRSS, read right after a load phase: serving memory).
 */
function peakRssMb(pid: number, field: 'VmHWM' | 'VmRSS' = 'VmHWM'): number {
  let kb = 0;
  const re = new RegExp(`${field}:\\s+(\\d+)`);
  for (const p of [pid, ...childrenOf(pid)]) {
    try {
      kb = Math.max(kb, Number(re.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0));
    } catch {
      // gone meanwhile
    }
  }
  return kb / 1024;
}

async function ensureBuilt(): Promise<void> {
  if (distIsCurrent(ROOT)) return;
  process.stderr.write('bench: dist/ is older than src/, building (tsc)...\n');
  // tsc emits even with type errors elsewhere; the bench needs the emitted files only.
  await new Promise((r) => spawn(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'ignore' }).once('exit', r));
}

/** Spawn and wait for a line matching `ready`; resolves with the match. */
function started(child: ChildProcess, ready: RegExp, what: string): Promise<RegExpExecArray> {
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = ready.exec(out);
      if (m) resolve(m);
    });
    child.once('exit', (code) => reject(new Error(`${what} exited (${code}): ${err}`)));
  });
}

async function startUpstream(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/proxy-upstream.ts')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const m = await started(child, /(http:\/\/\S+)\n/, 'fake upstream');
  return { child, url: m[1]! };
}

interface Served {
  child: ChildProcess;
  url: URL;
}

async function serve(store: string, upstream: string, workers: number): Promise<Served> {
  const child = spawn(
    process.execPath,
    // (--workers only when > 1, so the bench also runs against a build from before the flag.)
    [path.join(ROOT, 'bin/autoskill.js'), 'serve', '--port', '0', '--store', store, '--upstream-base-url', upstream, '--model', 'fake-model', ...(workers > 1 ? ['--workers', String(workers)] : [])],
    // Warnings only: one log line per request would measure the terminal.
    {
      cwd: ROOT,
      env: { ...process.env, AUTOSKILL_LOG_LEVEL: 'warn', ...(SERVE_NODE_OPTIONS ? { NODE_OPTIONS: SERVE_NODE_OPTIONS } : {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const m = await started(child, /autoskill listening on (http:\/\/\S+)/, 'autoskill serve');
  return { child, url: new URL(`${m[1]}/v1`) };
}

async function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
}

/**
 * kill -9 the serving primary, start serve again on the same store: time from the new spawn (the
 * kill is done by then) to the first answered chat request. The store's locks of the dead
 * process (its pid gone on this host) must not hold the new one up.
 */
async function restartAfterKill(s: Served, store: string, upstream: string, workers: number, user: string): Promise<{ ms: number; next: Served }> {
  // Load in flight while it dies: a learning turn holds journal and store locks now and then.
  const t: Target = { name: 'restart', url: s.url, headers: { 'x-autoskill-user': user } };
  const inflight = load(t, 0.3).catch(() => undefined);
  await new Promise((r) => setTimeout(r, 150));
  await stop(s.child, 'SIGKILL');
  await inflight;
  const begin = performance.now();
  const next = await serve(store, upstream, workers);
  const agent = new http.Agent({ keepAlive: false });
  const a = await post(agent, next.url, chatBody({ ...t, url: next.url }), t.headers);
  if (a.status !== 200) throw new Error(`restart: HTTP ${a.status}`);
  return { ms: performance.now() - begin, next };
}

/**
 * --workers N > 1: SIGKILL one worker under load (c=4, 3 s). The primary starts a replacement;
 * meanwhile the other workers serve. Counts answers and failures (requests in flight on the
 * killed worker fail with it).
 */
async function killOneWorker(s: Served, user: string): Promise<{ answered: number; failed: number; replaced: boolean }> {
  const kids = () => childrenOf(s.child.pid!);
  const before = kids();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  const t: Target = { name: 'kill one worker', url: s.url, headers: { 'x-autoskill-user': user }, learn: false };
  let answered = 0;
  let failed = 0;
  const until = performance.now() + 3000;
  const killer = setTimeout(() => process.kill(before[0]!, 'SIGKILL'), 500);
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (performance.now() < until) {
        try {
          if ((await post(agent, t.url, chatBody(t), t.headers)).status === 200) answered++;
          else failed++;
        } catch {
          failed++;
        }
      }
    }),
  );
  clearTimeout(killer);
  agent.destroy();
  const after = kids();
  return { answered, failed, replaced: after.length === before.length && !after.includes(before[0]!) };
}

// ------------------------------------------------------------------ run

const dir = values.store ? path.resolve(values.store) : await mkdtemp(path.join(os.tmpdir(), 'autoskill-bench-proxy-'));
const emptyDir = await mkdtemp(path.join(os.tmpdir(), 'autoskill-bench-empty-'));
const rows: string[][] = [];
const user = `bench-${Date.now().toString(36)}`;
const children: ChildProcess[] = [];
let searchCpuMs = NaN;
try {
  const t0 = performance.now();
  const sdk = await AutoSkill.open({ storeDir: dir });
  let skills = sdk.list({ scope: 'all', admin: true }).length;
  let setup: string;
  if (skills > 0) {
    setup = `${skills} skills in the store (opened in ${((performance.now() - t0) / 1000).toFixed(1)} s)`;
  } else {
    const report = await sdk.importSkills(bank, { scope: 'common', library: 'bank' });
    await sdk.settled();
    skills = report.filter((r) => r.status === 'imported').length;
    setup = `${skills} skills imported in ${((performance.now() - t0) / 1000).toFixed(1)} s`;
  }
  queries = (await readBankQueries(bank, 500)).slice(0, 200);
  if (queries.length === 0) throw new Error(`no trigger phrases found under ${bank} (--bank)`);

  // The floor: the search alone, in process, over the same queries (after a warm-up pass).
  const searchOnce = (q: string) => sdk.search(q, { userId: user, scope: 'all', limit: 3, minScore: 0.5, ownFirst: true });
  for (const q of queries) await searchOnce(q);
  const searchTimes: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < N; i++) {
    const s = performance.now();
    await searchOnce(queries[i % queries.length]!);
    searchTimes.push(performance.now() - s);
  }
  const cpu = process.cpuUsage(cpu0);
  searchCpuMs = (cpu.user + cpu.system) / 1000 / N;
  searchTimes.sort((a, b) => a - b);
  await sdk.close();

  await ensureBuilt();
  const up = await startUpstream();
  children.push(up.child);
  const direct: Target = { name: 'direct to upstream', url: new URL(up.url), headers: {}, pid: up.child.pid! };
  rows.push([`search alone (in process, ${N} bank queries)`, `p50 ${ms(pct(searchTimes, 50))}  p99 ${ms(pct(searchTimes, 99))}  mean ${ms(searchTimes.reduce((a, b) => a + b, 0) / N)}  CPU ${ms(searchCpuMs)}/query`]);

  for (const workers of WORKERS) {
    const relay = await serve(emptyDir, up.url, workers);
    let banked = await serve(dir, up.url, workers);
    children.push(relay.child, banked.child);
    const headers = { 'x-autoskill-user': user };
    const relayT: Target = { name: 'proxy, empty store (relay only)', url: relay.url, headers, learn: false, pid: relay.child.pid! };
    const offT: Target = { name: `proxy, ${skills} skills, learning off`, url: banked.url, headers, learn: false, pid: banked.child.pid! };
    const onT: Target = { name: `proxy, ${skills} skills, learning on (default)`, url: banked.url, headers, pid: banked.child.pid! };
    const targets = [direct, ...(TARGETS.has('relay') ? [relayT] : []), ...(TARGETS.has('off') ? [offT] : []), ...(TARGETS.has('on') ? [onT] : [])];
    // Warm-up: JIT, keep-alive connections, the index's lazily built parts, every worker.
    for (const t of targets) await load(t, 1);

    rows.push([`--workers ${workers}`, '']);
    const d = await sequential(direct, N);
    rows.push([`  non-stream latency, c=1 (${N} sequential)`, '']);
    rows.push([`    ${direct.name}`, `p50 ${ms(pct(d.total, 50))}  p99 ${ms(pct(d.total, 99))}`]);
    for (const t of targets.slice(1)) {
      const p = await timed(`w${workers} c=1 ${t.name}`, t, () => sequential(t, N));
      rows.push([`    ${t.name}`, `p50 ${ms(pct(p.total, 50))} (${plus(pct(p.total, 50) - pct(d.total, 50))})  p99 ${ms(pct(p.total, 99))}`]);
    }
    const sN = Math.min(N, 200);
    const ds = await sequential(direct, sN, true);
    rows.push([`  stream, first body byte, c=1 (${sN} sequential)`, '']);
    rows.push([`    ${direct.name}`, `p50 ${ms(pct(ds.first, 50))}  p99 ${ms(pct(ds.first, 99))}`]);
    for (const t of targets.slice(1).filter((x) => x !== onT)) {
      const p = await timed(`w${workers} stream c=1 ${t.name}`, t, () => sequential(t, sN, true));
      rows.push([`    ${t.name}`, `p50 ${ms(pct(p.first, 50))} (${plus(pct(p.first, 50) - pct(ds.first, 50))})  p99 ${ms(pct(p.first, 99))}`]);
    }
    rows.push([`  throughput, c=${C}, ${SECONDS} s (closed loop)`, '']);
    const dl = await load(direct, SECONDS);
    rows.push([`    ${direct.name}`, `${Math.round(dl.rps)} req/s  p50 ${ms(dl.p50)}  p99 ${ms(dl.p99)}  upstream CPU ${ms(dl.cpuMs)}/req`]);
    for (const t of targets.slice(1)) {
      const r = await timed(`w${workers} c=${C} ${t.name}`, t, () => load(t, SECONDS));
      const share = `${Math.round((100 * r.rps) / dl.rps)}% of direct`;
      // Beyond the search: the proxy's CPU per request minus the in-process search's (bank rows).
      const beyond = t === relayT ? '' : `, ${ms(r.cpuMs - searchCpuMs)} beyond the search`;
      rows.push([`    ${t.name}`, `${Math.round(r.rps)} req/s (${share})  p50 ${ms(r.p50)} (${plus(r.p50 - dl.p50)})  p99 ${ms(r.p99)}  proxy CPU ${ms(r.cpuMs)}/req${beyond}  RSS ${peakRssMb(t.pid!, 'VmRSS').toFixed(0)} MB/process (peak ${peakRssMb(t.pid!).toFixed(0)}, with the open)${r.errors ? `  ${r.errors} errors (first: ${r.firstError})` : ''}`]);
    }
    // Streams under load (learning off): CPU per streamed request, whole answers relayed chunk by chunk.
    rows.push([`  stream throughput, c=${C}, ${SECONDS} s (closed loop, whole streams)`, '']);
    const dsl = await load(direct, SECONDS, true);
    rows.push([`    ${direct.name}`, `${Math.round(dsl.rps)} req/s  p50 ${ms(dsl.p50)}  upstream CPU ${ms(dsl.cpuMs)}/req`]);
    for (const t of targets.slice(1).filter((x) => x !== onT)) {
      const r = await timed(`w${workers} stream c=${C} ${t.name}`, t, () => load(t, SECONDS, true));
      rows.push([`    ${t.name}`, `${Math.round(r.rps)} req/s (${Math.round((100 * r.rps) / dsl.rps)}% of direct)  p50 ${ms(r.p50)}  proxy CPU ${ms(r.cpuMs)}/req${r.errors ? `  ${r.errors} errors (first: ${r.firstError})` : ''}`]);
    }
    await stop(relay.child);
    const restarts: number[] = [];
    for (let i = 0; i < RESTARTS; i++) {
      const r = await restartAfterKill(banked, dir, up.url, workers, user);
      restarts.push(r.ms);
      banked = r.next;
      children.push(banked.child);
    }
    rows.push([`  restart after SIGKILL (${skills} skills; spawn → first answer)`, `median ${ms(median(restarts))}  (${restarts.map((x) => x.toFixed(0)).join(', ')} ms)`]);
    if (workers > 1) {
      const k = await killOneWorker(banked, user);
      rows.push([`  one worker SIGKILLed under load (c=4, 3 s)`, `${k.answered} answered, ${k.failed} failed (in flight on it); ${k.replaced ? 'replaced by the primary' : 'NOT replaced'}`]);
    }
    await stop(banked.child);
  }
  rows.push(['setup', setup]);
} finally {
  for (const c of children) await stop(c).catch(() => undefined);
  if (CPU_PROF) await writeFile(path.join(CPU_PROF, 'windows.json'), JSON.stringify(windows, null, 1)).catch(() => undefined);
  await rm(emptyDir, { recursive: true, force: true });
  if (!values.store) await rm(dir, { recursive: true, force: true });
}

const width = Math.max(...rows.map((r) => r[0]!.length));
console.log(`\nautoskill proxy benchmark (Node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)}; fake upstream, proxy workers and load generator share the cores)\n`);
for (const [k, v] of rows) console.log(v ? `${k!.padEnd(width)}  ${v}` : k);
