import { CliError, STORE_OPTIONS, openSdk, out, parse } from '../common.js';

const HELP = `usage: autoskill show <id> [--store DIR] [--versions] [--version V] [--diff FROM..TO] [--json]`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...STORE_OPTIONS,
    versions: { type: 'boolean' },
    version: { type: 'string' },
    diff: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) return (out(HELP), 0);
  const id = positionals[0];
  if (!id) throw new CliError('missing <id>; see --help', 2);
  const sdk = await openSdk(values.store);
  try {
    if (values.versions) {
      const versions = await sdk.versions(id);
      if (values.json) out(JSON.stringify(versions, null, 2));
      else for (const v of versions) out(`${v.current ? '*' : ' '} ${v.version}  ${v.at}  ${v.source?.kind ?? ''} ${v.source?.ref ?? ''}`.trimEnd());
      return 0;
    }
    if (values.diff) {
      const [from, to] = values.diff.split('..');
      if (!from || !to) throw new CliError('--diff takes FROM..TO, e.g. 0.1.0..0.1.1', 2);
      out(await sdk.diff(id, from, to));
      return 0;
    }
    if (values.version) {
      out((await sdk.readVersion(id, values.version)).skillMd);
      return 0;
    }
    const skill = sdk.get(id);
    if (!skill) throw new CliError(`skill not found: ${id}`);
    if (values.json) out(JSON.stringify(skill, null, 2));
    else out(sdk.skillMd(id));
    return 0;
  } finally {
    await sdk.close();
  }
}
