/**
 * Resolves a generator spec: a built-in name, or a CommonJS/ESM module file whose default export (or
 * `module.exports`) is `{ name, create(ctx) }`. Loaded with a real dynamic import(), so ESM works.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { firstLine } from '../shared/errors';
import { iotSensor } from './iot-sensor';
import { pocProducer } from './poc-producer';
import type { GeneratorPlugin } from './types';

export const BUILT_IN_GENERATORS: Readonly<Record<string, GeneratorPlugin>> = Object.fromEntries(
  [iotSensor, pocProducer].map((plugin) => [plugin.name, plugin]),
);

/** The spec names no usable generator; `expected` says what would have been accepted. */
export class GeneratorLoadError extends Error {
  override readonly name = 'GeneratorLoadError';
  constructor(
    readonly spec: string,
    readonly expected: string,
  ) {
    super(`cannot load generator ${JSON.stringify(spec)}: expected ${expected}`);
  }
}

const MODULE_FILE = /\.(c|m)?(j|t)s$/;
const TS_FILE = /\.c?ts$/;

function looksLikePath(spec: string): boolean {
  return spec.includes('/') || spec.includes('\\') || MODULE_FILE.test(spec);
}

function isPlugin(value: unknown): value is GeneratorPlugin {
  const v = value as Partial<GeneratorPlugin> | null;
  return !!v && typeof v === 'object' && typeof v.name === 'string' && typeof v.create === 'function';
}

/** Finds `{ name, create }` in what import() returned for an ESM or CommonJS module. */
function pluginFrom(mod: unknown): GeneratorPlugin | undefined {
  const m = mod as { default?: unknown } | null;
  const candidates = [m?.default, (m?.default as { default?: unknown } | undefined)?.default, m];
  return candidates.find(isPlugin);
}

export async function loadGenerator(spec: string, cwd = process.cwd()): Promise<GeneratorPlugin> {
  const builtIn = BUILT_IN_GENERATORS[spec];
  if (builtIn) return builtIn;
  const allowed = `a built-in generator (${Object.keys(BUILT_IN_GENERATORS).join(', ')}) or a path to a .js/.cjs/.mjs/.ts/.cts module`;
  if (!looksLikePath(spec)) throw new GeneratorLoadError(spec, allowed);
  const file = resolve(cwd, spec);
  if (!existsSync(file)) throw new GeneratorLoadError(spec, `${allowed}; no file at ${file}`);
  let mod: unknown;
  try {
    // TypeScript goes through tsx's require hook (bin/loadgen.js registers it); JavaScript through a real
    // import(), which loads ESM and CommonJS alike.
    mod = TS_FILE.test(file) ? require(file) : await import(pathToFileURL(file).href);
  } catch (error) {
    const reason = firstLine(error);
    throw new GeneratorLoadError(spec, `a module that loads; loading failed: ${reason}`);
  }
  const plugin = pluginFrom(mod);
  if (!plugin) {
    throw new GeneratorLoadError(spec, 'a module whose default export (or module.exports) is { name, create(ctx) }');
  }
  return plugin;
}
