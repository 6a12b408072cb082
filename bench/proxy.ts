/**
 * Proxy benchmark: what the autoskill proxy adds on top of an OpenAI-compatible upstream.
 * A fake upstream (answers at once) and the proxy run locally; each measurement is taken
 * directly against the upstream and through the proxy, so the difference is our overhead
 * (retrieval over the imported skills, injection, relay, learning bookkeeping).
 *
 *   npm run bench:proxy [-- --bank <dir>] [--requests N] [--seconds S]
 *
 * Prints a table; never asserts on time. All processes share this machine's cores, so the
 * throughput numbers include the load generator's own CPU use.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import OpenAI from 'openai';
import { createAutoskillApp, type AutoskillApp } from '../src/adapters/express/index.js';
import { AutoSkill } from '../src/engine/autoskill.js';
import { startFakeUpstream } from '../test/helpers/fake-upstream.js';
import { readBankQueries } from './queries.js';

const { values } = parseArgs({
  options: {
    bank: { type: 'string' },
    store: { type: 'string' },
    requests: { type: 'string', default: '400' },
    seconds: { type: 'string', default: '8' },
    connections: { type: 'string', default: '32' },
  },
});
const bank = path.resolve(values.bank ?? process.env.AUTOSKILL_BANK ?? '../shared/data/skillbank');
const N = Number(values.requests);
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const ms = (x: number) => `${x.toFixed(2)} ms`;

interface Target {
  name: string;
  /** base URL including /v1 */
  url: string;
  headers: Record<string, string>;
}

/**
 * Every request is a new turn: the proxy serves repeats of one turn (same user and conversation,
 * e.g. the steps of a tool loop) from its per-turn cache, so a repeated body would measure the
 * cache, not retrieval. A counter in the system message makes each conversation unique without
 * changing the search query.
 */
let turnSeq = 0;
function chatBody(query: string, stream = false): string {
  return JSON.stringify({ model: 'fake-model', stream, messages: [{ role: 'system', content: `You are helpful. (#${++turnSeq})` }, { role: 'user', content: query }] });
}

async function latency(t: Target, queries: string[], count = N): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const s = performance.now();
    const res = await fetch(`${t.url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...t.headers }, body: chatBody(queries[i % queries.length]!) });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${t.name}: HTTP ${res.status}`);
    times.push(performance.now() - s);
  }
  return times.sort((a, b) => a - b);
}

async function ttfb(t: Target, queries: string[]): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < Math.min(N, 200); i++) {
    const s = performance.now();
    const res = await fetch(`${t.url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...t.headers }, body: chatBody(queries[i % queries.length]!, true) });
    const reader = res.body!.getReader();
    await reader.read();
    times.push(performance.now() - s);
    while (!(await reader.read()).done);
  }
  return times.sort((a, b) => a - b);
}

async function throughput(t: Target, queries: string[]): Promise<autocannon.Result> {
  return autocannon({
    url: `${t.url}/chat/completions`,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...t.headers },
    // Rotating queries, each request a new turn (see chatBody).
    requests: [{ method: 'POST', setupRequest: (req: Record<string, unknown>) => ({ ...req, body: chatBody(queries[turnSeq % 200]!) }) }],
    connections: CONNECTIONS,
    duration: SECONDS,
  });
}

async function listen(app: AutoskillApp): Promise<{ server: Server; url: string }> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1` };
}

