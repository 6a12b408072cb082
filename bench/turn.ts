/**
 * Turn pipeline benchmark: what `sdk.turns` adds on the request path over the bare
 * `sdk.retrieveForTurn` that every surface called before, on the real skill bank.
 *
 *   npx tsx bench/turn.ts [--bank <dir>] [--store <dir>] [--requests N]
 *
 * Rows: the bare call; the pipeline on a new turn (cache miss: normalize + SHA-256 key + search);
 * the pipeline on a later step of the same turn (cache hit: what an agent's tool-loop steps pay);
 * and the pipeline's own bookkeeping alone (key of a conversation of 2, 20 and 200 messages).
 * Prints a table; never asserts on time. Shared cores: compare rows of one run, not runs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { AutoSkill } from '../src/engine/autoskill.js';
import { toChatMessages } from '../src/engine/ports/chat.js';
import { turnKey } from '../src/engine/turn/cache.js';
import { readBankQueries } from './queries.js';

const { values } = parseArgs({
  options: { bank: { type: 'string' }, store: { type: 'string' }, requests: { type: 'string', default: '600' } },
});
const bank = path.resolve(values.bank ?? process.env.AUTOSKILL_BANK ?? '../shared/data/skillbank');
const N = Number(values.requests);
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const fmt = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return `p50 ${pct(s, 50).toFixed(3)} ms  p95 ${pct(s, 95).toFixed(3)} ms  p99 ${pct(s, 99).toFixed(3)} ms  mean ${mean.toFixed(3)} ms`;
};

/** A realistic chat turn: a system prompt, two earlier exchanges, and the request. */
function conversation(query: string, i: number) {
  return [
    { role: 'system', content: 'You are a helpful assistant.' },
    { role: 'user', content: `Earlier question number ${i}: how do I structure a project plan?` },
    { role: 'assistant', content: 'Start with goals, then milestones, owners and dates. '.repeat(8) },
    { role: 'user', content: 'Thanks, that helps.' },
    { role: 'assistant', content: 'Glad it helps.' },
    { role: 'user', content: query },
  ];
}

const dir = values.store ? path.resolve(values.store) : await mkdtemp(path.join(os.tmpdir(), 'autoskill-bench-turn-'));
const rows: Array<[string, string]> = [];
try {
  const t = performance.now();
  const sdk = await AutoSkill.open({ storeDir: dir, learning: { start: false } });
  if (sdk.skills.list({ admin: true }).length === 0) {
    await sdk.importSkills(bank, { scope: 'common', library: 'bank' });
    await sdk.settled();
  }
  rows.push(['setup', `${sdk.skills.list({ admin: true }).length} skills (ready in ${((performance.now() - t) / 1000).toFixed(1)} s)`]);
  const queries = await readBankQueries(bank, 500);
  const opts = { userId: 'bench', timeoutMs: 10_000 };

  // Warm-up (JIT, index caches), on turns not measured below.
  for (let i = 0; i < 100; i++) await sdk.turns.retrieve(conversation(queries[i % queries.length]!, -1 - i), opts);

  // Interleaved, so that machine load affects both alike; every turn is new to the cache.
  const bare: number[] = [];
  const miss: number[] = [];
  const hit: number[] = [];
  for (let i = 0; i < N; i++) {
    const q = queries[i % queries.length]!;
    let s = performance.now();
    await sdk.retrieveForTurn(conversation(q, i), opts);
    bare.push(performance.now() - s);
    const turn = conversation(q, N + i);
    s = performance.now();
    await sdk.turns.retrieve(turn, opts);
    miss.push(performance.now() - s);
    // a later step of the same turn: the model asked for a tool, the tool answered
    const step = [...turn, { role: 'assistant', content: 'calling search' }, { role: 'tool', content: 'result '.repeat(50) }];
    s = performance.now();
    const r = await sdk.turns.retrieve(step, opts);
    hit.push(performance.now() - s);
    if (!r.cached) throw new Error('a tool-loop step missed the per-turn cache');
  }
  rows.push([`before: sdk.retrieveForTurn (${N} turns, rotating bank queries)`, fmt(bare)]);
  rows.push(['after: sdk.turns.retrieve, new turn (cache miss)', fmt(miss)]);
  rows.push(['after: sdk.turns.retrieve, later tool-loop step (cache hit)', fmt(hit)]);
  const p50 = (xs: number[]) => pct([...xs].sort((a, b) => a - b), 50);
  rows.push(['added per new turn (p50 miss - p50 bare)', `${(p50(miss) - p50(bare)).toFixed(3)} ms`]);

  for (const size of [2, 20, 200]) {
    const msgs = Array.from({ length: size }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: `message ${i} `.repeat(40) }));
    const times: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const s = performance.now();
      turnKey('bench', '|3|0.2|||', toChatMessages(msgs));
      times.push(performance.now() - s);
    }
    rows.push([`pipeline bookkeeping alone: normalize + key, ${size} messages (~${size * 450} chars)`, fmt(times)]);
  }
  await sdk.close();
} finally {
  if (!values.store) await rm(dir, { recursive: true, force: true });
}

const width = Math.max(...rows.map((r) => r[0].length));
console.log(`\nautoskill turn pipeline benchmark (Node ${process.version}, ${os.cpus().length} cores, shared)\n`);
for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
