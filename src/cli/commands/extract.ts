import { stat } from 'node:fs/promises';
import { runBatch } from '../../engine/learn/batch.js';
import { CliError, STORE_OPTIONS, intFlag, openSdk, out, parse } from '../common.js';
import { progressBar } from '../progress.js';
import { UPSTREAM_HELP, UPSTREAM_OPTIONS, upstreamFromFlags } from '../upstream.js';

const HELP = `usage: autoskill extract --from <file.json|file.jsonl> --user U [--hint "..."] [--store DIR] [--max-messages N] [--json]

Runs OpenAI-format conversations (a JSON array, or one conversation per JSON line, each with
"messages": [{role, content}, ...]) through the learning pipeline: extraction, then add / merge /
discard into the user's skills. Without --model and an upstream, the offline extractor is used.

${UPSTREAM_HELP}`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(
    argv,
    {
      ...STORE_OPTIONS,
      ...UPSTREAM_OPTIONS,
      from: { type: 'string' },
      user: { type: 'string' },
      hint: { type: 'string' },
      'max-messages': { type: 'string' },
      json: { type: 'boolean' },
    },
    false,
  );
  if (values.help) return (out(HELP), 0);
  if (!values.from) throw new CliError('missing --from <file>; see --help', 2);
  if (!values.user) throw new CliError('missing --user U', 2);
  if (!(await stat(values.from).catch(() => undefined))?.isFile()) throw new CliError(`not a file: ${values.from}`);
  const upstream = upstreamFromFlags(values);
  const maxMessages = intFlag(values['max-messages'], 'max-messages', 0);

  // Batch runs in the foreground, so the background runner is not started.
  const sdk = await openSdk(values.store, { ...(upstream.llm ? { llm: upstream.llm } : {}), learning: { start: false } });
  try {
    const bar = progressBar();
    const summary = await runBatch(sdk.learner, {
      userId: values.user,
      path: values.from,
      ...(values.hint ? { hint: values.hint } : {}),
      ...(maxMessages ? { maxMessages } : {}),
      onProgress: (p) => bar.update(p.index + 1, p.total, p.source),
    });
    bar.done();
    if (values.json) {
      out(JSON.stringify(summary, null, 2));
    } else {
      out(`extractor: ${upstream.llm ? upstream.llm.label : 'offline rules'}`);
      out(
        `conversations ${summary.conversations}, processed ${summary.processed}: ` +
          `created ${summary.created}, updated ${summary.updated}, unchanged ${summary.unchanged}, ` +
          `discarded ${summary.discarded}, nothing extracted ${summary.nothing}, failed ${summary.failed}`,
      );
      for (const s of summary.skills) out(`  ${s.action.padEnd(8)} ${s.name}  v${s.version}  (${s.id})`);
      for (const f of summary.failures) out(`  failed   ${f.source}: ${f.reason}`);
    }
    return summary.failed > 0 && summary.processed === 0 ? 1 : 0;
  } finally {
    await sdk.close();
  }
}
