import { ScopeSchema } from '../../engine/index.js';
import { CliError, cliUserId, intFlag, numberFlag, openExistingSdk, out } from '../common.js';
import { helpText, parseCommand } from '../options.js';
import { ownerLabel } from '../resolve.js';
import { SPECS } from '../specs.js';

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(SPECS.search, argv);
  if (values.help) return (out(helpText(SPECS.search)), 0);
  const query = positionals.join(' ').trim();
  if (!query) throw new CliError('missing "<query>"; see --help', 2);
  const scope = ScopeSchema.safeParse(values.scope);
  if (!scope.success) throw new CliError(`--scope must be all, user or common, got "${values.scope}"`, 2);

  const sdk = await openExistingSdk(values.store);
  try {
    const hits = await sdk.search(query, {
      userId: cliUserId(values.user),
      scope: scope.data,
      limit: intFlag(values['top-k'], 'top-k', 5),
      minScore: numberFlag(values['min-score'], 'min-score', 0),
      ...(values.tag ? { filters: { tags: values.tag } } : {}),
    });
    if (values.json) {
      out(
        JSON.stringify(
          hits.map((h) => ({
            id: h.skill.id,
            name: h.skill.name,
            slug: h.skill.slug,
            description: h.skill.description,
            version: h.skill.version,
            owner: h.skill.owner,
            score: round(h.score),
            lexical: round(h.lexical),
            semantic: round(h.semantic),
          })),
          null,
          2,
        ),
      );
    } else if (values.render) {
      out(sdk.render(hits, { query }).text);
    } else if (hits.length === 0) {
      out('no skills matched');
    } else {
      hits.forEach((h, i) => {
        out(`${i + 1}. ${h.score.toFixed(3)}  ${h.skill.name}  (v${h.skill.version}, ${ownerLabel(h.skill.owner)}, ${h.skill.id})`);
        out(`   ${truncate(h.skill.description, 160)}`);
      });
    }
    return 0;
  } finally {
    await sdk.close();
  }
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;
const truncate = (s: string, n: number) => (s.length > n ? s.slice(0, n - 1) + '…' : s);
