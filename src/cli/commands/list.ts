import { ScopeSchema } from '../../engine/index.js';
import { CliError, cliUserId, openExistingSdk, out } from '../common.js';
import { helpText, parseCommand } from '../options.js';
import { ownerLabel } from '../resolve.js';
import { SPECS } from '../specs.js';

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommand(SPECS.list, argv);
  if (values.help) return (out(helpText(SPECS.list)), 0);
  const scope = ScopeSchema.safeParse(values.scope);
  if (!scope.success) throw new CliError(`--scope must be all, user or common, got "${values.scope}"`, 2);
  const sdk = await openExistingSdk(values.store);
  try {
    const skills = sdk.list({ userId: cliUserId(values.user), scope: scope.data });
    if (values.json) {
      out(JSON.stringify(skills.map(({ id, name, slug, version, owner, description, tags }) => ({ id, name, slug, version, owner, description, tags })), null, 2));
    } else {
      for (const s of skills) out(`${s.id}  v${s.version}  ${ownerLabel(s.owner)}  ${s.slug}  ${s.name}`);
      out(`${skills.length} skill(s)`);
    }
    return 0;
  } finally {
    await sdk.close();
  }
}
