import { parseArgs } from 'node:util';
import { CliError } from './common.js';

/**
 * One declaration per command: its options (with a one-line description each), its positional
 * arguments and its summary. `--help` text and argument parsing are both generated from it, so
 * the help can never list a flag the parser rejects, or miss one it accepts.
 *
 * Why node:util parseArgs and not commander/yargs: the CLI already parses with parseArgs (strict,
 * no dependency, good errors); what was missing is only the help text, which is a small formatter
 * over the same table.
 */

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  default?: string | boolean;
  /** placeholder shown in help for a string option's value, e.g. DIR */
  arg?: string;
  /** one line for --help */
  help: string;
}

export type OptionSpecs = Record<string, OptionSpec>;

export interface CommandSpec<O extends OptionSpecs = OptionSpecs> {
  name: string;
  /** the positional part of the usage line, e.g. `<id|slug>`; '' when the command takes none */
  args: string;
  summary: string;
  /** extra paragraphs printed after the usage line */
  details?: string;
  options: O;
}

/** `--store`: every store-backed command takes it. */
export const STORE_OPTION = {
  store: { type: 'string', arg: 'DIR|URL', help: 'skill store: a folder or a postgres:// URL (default $AUTOSKILL_STORE, else ./Skills)' },
} as const satisfies OptionSpecs;

export const HELP_OPTION = {
  help: { type: 'boolean', short: 'h', help: 'print this help and exit' },
} as const satisfies OptionSpecs;

export function defineCommand<const O extends OptionSpecs>(spec: CommandSpec<O>): CommandSpec<O & typeof HELP_OPTION> {
  return { ...spec, options: { ...spec.options, ...HELP_OPTION } };
}

function flagLabel(name: string, o: OptionSpec): string {
  const long = `--${name}${o.type === 'string' ? ` ${o.arg ?? 'VALUE'}` : ''}`;
  return o.short ? `-${o.short}, ${long}` : `    ${long}`;
}

function optionLine(name: string, o: OptionSpec, width: number): string {
  const extra = [o.multiple ? 'repeatable' : '', o.default !== undefined && o.type === 'string' ? `default ${o.default}` : ''].filter(Boolean).join('; ');
  return `  ${flagLabel(name, o).padEnd(width)}  ${o.help}${extra ? ` (${extra})` : ''}`;
}

/** Usage line, details, then one line per option. */
export function helpText(spec: CommandSpec): string {
  const entries = Object.entries(spec.options);
  const width = Math.max(...entries.map(([n, o]) => flagLabel(n, o).length));
  return [
    `usage: autoskill ${spec.name}${spec.args ? ` ${spec.args}` : ''} [options]`,
    '',
    spec.summary.charAt(0).toUpperCase() + spec.summary.slice(1) + '.',
    ...(spec.details ? ['', spec.details] : []),
    '',
    'options:',
    ...entries.map(([n, o]) => optionLine(n, o, width)),
  ].join('\n');
}

/**
 * Parse argv against a declaration. Unknown flags and missing values are usage errors (exit 2).
 * Positionals are allowed only when the usage line names some.
 */
export function parseCommand<O extends OptionSpecs>(spec: CommandSpec<O>, argv: string[]) {
  try {
    return parseArgs({ args: argv, options: spec.options, allowPositionals: spec.args !== '', strict: true });
  } catch (err) {
    throw new CliError(`${(err as Error).message}; see autoskill ${spec.name} --help`, 2);
  }
}
