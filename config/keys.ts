import type { z } from 'zod';
import { appConfigSchema } from './schema';

/**
 * Every leaf key of the app config as a dotted path (`stream.shardCount`, `tags`), for the README's config
 * reference test. Records and arrays are leaves; defaults, optionals and refinements are looked through.
 */
export function configKeys(schema: z.core.$ZodType = appConfigSchema, prefix = ''): string[] {
  const def = unwrap(schema)._zod.def as { type: string; shape?: Record<string, z.core.$ZodType> };
  if (def.type !== 'object' || !def.shape) return [prefix];
  return Object.entries(def.shape).flatMap(([key, child]) => configKeys(child, prefix ? `${prefix}.${key}` : key));
}

function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let cur = schema;
  for (;;) {
    const def = cur._zod.def as { type: string; innerType?: z.core.$ZodType; in?: z.core.$ZodType };
    if (def.innerType) cur = def.innerType;
    else if (def.type === 'pipe' && def.in) cur = def.in;
    else return cur;
  }
}
