/**
 * Summarise V8 CPU profiles (`.cpuprofile`, from `node --cpu-prof` or `npm run bench:proxy --
 * --cpu-prof DIR`): self time by function and by file, and inclusive time of this project's
 * functions, so the request path's largest costs can be read without a flame-graph viewer.
 *
 *   npx tsx bench/cpu-profile.ts <file.cpuprofile | dir> [--top N] [--grep substring] [--all]
 *                                    [--lines functionName] [--window substring] [--requests N]
 *                                    [--callers functionName]
 *
 * Several profiles (a directory) are added up. Self time is the sampled time spent in a function
 * itself; inclusive time adds its callees (counted once per sample even for recursion).
 *
 * --window: only the samples taken during the bench phases whose name contains the substring
 * (DIR/windows.json, written by bench/proxy.ts: start and end on the monotonic clock V8 stamps
 * samples with), e.g. `--window 'c=32 proxy, empty'`: the serving phase without start-up and
 * warm-up. --requests N (the phase's answered requests) adds a column of microseconds per request.
 * --callers: the call stacks (5 frames up) under which the named function's self time was spent.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
  positionTicks?: Array<{ line: number; ticks: number }>;
}
interface Profile {
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '40' }, grep: { type: 'string' }, all: { type: 'boolean' }, lines: { type: 'string' }, window: { type: 'string' }, requests: { type: 'string' }, callers: { type: 'string' } },
});
const target = positionals[0];
if (!target) throw new Error('usage: tsx bench/cpu-profile.ts <file.cpuprofile | dir> [--top N] [--grep s]');
const files = statSync(target).isDirectory()
  ? readdirSync(target).filter((f) => f.endsWith('.cpuprofile')).map((f) => path.join(target, f))
  : [target];
const TOP = Number(values.top);

interface Window {
  name: string;
  start: number;
  end: number;
}
/** --window: the matching phases' time spans (µs, monotonic), from windows.json beside the profiles. */
const spans: Window[] | undefined = (() => {
  if (values.window === undefined) return undefined;
  const file = path.join(statSync(target).isDirectory() ? target : path.dirname(target), 'windows.json');
  const all = JSON.parse(readFileSync(file, 'utf8')) as Window[];
  const chosen = all.filter((w) => w.name.includes(values.window!));
  if (chosen.length === 0) throw new Error(`no window matches ${values.window}; known: ${all.map((w) => w.name).join(' | ')}`);
  for (const w of chosen) console.log(`window: ${w.name} (${((w.end - w.start) / 1e6).toFixed(1)} s)`);
  return chosen;
})();
const inSpan = (t: number) => spans === undefined || spans.some((w) => t >= w.start && t <= w.end);
const PER_REQUEST = values.requests ? Number(values.requests) : undefined;

/** Short, stable names: paths relative to the project, node internals by module. */
function fileOf(url: string): string {
  if (!url) return '(native/vm)';
  const i = url.indexOf('/dist/');
  if (i >= 0) return url.slice(i + 1);
  const n = url.indexOf('/node_modules/');
  if (n >= 0) return url.slice(n + 14).split('/').slice(0, url.includes('/@', n) ? 2 : 1).join('/') + ' (dep)';
  return url.replace(/^file:\/\//, '');
}

const self = new Map<string, number>();
const selfFile = new Map<string, number>();
const inclusive = new Map<string, number>();
/** --callers: self time of the named function by its call stack */
const callerStacks = new Map<string, number>();
/** --lines: sampled ticks of the named function by `file:line` */
const lineTicks = new Map<string, number>();
let totalUs = 0;

for (const f of files) {
  const p = JSON.parse(readFileSync(f, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  for (const n of p.nodes) {
    if (values.lines === undefined || n.callFrame.functionName !== values.lines) continue;
    for (const t of n.positionTicks ?? []) {
      const k = `${fileOf(n.callFrame.url)}:${t.line}`;
      lineTicks.set(k, (lineTicks.get(k) ?? 0) + t.ticks);
    }
  }
  const key = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'}  ${fileOf(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  let now = p.startTime;
  for (let i = 0; i < p.samples.length; i++) {
    const dt = p.timeDeltas[i] ?? 0;
    now += dt;
    if (!inSpan(now)) continue;
    const node = byId.get(p.samples[i]!)!;
    if (node.callFrame.functionName === '(idle)') continue;
    totalUs += dt;
    if (values.callers !== undefined && node.callFrame.functionName === values.callers) {
      const stack: string[] = [];
      for (let id = parent.get(node.id); id !== undefined && stack.length < 5; id = parent.get(id)) stack.push(key(byId.get(id)!));
      const k = stack.join('\n             <- ');
      callerStacks.set(k, (callerStacks.get(k) ?? 0) + dt);
    }
    self.set(key(node), (self.get(key(node)) ?? 0) + dt);
    const file = fileOf(node.callFrame.url);
    selfFile.set(file, (selfFile.get(file) ?? 0) + dt);
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const k = key(byId.get(id)!);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
    }
  }
}

const grep = values.grep;
function print(title: string, m: Map<string, number>, filter: (k: string) => boolean = () => true): void {
  console.log(`\n${title}`);
  const rows = [...m].filter(([k]) => filter(k) && (!grep || k.includes(grep))).sort((a, b) => b[1] - a[1]).slice(0, TOP);
  for (const [k, us] of rows) {
    const per = PER_REQUEST ? `${(us / PER_REQUEST).toFixed(1).padStart(8)} µs/req` : '';
    console.log(`${(us / 1000).toFixed(0).padStart(8)} ms ${((100 * us) / totalUs).toFixed(1).padStart(5)}%${per}  ${k}`);
  }
}

console.log(`${files.length} profile(s), ${(totalUs / 1000).toFixed(0)} ms busy (idle excluded)${PER_REQUEST ? `, ${(totalUs / PER_REQUEST).toFixed(0)} µs/req` : ''}`);
if (values.lines !== undefined) {
  const rows = [...lineTicks].sort((a, b) => b[1] - a[1]).slice(0, TOP);
  console.log(`\nself ticks of ${values.lines} by line`);
  for (const [k, n] of rows) console.log(`${String(n).padStart(8)}  ${k}`);
  process.exit(0);
}
if (values.callers !== undefined) {
  console.log(`\nself time of ${values.callers} by caller`);
  for (const [k, us] of [...callerStacks].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(`${(us / 1000).toFixed(0).padStart(8)} ms  <- ${k}`);
  process.exit(0);
}
print('self time by file', selfFile);
print('self time by function', self);
print(values.all ? 'inclusive time' : 'inclusive time, project functions', inclusive, (k) => values.all === true || k.includes('dist/'));
