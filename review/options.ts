import { Command, CommanderError } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { SEVERITY_ORDER, type Severity } from '../policy';

export const FORMATS = ['md', 'json'] as const;
export type Format = (typeof FORMATS)[number];
export type FailOn = Lowercase<Severity>;
/** Lowest to highest: the policy module's severities, as users type them. */
export const FAIL_ON_LEVELS: readonly FailOn[] = SEVERITY_ORDER.map((s) => s.toLowerCase() as FailOn);

export interface ReviewOptions {
  readonly base: string;
  /** Undefined means the working tree. */
  readonly head?: string;
  readonly format: Format;
  readonly out?: string;
  readonly failOn?: FailOn;
}

/** Bad command-line input: the message is one line naming the option, the value and what is allowed. */
export class OptionError extends Error {}

function oneOf<T extends string>(option: string, value: string, allowed: readonly T[]): T {
  const lower = value.toLowerCase();
  if (!(allowed as readonly string[]).includes(lower)) {
    throw new OptionError(`${option} must be one of ${allowed.join(', ')}, got "${value}"`);
  }
  return lower as T;
}

const USAGE = `npm run review -- --base <dir|git-ref> [--head <dir|git-ref>] [--format md|json] [--out file] [--fail-on ${FAIL_ON_LEVELS.join('|')}]`;

/** Parses `argv` (without node and script); throws OptionError on anything malformed. */
export function parseOptions(argv: string[]): ReviewOptions {
  const program = new Command('review')
    .usage(USAGE.replace('npm run review -- ', ''))
    .option('--base <dir|git-ref>', 'what the change starts from: a synthesized output folder or a git ref')
    .option('--head <dir|git-ref>', 'the changed version (default: the working tree)')
    .option('--format <format>', 'md or json', 'md')
    .option('--out <file>', 'write the report to this file instead of stdout')
    .option('--fail-on <severity>', 'exit 1 when a new finding has this severity or higher')
    .helpOption(false)
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  try {
    program.parse(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) throw new OptionError(`${error.message.replace(/^error: /, '')}; usage: ${USAGE}`);
    throw error;
  }
  const raw = program.opts<{ base?: string; head?: string; format: string; out?: string; failOn?: string }>();
  if (!raw.base) throw new OptionError(`--base is required (a synthesized output folder or a git ref); usage: ${USAGE}`);
  const format = oneOf('--format', raw.format, FORMATS);
  const failOn = raw.failOn === undefined ? undefined : oneOf('--fail-on', raw.failOn, FAIL_ON_LEVELS);
  if (raw.out !== undefined) {
    const parent = dirname(resolve(raw.out));
    if (!existsSync(parent) || !statSync(parent).isDirectory()) {
      throw new OptionError(`--out folder does not exist: "${parent}" (create it first)`);
    }
  }
  return {
    base: raw.base,
    ...(raw.head !== undefined ? { head: raw.head } : {}),
    format,
    ...(raw.out !== undefined ? { out: raw.out } : {}),
    ...(failOn !== undefined ? { failOn } : {}),
  };
}
