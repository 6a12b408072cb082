import { CliError, openExistingSdk, out } from '../common.js';
import { helpText, parseCommand } from '../options.js';
import { resolveSkill } from '../resolve.js';
import { SPECS } from '../specs.js';

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(SPECS.show, argv);
  if (values.help) return (out(helpText(SPECS.show)), 0);
  const ref = positionals[0];
  if (!ref) throw new CliError('missing <id|slug>; see --help', 2);
  const sdk = await openExistingSdk(values.store);
  try {
    const { id } = resolveSkill(sdk, ref, { userId: values.user });
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
    if (values.json) out(JSON.stringify(sdk.get(id), null, 2));
    else out(sdk.skillMd(id));
    return 0;
  } finally {
    await sdk.close();
  }
}
