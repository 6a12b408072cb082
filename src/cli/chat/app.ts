import { randomUUID } from 'node:crypto';
import type OpenAI from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { insertAfterSystem, isLibraryOwner, isPending, REVIEW_REASON_KEY, ScopeSchema, type Actor, type AutoSkill, type CachedRetrieval, type ExtractJobResult, type ExtractMode, type JobEvent, type Scope, type TurnLearning, type TurnReport } from '../../engine/index.js';
import { ownerLabel as sharedOwnerLabel } from '../resolve.js';
import { CHAT_HELP, parseLine, type CommandName } from './commands.js';
import { decideHeld, printHeld } from './review.js';

/**
 * The terminal chat, minus the terminal: one conversation through the same turn pipeline as the
 * proxy and every adapter (`sdk.turns`: retrieve → upstream chat, streamed → learn, with the same
 * policy, first-turn rules included), slash commands, and learning events printed as they
 * complete. I/O is injected so it can run under readline or a test.
 */

export interface ChatOutput {
  /** part of a line (streamed answer text) */
  write(text: string): void;
  /** a whole line */
  line(text?: string): void;
  /** a line that may arrive at any time (learning events) */
  notice(text: string): void;
}

export interface ChatAppOptions {
  sdk: AutoSkill;
  /** the upstream chat model; without one the chat is offline */
  client?: OpenAI;
  model?: string;
  userId: string;
  scope?: Scope;
  topK?: number;
  minScore?: number;
  mode?: ExtractMode;
  turnLimit?: number;
  out: ChatOutput;
  color?: boolean;
  /** label of the upstream for the banner */
  upstreamLabel?: string;
}

type Message = { role: 'user' | 'assistant'; content: string };

const SKILL_MD_CAP = 8000;

function isResult(v: unknown): v is ExtractJobResult {
  return !!v && typeof v === 'object' && Array.isArray((v as ExtractJobResult).skills);
}

export class ChatApp {
  private readonly sdk: AutoSkill;
  private readonly client: OpenAI | undefined;
  private readonly model: string;
  private readonly userId: string;
  private readonly actor: Actor;
  private readonly out: ChatOutput;
  private readonly color: boolean;
  private readonly upstreamLabel: string;
  scope: Scope;
  topK: number | undefined;
  minScore: number | undefined;
  mode: ExtractMode;
  turnLimit: number;
  private messages: Message[] = [];
  private sessionId = randomUUID();
  /** the report of the last turn (the same shape as every surface's) */
  lastReport: TurnReport | undefined;
  /** our jobs and how they were triggered */
  private readonly jobs = new Map<string, string>();
  private unsubscribe: (() => void) | undefined;
  private abort: AbortController | undefined;

  constructor(o: ChatAppOptions) {
    this.sdk = o.sdk;
    this.client = o.client;
    this.model = o.model ?? 'default';
    this.userId = o.userId;
    this.actor = { userId: o.userId };
    this.out = o.out;
    this.color = o.color ?? false;
    this.upstreamLabel = o.upstreamLabel ?? (o.client ? 'configured' : 'offline');
    this.scope = o.scope ?? o.sdk.retrievalDefaults.scope;
    this.topK = o.topK;
    this.minScore = o.minScore;
    this.mode = o.mode ?? 'auto';
    this.turnLimit = o.turnLimit ?? 1;
  }

  get online(): boolean {
    return this.client !== undefined;
  }

  get busy(): boolean {
    return this.abort !== undefined;
  }

  private dim(s: string): string {
    return this.color ? `\x1b[2m${s}\x1b[22m` : s;
  }

  private bold(s: string): string {
    return this.color ? `\x1b[1m${s}\x1b[22m` : s;
  }

