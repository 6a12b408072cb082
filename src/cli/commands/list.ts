import { ScopeSchema } from '../../engine/skill/schema.js';
import { CliError, STORE_OPTIONS, openSdk, out, parse } from '../common.js';

const HELP = `usage: autoskill list [--store DIR] [--user U] [--scope all|user|common] [--json]`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    ...STORE_OPTIONS,
    user: { type: 'string' },
    scope: { type: 'string', default: 'all' },
    json: { type: 'boolean' },
  }, false);
  if (values.help) return (out(HELP), 0);
  const scope = ScopeSchema.safeParse(values.scope);
  if (!scope.success) throw new CliError(`--scope must be all, user or common, got "${values.scope}"`, 2);
  const sdk = await openSdk(values.store);
  try {
    const skills = sdk.list({ ...(values.user ? { userId: values.user } : {}), scope: scope.data });
    if (values.json) {
      out(JSON.stringify(skills.map(({ id, name, version, owner, description, tags }) => ({ id, name, version, owner, description, tags })), null, 2));
    } else {
      for (const s of skills) out(`${s.id}  v${s.version}  ${s.owner}  ${s.name}`);
      out(`${skills.length} skill(s)`);
    }
    return 0;
  } finally {
    await sdk.close();
  }
}
