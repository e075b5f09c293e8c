import type { z } from 'zod';
import { appConfigSchema } from './schema';
import { unwrapSchema } from './zod-helpers';

/**
 * Every leaf key of the app config as a dotted path (`stream.shardCount`, `tags`), for the README's config
 * reference test. Records and arrays are leaves; defaults, optionals and refinements are looked through.
 */
export function configKeys(schema: z.core.$ZodType = appConfigSchema, prefix = ''): string[] {
  const def = unwrapSchema(schema)._zod.def as { type: string; shape?: Record<string, z.core.$ZodType> };
  if (def.type !== 'object' || !def.shape) return [prefix];
  return Object.entries(def.shape).flatMap(([key, child]) => configKeys(child, prefix ? `${prefix}.${key}` : key));
}
