import readline from 'node:readline';
import { ScopeSchema, type ExtractMode, type Logger } from '../../engine/index.js';
import { ChatApp, type ChatOutput } from '../chat/app.js';
import { CliError, cliUserId, intFlag, numberFlag, openSdk, out } from '../common.js';
import { helpText, parseCommand } from '../options.js';
import { SPECS } from '../specs.js';
import { describeUpstream, upstreamFromFlags } from '../upstream.js';

const MODES: readonly ExtractMode[] = ['auto', 'always', 'never'];

/** Warnings go above the prompt as one short line, not as JSON into the conversation. */
function consoleLogger(print: (line: string) => void): Logger {
  const noop = () => undefined;
  const show = (level: string) => (msg: string, fields?: Record<string, unknown>) =>
    print(`[${level}] ${msg}${fields && Object.keys(fields).length ? ` ${JSON.stringify(fields)}` : ''}`);
  return { debug: noop, info: noop, warn: show('warn'), error: show('error') };
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommand(SPECS.chat, argv);
  if (values.help) return (out(helpText(SPECS.chat)), 0);
  const scope = ScopeSchema.safeParse(values.scope ?? 'all');
  if (!scope.success) throw new CliError(`--scope must be user, common or all, got "${values.scope}"`, 2);
  const mode = (values.extract ?? 'auto') as ExtractMode;
  if (!MODES.includes(mode)) throw new CliError(`--extract must be auto, always or never, got "${values.extract}"`, 2);
  const turnLimit = intFlag(values['extract-every'], 'extract-every', 1);
  if (turnLimit < 1) throw new CliError('--extract-every must be at least 1', 2);
  const topK = values['top-k'] === undefined ? undefined : intFlag(values['top-k'], 'top-k', 3);
  const minScore = values['min-score'] === undefined ? undefined : numberFlag(values['min-score'], 'min-score', 0);
  if (minScore !== undefined && (minScore < 0 || minScore > 1)) throw new CliError('--min-score must be between 0 and 1', 2);
  const userId = cliUserId(values.user);
  const upstream = upstreamFromFlags(values);

  // Created once the store is open: stdin keeps what is typed (or piped) until then.
  let rl: readline.Interface | undefined;
  let idle = false;
  /** Print a line that arrives while the user may be typing: above the prompt, then redraw it. */
  const notice = (text: string) => {
    if (rl && idle && process.stdout.isTTY) {
      readline.clearLine(process.stdout, 0);
      readline.cursorTo(process.stdout, 0);
      process.stdout.write(`${text}\n`);
      rl.prompt(true);
    } else {
      process.stdout.write(`${text}\n`);
    }
  };
  const output: ChatOutput = {
    write: (t) => void process.stdout.write(t),
    line: (t = '') => void process.stdout.write(`${t}\n`),
    notice,
  };

  const sdk = await openSdk(values.store, { logger: consoleLogger(notice), ...(upstream.llm ? { llm: upstream.llm } : {}), ...(values.review ? { learning: { review: true } } : {}) }, { service: true });
  let model = upstream.model;
  if (upstream.client && !model) {
    // No --model: take the upstream's first model rather than guessing a name.
    model = await upstream.client.models
      .list()
      .then((page) => page.data[0]?.id)
      .catch(() => undefined);
  }
  const app = new ChatApp({
    sdk,
    ...(upstream.client ? { client: upstream.client } : {}),
    ...(model ? { model } : {}),
    userId,
    scope: scope.data,
    ...(topK !== undefined ? { topK } : {}),
    ...(minScore !== undefined ? { minScore } : {}),
    mode,
    turnLimit,
    out: output,
    color: process.stdout.isTTY === true && !process.env.NO_COLOR,
    upstreamLabel: describeUpstream(upstream),
  });
  app.start();
  const lines = readline.createInterface({ input: process.stdin, output: process.stdout, prompt: 'You> ', terminal: process.stdin.isTTY });
  rl = lines;

  // Lines are handled one at a time, in order, even when typed ahead during an answer. At the
  // end of input (Ctrl-D, or a pipe) the lines already read still run; /exit and Ctrl-C at the
  // prompt leave at once.
  const queue: string[] = [];
  let working = false;
  let leaving = false;
  let eof = false;
  await new Promise<void>((resolve) => {
    const settle = () => {
      if (!working && (leaving || (eof && queue.length === 0))) resolve();
    };
    const pump = async () => {
      if (working) return;
      working = true;
      while (queue.length && !leaving) {
        idle = false;
        const line = queue.shift()!;
        try {
          if ((await app.handle(line)) === 'exit') leaving = true;
        } catch (err) {
          output.line(`[error] ${(err as Error).message}`);
        }
      }
      working = false;
      if (leaving || eof) return settle();
      idle = true;
      lines.prompt();
    };
    lines.on('line', (line) => {
      queue.push(line);
      void pump();
    });
    lines.on('SIGINT', () => {
      // Ctrl-C stops the answer being streamed; at the prompt it leaves.
      if (app.interrupt()) return;
      leaving = true;
      settle();
    });
    lines.on('close', () => {
      eof = true;
      settle();
    });
    idle = true;
    lines.prompt();
  });
  lines.close();
  await app.drain();
  process.stdout.write('Bye.\n');
  app.close();
  await sdk.close();
  return 0;
}
