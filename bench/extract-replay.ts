/**
 * Replay of the real web sessions through the offline extractor, against the original system's
 * recorded (LLM) extraction decisions.
 *
 *   npx tsx bench/extract-replay.ts [bankDir] [--examples N] [--verbose]
 *
 * Data: `<bank>/web_sessions/<user>.json` (upstream format version 1: sessions → trace.turns with
 * `chat_append` messages, and trace.extraction_events with scheduled / running / completed /
 * failed records per job).
 *
 * What a decision point is. Upstream scheduled an extraction on a user turn (never the first one
 * of a conversation). Its window was the last 6 messages before that turn plus the turn's user
 * message. For every job that reached `completed` we rebuild that window from the turns before
 * `turn_id` and run it through our pipeline. Jobs that never completed (the session ended or was
 * cleared) and the one failed job have no decision and are skipped.
 *
 * What counts as a positive. The recorded decision is positive when the completed event lists at
 * least one upserted skill (upstream created a skill at 0.1.0, or merged into an existing one and
 * bumped its version); negative when it completed with nothing upserted (the model found nothing
 * durable, or maintenance discarded the candidate as already covered). Our decision is positive
 * when the store changed: the offline extractor proposed a candidate and maintenance created a
 * skill or merged it into one with a new version. A candidate whose rules the user's skill
 * already holds ("unchanged") is negative, as upstream's discard of a covered candidate is: the
 * same feedback repeated in a later session teaches nothing new.
 *
 * How we replay. Per user file, one fresh temporary store (the sessions of a user in creation
 * order), `learner.ingest` on each window: the real redaction, offline extraction, maintenance
 * (add / merge) and index. So besides the gate we also see what the store ends up with: names
 * (generic ones are listed), and add vs merge next to upstream's add vs merge.
 *
 * Generic name: a skill title or slug that, with task verbs and filler removed ("write", "写",
 * "生成", "answers", "preferences", "回答偏好" ...), keeps at most one content word (two CJK
 * characters count as one word), so it names a task or a verb but no rule; or that is the
 * conversation's first request verbatim. Such a name says neither the task family nor the rule
 * and becomes a bucket for unrelated rules.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AutoSkill } from '../src/engine/autoskill.js';
import type { ChatMessage } from '../src/engine/ports/chat.js';
import { parsePrompt } from '../src/engine/learn/sections.js';
import { isStanding } from '../src/engine/skill/standing.js';
import { DEFAULT_BANK } from './bank.js';

interface Turn {
  id: string;
  kind?: string;
  chat_append?: Array<{ role: string; content: string }>;
}
interface ExtractionEvent {
  turn_id: string;
  extraction: { job_id: string; status: string; upserted?: Array<{ name: string; version: string }> };
}
interface Session {
  id: string;
  meta?: { created_at_ms?: number };
  trace?: { turns?: Turn[]; extraction_events?: ExtractionEvent[] };
}

interface Point {
  file: string;
  session: string;
  turnId: string;
  window: ChatMessage[];
  expected: boolean;
  expectedAction?: 'add' | 'merge';
  expectedNames: string[];
}

const argv = process.argv.slice(2);
const examplesArg = argv.indexOf('--examples');
const bank = argv.find((a, i) => !a.startsWith('--') && (examplesArg < 0 || i !== examplesArg + 1)) ?? DEFAULT_BANK;
const EXAMPLES = examplesArg >= 0 ? Number(argv[examplesArg + 1]) : 8;
const VERBOSE = argv.includes('--verbose');

function pointsOf(file: string, sessions: Session[]): Point[] {
  const out: Point[] = [];
  const ordered = [...sessions].sort((a, b) => (a.meta?.created_at_ms ?? 0) - (b.meta?.created_at_ms ?? 0));
  for (const s of ordered) {
    const turns = s.trace?.turns ?? [];
    const jobs = new Map<string, { turnId: string; completed?: ExtractionEvent['extraction'] }>();
    for (const e of s.trace?.extraction_events ?? []) {
      const j = jobs.get(e.extraction.job_id) ?? { turnId: e.turn_id };
      if (e.extraction.status === 'completed') j.completed = e.extraction;
      jobs.set(e.extraction.job_id, j);
    }
    for (const job of jobs.values()) {
      if (!job.completed) continue;
      const at = turns.findIndex((t) => t.id === job.turnId);
      if (at < 0) continue;
      const before: ChatMessage[] = [];
      for (const t of turns.slice(0, at)) {
        for (const m of t.chat_append ?? []) {
          if (m.role === 'user' || m.role === 'assistant') before.push({ role: m.role, content: m.content });
        }
      }
      const user = turns[at]!.chat_append?.find((m) => m.role === 'user');
      if (!user) continue;
      const window: ChatMessage[] = [...before.slice(-6), { role: 'user', content: user.content }];
      const ups = job.completed.upserted ?? [];
      out.push({
        file,
        session: s.id,
        turnId: job.turnId,
        window,
        expected: ups.length > 0,
        ...(ups.length > 0 ? { expectedAction: ups[0]!.version === '0.1.0' ? 'add' : 'merge' } : {}),
        expectedNames: ups.map((u) => u.name),
      });
    }
  }
  return out;
}

const EN_FILLER = new Set(
  (
    'write writing draft create make generate compose prepare produce do give answer answers respond reply replies response responses ' +
    'help please preferences preference rules rule style skill user request requests general assistant output a an the my for with of to and in'
  ).split(' '),
);
const ZH_FILLER = /回答偏好|写作|撰写|编写|生成|回答|回复|偏好|风格|要求|规则|技能|用户|帮我|请|写|做|一个|的/g;

/** Content units of a name: English words plus CJK characters / 2 (a CJK word is about two characters). */
function contentUnits(name: string): number {
  const rest = name.replace(ZH_FILLER, ' ');
  const han = (rest.match(/\p{Script=Han}/gu) ?? []).length;
  const words = (rest.replace(/\p{Script=Han}/gu, ' ').toLowerCase().match(/[a-z0-9]+/g) ?? []).filter((w) => !EN_FILLER.has(w) && !/^\d+$/.test(w));
  return words.length + han / 2;
}

