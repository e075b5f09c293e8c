import { isRecord } from './terraform-json';

/**
 * Flattens a resource body into leaf paths such as `server_side_encryption.key_id` or
 * `rule[0].apply_server_side_encryption_by_default.sse_algorithm`, so a change is reported at the
 * attribute that changed rather than as a whole nested block. Lists of scalars (action lists, subnet ids)
 * stay one leaf: their order and membership are the value.
 */
export function flatten(value: unknown, prefix = ''): Map<string, unknown> {
  const leaves = new Map<string, unknown>();
  const empty = (Array.isArray(value) && value.length === 0) || (isRecord(value) && Object.keys(value).length === 0);
  if (prefix === '' && empty) return leaves; // nothing at all, not an attribute whose value is {}
  visit(value, prefix, leaves);
  return leaves;
}

function visit(value: unknown, path: string, leaves: Map<string, unknown>): void {
  if (Array.isArray(value) && value.some((item) => isRecord(item) || Array.isArray(item))) {
    value.forEach((item, index) => visit(item, `${path}[${index}]`, leaves));
    if (value.length === 0) leaves.set(path, []);
    return;
  }
  if (isRecord(value) && Object.keys(value).length > 0) {
    for (const [key, child] of Object.entries(value)) visit(child, path ? `${path}.${key}` : key, leaves);
    return;
  }
  leaves.set(path, value);
}

/** Structural equality for JSON values (key order of objects does not matter). */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** JSON text with object keys sorted, so equal values give equal strings. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isRecord(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys(value[key])]),
  );
}
