import { stat } from 'node:fs/promises';
import { CliError, intFlag, openSdk, out } from '../common.js';
import { helpText, parseCommand } from '../options.js';
import { SPECS } from '../specs.js';
import { progressBar } from '../progress.js';
import { upstreamFromFlags } from '../upstream.js';

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommand(SPECS.extract, argv);
  if (values.help) return (out(helpText(SPECS.extract)), 0);
  if (!values.from) throw new CliError('missing --from <file>; see --help', 2);
  if (!values.user) throw new CliError('missing --user U', 2);
  if (!(await stat(values.from).catch(() => undefined))?.isFile()) throw new CliError(`not a file: ${values.from}`);
  const upstream = upstreamFromFlags(values);
  const maxMessages = intFlag(values['max-messages'], 'max-messages', 0);

  // Batch runs in the foreground, so the background runner is not started.
  const sdk = await openSdk(values.store, { ...(upstream.llm ? { llm: upstream.llm } : {}), learning: { start: false } });
  try {
    const bar = progressBar();
    const summary = await sdk.learning.batch({ userId: values.user }, {
      surface: 'cli',
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
