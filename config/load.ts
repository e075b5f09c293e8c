import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { appConfigSchema, type AppConfig } from './schema';
import { unwrapSchema } from './zod-helpers';

/** A bad config: the message is one line naming the key, the value received and what is allowed. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Where config/<stage>.json files live; CONFIG_DIR overrides it (tests point it at a temp dir). */
export const DEFAULT_CONFIG_DIR = __dirname;

/** Reads and validates `<configDir>/<stage>.json`. Throws ConfigError on the first problem found. */
export function loadConfig(
  stage: string = process.env.STAGE || 'dev',
  configDir: string = process.env.CONFIG_DIR || DEFAULT_CONFIG_DIR,
): AppConfig {
  if (!/^[a-z][a-z0-9-]{0,11}$/.test(stage)) {
    throw new ConfigError(`STAGE must be 1-12 of a-z, 0-9 and -, starting with a letter, got ${JSON.stringify(stage)}`);
  }
  const file = join(configDir, `${stage}.json`);
  if (!existsSync(file)) {
    const known = existsSync(configDir) ? readdirSync(configDir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)) : [];
    throw new ConfigError(`STAGE ${JSON.stringify(stage)} has no config file ${file} (stages: ${known.join(', ') || 'none'})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`${file} is not valid JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  const parsed = appConfigSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(describeIssue(parsed.error.issues[0], raw));
  if (parsed.data.stage !== stage) {
    throw new ConfigError(`stage must equal the STAGE it is loaded for (${JSON.stringify(stage)}), got ${JSON.stringify(parsed.data.stage)}`);
  }
  return parsed.data;
}

/**
 * For an app entry point (main.ts, bootstrap/main.ts): the config of STAGE, or one line on stderr and exit
 * code 2 when it is bad.
 */
export function loadConfigOrExit(): AppConfig {
  try {
    return loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`config: ${err.message}\n`);
    process.exit(2);
  }
}

/** Validates an in-memory config object the same way (for tests and tools). */
export function parseConfig(raw: unknown): AppConfig {
  const parsed = appConfigSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(describeIssue(parsed.error.issues[0], raw));
  return parsed.data;
}

/** One issue as "<key> <rule>, got <value>". */
export function describeIssue(issue: z.core.$ZodIssue, raw: unknown): string {
  const key = issue.path.map(String).join('.') || '(config root)';
  const value = valueAt(raw, issue.path);
  const got = `got ${show(value)}`;
  switch (issue.code) {
    case 'unrecognized_keys': {
      const unknown = issue.keys.map((k) => (issue.path.length ? `${key}.${k}` : k));
      const allowed = keysAt(issue.path);
      return `${unknown.join(', ')} ${unknown.length > 1 ? 'are not config keys' : 'is not a config key'} (allowed here: ${allowed.join(', ')})`;
    }
    case 'invalid_type':
      if (value === undefined) return `${key} is required (a ${issue.expected})`;
      return issue.message.startsWith('must') ? `${key} ${issue.message}, ${got}` : `${key} must be a ${issue.expected}, ${got}`;
    default:
      return `${key} ${issue.message.startsWith('must') || issue.message.startsWith('is ') ? issue.message : `is invalid: ${issue.message}`}, ${got}`;
  }
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = raw;
  for (const part of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[part];
  }
  return cur;
}

/** The keys the schema accepts at a path (for "allowed here"), unwrapping defaults, optionals and refinements. */
function keysAt(path: readonly PropertyKey[]): string[] {
  let schema: z.core.$ZodType | undefined = appConfigSchema;
  for (const part of [...path, undefined]) {
    if (!schema) return [];
    schema = unwrapSchema(schema);
    if (part === undefined) break;
    const def = schema._zod.def as { type: string; shape?: Record<string, z.core.$ZodType> };
    schema = def.type === 'object' ? def.shape?.[String(part)] : undefined;
  }
  const def = schema?._zod.def as { type: string; shape?: Record<string, unknown> } | undefined;
  return def?.type === 'object' ? Object.keys(def.shape ?? {}) : [];
}