// --store DIR reuses (or builds once) a store, so repeated runs skip the import.
const dir = values.store ? path.resolve(values.store) : await mkdtemp(path.join(os.tmpdir(), 'autoskill-bench-proxy-'));
const emptyDir = await mkdtemp(path.join(os.tmpdir(), 'autoskill-bench-empty-'));
const up = await startFakeUpstream();
const rows: string[][] = [];
// A fresh user per run: skills learned in an earlier run (with --store) do not change this one.
const user = `bench-${Date.now().toString(36)}`;
try {
  const t = performance.now();
  const sdk = await AutoSkill.open({ storeDir: dir });
  let setup: string;
  if (sdk.store.all().length > 0) {
    setup = `${sdk.store.all().length} skills in the store (opened in ${((performance.now() - t) / 1000).toFixed(1)} s)`;
  } else {
    const report = await sdk.importSkills(bank, { scope: 'common', library: 'bank' });
    await sdk.settled();
    const skills = report.filter((r) => r.status === 'imported').length;
    setup = `${skills} skills imported in ${((performance.now() - t) / 1000).toFixed(1)} s`;
  }
  const empty = await AutoSkill.open({ storeDir: emptyDir });
  const queries = await readBankQueries(bank, 500);
  const upstream = new OpenAI({ apiKey: 'bench', baseURL: up.url, maxRetries: 0 });

  const apps = {
    relay: createAutoskillApp({ sdk: empty, upstream, model: 'fake-model', learning: false }),
    retrieval: createAutoskillApp({ sdk, upstream, model: 'fake-model', learning: false }),
    full: createAutoskillApp({ sdk, upstream, model: 'fake-model' }),
  };
  const servers = { relay: await listen(apps.relay), retrieval: await listen(apps.retrieval), full: await listen(apps.full) };
  const headers = { 'x-autoskill-user': user };
  const direct: Target = { name: 'direct to upstream', url: up.url, headers: {} };
  const targets: Target[] = [
    direct,
    { name: 'proxy, empty store, learning off (relay only)', url: servers.relay.url, headers },
    { name: `proxy, ${sdk.store.all().length} skills, learning off`, url: servers.retrieval.url, headers },
    { name: `proxy, ${sdk.store.all().length} skills, learning on (default)`, url: servers.full.url, headers },
  ];

  // Warm-up: JIT, connection pools, index caches.
  for (const target of targets) await latency(target, queries.slice(100), 50);

  const injected = await (async () => {
    const r = await fetch(`${servers.retrieval.url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: chatBody(queries[0]!) });
    await r.arrayBuffer();
    return r.headers.get('x-autoskill-skills')?.split(',').filter(Boolean).length ?? 0;
  })();

  const d = await latency(direct, queries);
  rows.push([`non-stream latency (${N} sequential, rotating bank queries)`, '']);
  rows.push([`  ${direct.name}`, `p50 ${ms(pct(d, 50))}  p99 ${ms(pct(d, 99))}`]);
  for (const target of targets.slice(1)) {
    const p = await latency(target, queries);
    rows.push([`  ${target.name}`, `p50 ${ms(pct(p, 50))} (+${ms(pct(p, 50) - pct(d, 50))})  p99 ${ms(pct(p, 99))} (+${ms(pct(p, 99) - pct(d, 99))})`]);
  }

  const td = await ttfb(direct, queries);
  rows.push([`stream time to first byte (${Math.min(N, 200)} sequential)`, '']);
  rows.push([`  ${direct.name}`, `p50 ${ms(pct(td, 50))}  p99 ${ms(pct(td, 99))}`]);
  for (const target of targets.slice(1, 3)) {
    const p = await ttfb(target, queries);
    rows.push([`  ${target.name}`, `p50 ${ms(pct(p, 50))} (+${ms(pct(p, 50) - pct(td, 50))})  p99 ${ms(pct(p, 99))} (+${ms(pct(p, 99) - pct(td, 99))})`]);
  }

  rows.push([`throughput, ${CONNECTIONS} connections, ${SECONDS} s (autocannon, rotating queries)`, '']);
  for (const target of targets) {
    const r = await throughput(target, queries);
    rows.push([`  ${target.name}`, `${Math.round(r.requests.average)} req/s  (latency p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms; ${r.non2xx} non-2xx, ${r.errors} errors)`]);
  }
  const jobs = await sdk.learner.listJobs(user, 100_000);
  rows.push(['setup', `${setup}; ${injected} skill(s) injected for the first query; ${jobs.length} learning jobs recorded with learning on`]);

  for (const app of Object.values(apps)) app.close();
  for (const s of Object.values(servers)) {
    s.server.closeAllConnections();
    await new Promise<void>((r) => s.server.close(() => r()));
  }
  await sdk.close();
  await empty.close();
} finally {
  await up.close();
  await rm(emptyDir, { recursive: true, force: true });
  if (!values.store) await rm(dir, { recursive: true, force: true });
}

const width = Math.max(...rows.map((r) => r[0]!.length));
console.log(`\nautoskill proxy benchmark (Node ${process.version}, ${os.cpus().length} cores; fake upstream, proxy and load generator share them)\n`);
for (const [k, v] of rows) console.log(v ? `${k!.padEnd(width)}  ${v}` : k);