  start(): void {
    const own = this.sdk.list({ userId: this.userId, scope: 'user' }).length;
    const common = this.sdk.list({ scope: 'common' }).length;
    this.out.line(this.bold('autoskill chat'));
    this.out.line(`  user: ${this.userId}   scope: ${this.scope}   extraction: ${this.mode}, every ${this.turnLimit} turn(s)`);
    this.out.line(`  mode: ${this.online ? `online (${this.upstreamLabel}, model ${this.model})` : 'offline (no upstream model)'}`);
    this.out.line(`  skills: ${own} yours, ${common} Common`);
    if (this.sdk.learning.reviewMode) this.out.line('  review mode: learned skills are held until you /approve them (see /review).');
    if (!this.online) {
      this.out.line(
        '  No upstream model is configured, so messages get no answer. Slash commands work, and learning still runs on your messages (offline extractor).',
      );
    }
    this.out.line('  Type /help for commands.');
    this.unsubscribe = this.sdk.jobs.onEvent(this.actor, (e) => this.onJobEvent(e));
  }

  close(): void {
    this.abort?.abort();
    this.unsubscribe?.();
  }

  /**
   * Before leaving: let this conversation's learning jobs finish (so their results print),
   * for at most `timeoutMs`. Jobs still queued after that stay in the journal and run on the
   * next start.
   */
  async drain(timeoutMs = 15_000): Promise<void> {
    const ids = [...this.jobs.keys()];
    if (!ids.length) return;
    this.out.line(this.dim(`[extract] waiting for ${ids.length} background extraction(s)…`));
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), timeoutMs);
    try {
      await Promise.all(ids.map((id) => this.sdk.jobs.wait(this.actor, id, { signal: ac.signal }).catch(() => undefined)));
      // The completion event is delivered to our listener after the job settles.
      await new Promise((r) => setImmediate(r));
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stop the answer being streamed; false when there is none. */
  interrupt(): boolean {
    if (!this.abort) return false;
    this.abort.abort();
    return true;
  }

  /** Handle one input line; resolves 'exit' when the user leaves. */
  async handle(line: string): Promise<'exit' | undefined> {
    const p = parseLine(line);
    if (p.kind === 'empty') return undefined;
    if (p.kind === 'unknown') {
      this.out.line('Unknown command. Use /help.');
      return undefined;
    }
    if (p.kind === 'command') return this.command(p.name, p.arg);
    await this.turn(p.text);
    return undefined;
  }

  // ------------------------------------------------------------------------------- commands

  private async command(name: CommandName, arg: string): Promise<'exit' | undefined> {
    switch (name) {
      case 'help':
        this.out.line(CHAT_HELP);
        return undefined;
      case 'exit':
      case 'quit':
        return 'exit';
      case 'clear':
        this.messages = [];
        this.sessionId = randomUUID();
        this.out.line('[clear] new conversation.');
        return undefined;
      case 'skills': {
        const skills = this.sdk.list({ userId: this.userId, scope: 'user' });
        if (!skills.length) this.out.line('[skills] none yet.');
        for (const s of skills.slice(0, 200)) this.out.line(`- ${s.id} | v${s.version} | ${s.name}`);
        if (skills.length > 200) this.out.line(`… and ${skills.length - 200} more`);
        return undefined;
      }
      case 'search':
        await this.search(arg);
        return undefined;
      case 'export':
        this.export(arg);
        return undefined;
      case 'scope': {
        const v = ScopeSchema.safeParse(arg.toLowerCase());
        if (!arg || !v.success) this.out.line('Usage: /scope user|common|all');
        else {
          this.scope = v.data;
          this.out.line(`[scope] ${this.scope}`);
        }
        return undefined;
      }
      case 'extract': {
        const v = arg.toLowerCase();
        if (v !== 'auto' && v !== 'always' && v !== 'never') this.out.line('Usage: /extract auto|always|never');
        else {
          this.mode = v;
          this.out.line(`[extract] mode ${v}`);
        }
        return undefined;
      }
      case 'extract_every': {
        const n = Number(arg);
        if (!Number.isInteger(n) || n < 1) this.out.line('Usage: /extract_every <n>  (n ≥ 1)');
        else {
          this.turnLimit = n;
          this.out.line(`[extract] every ${n} turn(s)`);
        }
        return undefined;
      }
      case 'extract_now':
        await this.extractNow(arg);
        return undefined;
      case 'review':
        printHeld(this.sdk, this.userId, this.out);
        return undefined;
      case 'approve':
      case 'reject':
        await decideHeld(this.sdk, this.actor, name, arg, this.out);
        return undefined;
    }
  }

  private async search(query: string): Promise<void> {
    if (!query) return this.out.line('Usage: /search <query>');
    const hits = await this.sdk.search(query, {
      userId: this.userId,
      scope: this.scope,
      limit: Math.max(this.topK ?? 0, 5),
      minScore: this.minScore ?? 0,
    });
    if (!hits.length) return this.out.line('[search] no skills matched.');
    hits.forEach((h, i) => this.out.line(`${i + 1}. ${h.score.toFixed(3)}  ${h.skill.name}  (v${h.skill.version}, ${ownerLabel(h.skill.owner)}, ${h.skill.id})`));
  }

  private export(id: string): void {
    if (!id) return this.out.line('Usage: /export <id>');
    try {
      this.out.line(this.sdk.skillMd(id, this.actor));
    } catch (err) {
      this.out.line(`[export] ${(err as Error).message}`);
    }
  }

  private async extractNow(hint: string): Promise<void> {
    if (!this.messages.length && !hint) return this.out.line('[extract_now] nothing to learn from yet: chat first, or give a hint (/extract_now <what to remember>).');
    try {
      const job = await this.sdk.extractNow(this.userId, this.messages, { surface: 'chat', sessionId: this.sessionId, ...(hint ? { hint } : {}) });
      this.jobs.set(job.id, 'extract_now');
      this.out.line(`[extract_now] scheduled (${job.id})`);
    } catch (err) {
      this.out.line(`[extract_now] failed: ${(err as Error).message}`);
    }
  }

  // ------------------------------------------------------------------------------- chat turn

  /** The retrieval part of the turn report, as lines. */
  private printRetrieval(input: string, report: TurnReport): void {
    const r = report.retrieval;
    if (r.error) {
      this.out.line(this.dim(`[retrieve] failed: ${r.error} (answering without skills)`));
      return;
    }
    if (r.query && r.query !== input) this.out.line(this.dim(`[retrieve] query: ${r.query}`));
    if (!report.skills.length) {
      this.out.line(this.dim('[retrieve] no skill injected'));
      return;
    }
    // Standing preferences come first in the report and are injected whatever the request.
    const standing = report.skills.filter((s) => s.standing).length;
    this.out.line(this.dim(`[retrieve] injected ${report.skills.length} skill(s)${standing ? `, ${standing} standing (every turn)` : ''}:`));
    const owners = new Map(r.hits.map((h) => [h.id, h.owner]));
    for (const s of report.skills) {
      const how = s.standing ? 'standing' : `score ${(s.score ?? 0).toFixed(3)}`;
      const owner = owners.get(s.id);
      this.out.line(this.dim(`  - ${s.name}  v${s.version}  ${how}  (${owner ? ownerLabel(owner) : 'yours'}, ${s.id})`));
    }
    const taskInjected = report.skills.filter((s) => !s.standing).length;
    if (r.hits.length > taskInjected) this.out.line(this.dim(`[retrieve] ${r.hits.length - taskInjected} more match(es) did not fit the context budget`));
  }

  private async turn(text: string): Promise<void> {
    const history = [...this.messages, { role: 'user' as const, content: text }];
    const r = await this.sdk.turns.retrieve(history, {
      userId: this.userId,
      scope: this.scope,
      ...(this.topK !== undefined ? { topK: this.topK } : {}),
      ...(this.minScore !== undefined ? { minScore: this.minScore } : {}),
    });
    this.printRetrieval(text, this.sdk.turns.report({ userId: this.userId, sessionId: this.sessionId, retrieval: r }));
    if (!this.client) {
      // Offline there are no answers; the same policy still learns the rules the user states.
      this.messages = history;
      this.out.line('[offline] No upstream model is configured, so there is no answer. Start with --upstream-base-url URL to chat.');
      await this.learn(r);
      return;
    }
    const reply = await this.answer(history, r);
    if (reply === undefined) return; // failed or stopped: the message is not kept
    this.messages = [...history, { role: 'assistant', content: reply }];
    if (!reply.trim()) return;
    await this.learn(r);
  }

  /** Hand the turn to the learning loop (the pipeline's policy decides) and keep its report. */
  private async learn(r: CachedRetrieval): Promise<void> {
    const learning: TurnLearning = await this.sdk.turns.learn(this.messages, {
      userId: this.userId,
      sessionId: this.sessionId,
      mode: this.mode,
      turnLimit: this.turnLimit,
      surface: 'chat',
    });
    this.lastReport = this.sdk.turns.report({ userId: this.userId, sessionId: this.sessionId, retrieval: r, learning });
    if (learning.status === 'failed') {
      this.out.line(`[extract] could not schedule: ${learning.reason}`);
      return;
    }
    if (!learning.job_id) return;
    const trigger = this.mode === 'always' ? 'always' : 'auto';
    this.jobs.set(learning.job_id, trigger);
    this.out.line(this.dim(`[extract:${trigger}] scheduled in the background (${learning.job_id})`));
  }

  /** Stream the answer; undefined when it failed or was stopped. */
  private async answer(history: Message[], r: CachedRetrieval): Promise<string | undefined> {
    const messages: ChatCompletionMessageParam[] = r.context
      ? insertAfterSystem<ChatCompletionMessageParam>(history, { role: 'system', content: r.context.text }, (m) => m.role)
      : history;
    this.abort = new AbortController();
    let reply = '';
    this.out.write(this.bold('Assistant> '));
    try {
      const stream = await this.client!.chat.completions.create({ model: this.model, messages, stream: true }, { signal: this.abort.signal });
      for await (const chunk of stream) {
        const delta = chunk.choices?.find((c) => c.index === 0)?.delta?.content;
        if (delta) {
          reply += delta;
          this.out.write(delta);
        }
      }
      if (this.abort.signal.aborted) {
        this.out.line('\n[stopped] the answer was not kept.');
        return undefined;
      }
      this.out.line();
      return reply;
    } catch (err) {
      this.out.line();
      this.out.line(this.abort.signal.aborted ? '[stopped] the answer was not kept.' : `[error] the model call failed: ${(err as Error).message}`);
      return undefined;
    } finally {
      this.abort = undefined;
    }
  }

  // ------------------------------------------------------------------------------- learning events

  private onJobEvent(e: JobEvent): void {
    const trigger = this.jobs.get(e.job.id);
    if (trigger === undefined || (e.type !== 'completed' && e.type !== 'failed')) return;
    this.jobs.delete(e.job.id);
    const tag = `[extract:${trigger}]`;
    if (e.type === 'failed') {
      this.out.notice(`${tag} failed: ${e.job.error ?? 'unknown error'}`);
      return;
    }
    const result = isResult(e.job.result) ? e.job.result : undefined;
    const written = result?.skills ?? [];
    if (!written.length) {
      this.out.notice(`${tag} nothing learned${result?.reason ? `: ${result.reason}` : ''}`);
      return;
    }
    const lines = [`${tag} ${written.length} skill(s):`];
    for (const s of written) {
      const stored = this.sdk.get(s.id, this.actor);
      // A held skill is stored but never injected: say so, and how to let it in.
      const why = stored && isPending(stored) ? (stored.metadata[REVIEW_REASON_KEY] ?? '').replace(/^held for review:?\s*/, '') : undefined;
      const held = why === undefined ? '' : ` — held for review${why.startsWith('(') ? ` ${why}` : why ? `: ${why}` : ''}; /approve ${s.id}`;
      lines.push(`  - ${s.action} "${s.name}" v${s.version} (${s.id})${held}`);
    }
    if (trigger === 'extract_now') {
      for (const s of written) {
        try {
          const md = this.sdk.skillMd(s.id, this.actor);
          lines.push(md.length > SKILL_MD_CAP ? `${md.slice(0, SKILL_MD_CAP)}\n…[truncated]` : md);
        } catch {
          // deleted in the meantime
        }
      }
    }
    this.out.notice(lines.join('\n'));
  }
}

function ownerLabel(owner: string): string {
  // Same words as `list`, `search` and the web page: "Common", or "Common · <library>".
  return isLibraryOwner(owner) ? sharedOwnerLabel(owner) : 'yours';
}
