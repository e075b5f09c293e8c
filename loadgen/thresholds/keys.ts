/**
 * Which keys a threshold may name: the numeric keys of a report, read from a template report (every key a run
 * can have, zeros throughout) rather than a hand-kept list, so keys added to the report work at once.
 */
import type { Threshold } from './expression';

/** The exit code depends on the thresholds, so no threshold may depend on it. */
const EXCLUDED = new Set(['exitCode']);

/** Dotted paths to the number (or null: "no value in this run") leaves of plain objects; arrays are not entered. */
export function numericKeys(report: object, prefix = ''): string[] {
  const keys: string[] = [];
  for (const [name, value] of Object.entries(report)) {
    const key = `${prefix}${name}`;
    if (EXCLUDED.has(key)) continue;
    if (typeof value === 'number' || value === null) keys.push(key);
    else if (typeof value === 'object' && !Array.isArray(value)) keys.push(...numericKeys(value, `${key}.`));
  }
  return keys;
}

/** What the key could have been: the numbers under its parent when that exists, else the top-level names. */
function candidates(key: string, keys: readonly string[]): string {
  const parent = key.includes('.') ? key.slice(0, key.lastIndexOf('.') + 1) : '';
  const siblings = parent ? keys.filter((k) => k.startsWith(parent) && !k.slice(parent.length).includes('.')) : [];
  if (siblings.length) return siblings.join(', ');
  const top = new Set(keys.map((k) => (k.includes('.') ? `${k.slice(0, k.indexOf('.'))}.*` : k)));
  return [...top].join(', ');
}

export interface KeyContext {
  /** A template report of a run with --verify (the widest report there is). */
  readonly template: object;
  /** Whether this run verifies (verify.* keys exist only then). */
  readonly verify: boolean;
  /** Whether this run watches the consumer (consumer.* keys exist only then). @default false */
  readonly watchConsumer?: boolean;
}

/** Why the threshold's key cannot be used in this run (what is allowed), or undefined when it can. */
export function keyProblem(threshold: Threshold, context: KeyContext): string | undefined {
  const { key } = threshold;
  if (EXCLUDED.has(key)) return `a key other than ${key} (it depends on the thresholds)`;
  const keys = numericKeys(context.template);
  if (!keys.includes(key)) return `a number the report has: ${candidates(key, keys)} (README "Thresholds")`;
  const isVerifyKey = key.startsWith('verify.');
  if (isVerifyKey && !context.verify) return `${key} only together with --verify`;
  if (isVerifyKey && threshold.abortOnFail) return `no abortOnFail on ${key}: it is known only after the run, when the stream is read back`;
  const isConsumerKey = key.startsWith('consumer.');
  if (isConsumerKey && !context.watchConsumer) return `${key} only together with --watch-consumer`;
  if (isConsumerKey && threshold.abortOnFail) return `no abortOnFail on ${key}: CloudWatch publishes it minutes late, so it is judged after the run`;
  return undefined;
}
