import { stat } from 'node:fs/promises';
import path from 'node:path';
import { exportNameFor } from '../../engine/index.js';
import { CliError, openExistingSdk, out } from '../common.js';
import { helpText, parseCommand } from '../options.js';
import { resolveSkill } from '../resolve.js';
import { SPECS } from '../specs.js';

/**
 * Where a folder export goes. The spec wants the folder named after the skill, so `--to` is the
 * parent (`<to>/<slug>/`), created when missing; a `--to` that already ends in the slug and does
 * not exist yet is taken as the skill folder itself, which is what people who type it mean.
 */
async function dirTarget(to: string, slug: string): Promise<string> {
  const exists = await stat(to).then(() => true, () => false);
  if (!exists && path.basename(path.resolve(to)) === slug) return to;
  return path.join(to, slug);
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(SPECS.export, argv);
  if (values.help) return (out(helpText(SPECS.export)), 0);
  const ref = positionals[0];
  if (!ref) throw new CliError('missing <id|slug>; see --help', 2);
  const format = values.format;
  if (format !== 'dir' && format !== 'md' && format !== 'zip') throw new CliError(`--format must be dir, md or zip, got "${format}"`, 2);
  if (format !== 'md' && !values.to) throw new CliError(`--format ${format} needs --to PATH`, 2);
  const sdk = await openExistingSdk(values.store);
  try {
    const skill = resolveSkill(sdk, ref, { userId: values.user });
    // --spec: the folder is named after the spec name, which may differ from the store's slug.
    // --ascii-names implies --spec: only a spec export renames the folder.
    const spec = values.spec || values['ascii-names'];
    const folder = spec ? exportNameFor(skill, { ascii: values['ascii-names'] ?? false }) : skill.slug;
    // Printed as given (relative stays relative), not resolved against the working directory.
    const dest = format === 'dir' ? await dirTarget(values.to!, folder) : values.to;
    const result = await sdk.export(skill.id, format, dest, undefined, spec ? { spec: { name: folder } } : {});
    if (dest !== undefined) out(`exported ${folder} (${skill.id}) to ${dest}`);
    else if (result.text !== undefined) process.stdout.write(result.text);
    return 0;
  } catch (err) {
    if ((err as { code?: string }).code === 'conflict') throw new CliError(`${values.to}: the destination already exists; nothing was overwritten`);
    throw err;
  } finally {
    await sdk.close();
  }
}