function isGeneric(name: string, slug: string, firstRequest: string): boolean {
  const norm = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
  if (norm(name).length >= 8 && norm(firstRequest).startsWith(norm(name))) return true;
  // A Chinese name is the one people read; its ASCII slug cannot carry the rule's words.
  const ascii = /^[\x20-\x7e]*$/.test(name);
  return contentUnits(name) < 1.5 || (ascii && contentUnits(slug.replace(/-/g, ' ')) < 1.5);
}

function pct(x: number): string {
  return (100 * x).toFixed(1).padStart(5);
}

async function main(): Promise<void> {
  const dir = path.join(bank, 'web_sessions');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  let actionAgree = 0;
  let actionBoth = 0;
  const disagreements: Array<{ kind: 'FP' | 'FN'; p: Point; got?: string }> = [];
  const generic: string[] = [];
  const learned: Array<{ file: string; name: string; slug: string; version: string; rules: number; standing: boolean; triggers: string[]; ruleText: string[] }> = [];

  for (const file of files) {
    const raw = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as { user_id?: string; sessions?: Session[] };
    const points = pointsOf(file, raw.sessions ?? []);
    if (points.length === 0) continue;
    const root = await mkdtemp(path.join(tmpdir(), 'autoskill-replay-'));
    const as = await AutoSkill.open({ storeDir: root });
    const userId = (raw.user_id ?? file.replace(/\.json$/, '')).replace(/[^\w-]/g, '_');
    const firstRequests = new Map<string, string>();
    try {
      for (const p of points) {
        firstRequests.set(p.session, firstRequests.get(p.session) ?? p.window.find((m) => m.role === 'user')?.content ?? '');
        const r = await as.learning.ingest({ userId }, p.window, { windowSize: Infinity, trigger: 'auto', ref: `${p.session}:${p.turnId}` });
        const got = r.status === 'upserted';
        if (got && p.expected) tp++;
        else if (got) fp++;
        else if (p.expected) fn++;
        else tn++;
        if (got && p.expected && p.expectedAction && r.skills[0]) {
          actionBoth++;
          const ours = r.skills[0].action === 'created' ? 'add' : 'merge';
          if (ours === p.expectedAction) actionAgree++;
        }
        if (got !== p.expected) disagreements.push({ kind: got ? 'FP' : 'FN', p, got: r.skills[0] ? `${r.skills[0].name} (${r.skills[0].action})` : r.reason });
        if (VERBOSE) console.log(`${got ? 'Y' : '-'}${p.expected ? 'Y' : '-'} ${file} ${p.turnId} ${JSON.stringify(p.window.at(-1)!.content.slice(0, 100))} -> ${r.skills[0]?.name ?? r.reason}`);
      }
      for (const s of as.skills.list({ admin: true })) {
        const first = [...firstRequests.values()].find((q) => q.length > 0) ?? '';
        const ruleText = parsePrompt(s.instructions).constraints;
        learned.push({ file, name: s.name, slug: s.slug, version: s.version, rules: ruleText.length, standing: isStanding(s), triggers: s.triggers, ruleText });
        if (isGeneric(s.name, s.slug, first) || [...firstRequests.values()].some((q) => isGeneric(s.name, s.slug, q))) generic.push(`${file}: ${s.name} (${s.slug})`);
      }
    } finally {
      await as.close();
      await rm(root, { recursive: true, force: true });
    }
  }

  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  console.log(`decision points: ${tp + fp + fn + tn} (recorded positives ${tp + fn}, negatives ${fp + tn})`);
  console.log(`TP ${tp}  FP ${fp}  FN ${fn}  TN ${tn}`);
  console.log(`precision ${pct(precision)}%  recall ${pct(recall)}%  F1 ${pct(f1)}%`);
  console.log(`add/merge agreement on true positives: ${actionAgree}/${actionBoth}`);
  console.log(`\nlearned skills: ${learned.length}; generic names: ${generic.length}; standing: ${learned.filter((l) => l.standing).length}`);
  for (const g of generic) console.log(`  generic: ${g}`);
  console.log('\nlearned skills (name | slug | version | rules | triggers):');
  for (const l of learned) {
    console.log(`  ${l.file} ${l.standing ? '[always] ' : ''}${l.name} | ${l.slug} | v${l.version} | ${l.rules} | ${l.triggers.join(' / ')}`);
    if (VERBOSE) for (const r of l.ruleText) console.log(`      - ${r}`);
  }
  const show = (kind: 'FP' | 'FN') => {
    const list = disagreements.filter((d) => d.kind === kind);
    console.log(`\n${kind} examples (${list.length} in all):`);
    for (const d of list.slice(0, EXAMPLES)) {
      const last = d.p.window.at(-1)!.content.replace(/\s+/g, ' ');
      const upstream = d.p.expectedNames.length ? ` upstream: ${d.p.expectedNames.join(', ')}` : '';
      console.log(`  ${d.p.file} ${d.p.turnId}: ${JSON.stringify(last.slice(0, 140))}${upstream} | ours: ${d.got}`);
    }
  };
  show('FP');
  show('FN');
}

await main();
