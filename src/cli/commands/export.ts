import { CliError, STORE_OPTIONS, openSdk, out, parse } from '../common.js';

const HELP = `usage: autoskill export <id> [--store DIR] [--format dir|md|zip] [--to PATH]

Without --to, md prints SKILL.md to stdout; dir and zip need --to.`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...STORE_OPTIONS,
    format: { type: 'string', default: 'md' },
    to: { type: 'string' },
  });
  if (values.help) return (out(HELP), 0);
  const id = positionals[0];
  if (!id) throw new CliError('missing <id>; see --help', 2);
  const format = values.format;
  if (format !== 'dir' && format !== 'md' && format !== 'zip') throw new CliError(`--format must be dir, md or zip, got "${format}"`, 2);
  if (format !== 'md' && !values.to) throw new CliError(`--format ${format} needs --to PATH`, 2);
  const sdk = await openSdk(values.store);
  try {
    if (!sdk.get(id)) throw new CliError(`skill not found: ${id}`);
    const result = await sdk.export(id, format, values.to);
    if (result.path) out(`exported ${id} to ${result.path}`);
    else if (result.text !== undefined) process.stdout.write(result.text);
    return 0;
  } finally {
    await sdk.close();
  }
}
