/** A plain JSON object (not null, not an array): what parsed reports and stack outputs are checked against. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
