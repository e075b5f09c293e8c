import { z } from 'zod';

/**
 * Schema pieces shared by the config files. Messages complete the sentence "<key> ...", e.g.
 * "stream.shardCount must be >= 1"; config/load.ts adds the value received.
 */

/** A whole number in [min, max]. */
export const int = (min: number, max?: number) => {
  const base = z.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).min(min, { error: `must be >= ${min}` });
  return max === undefined ? base : base.max(max, { error: `must be <= ${max}` });
};

/** The schema under defaults, optionals, refinements and pipes: where the shape (the keys) lives. */
export function unwrapSchema(schema: z.core.$ZodType): z.core.$ZodType {
  let cur = schema;
  for (;;) {
    const def = cur._zod.def as { type: string; innerType?: z.core.$ZodType; in?: z.core.$ZodType };
    if (def.innerType) cur = def.innerType;
    else if (def.type === 'pipe' && def.in) cur = def.in;
    else return cur;
  }
}
