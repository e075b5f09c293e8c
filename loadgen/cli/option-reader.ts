/** Reads option values as commander hands them over, collecting every problem instead of stopping at the first. */
import { badOption } from '../shared/errors';
import { parseDuration } from '../shared/duration';

/** Option values as commander hands them over: strings, lists of strings for repeatable options, or true for flags. */
export type RawOptions = Readonly<Record<string, string | readonly string[] | boolean | undefined>>;

export type Parsed<T> = { ok: true; options: T } | { ok: false; problems: string[] };

export type Env = Readonly<Record<string, string | undefined>>;

export const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Collects problems while reading options, so one call reports all of them. */
export class Reader {
  readonly problems: string[] = [];
  constructor(private readonly raw: RawOptions) {}

  has(key: string): boolean {
    return this.raw[key] !== undefined;
  }

  string(key: string): string | undefined {
    const value = this.raw[key];
    return typeof value === 'string' ? value : undefined;
  }

  /** Every value of a repeatable option, in order. */
  list(key: string): readonly string[] {
    const value = this.raw[key];
    if (typeof value === 'string') return [value];
    return Array.isArray(value) ? value : [];
  }

  flag(key: string): boolean {
    return this.raw[key] === true;
  }

  problem(option: string, value: unknown, allowed: string): undefined {
    this.problems.push(badOption(option, value, allowed));
    return undefined;
  }

  /** An integer in [min, max]. */
  integer(key: string, option: string, min: number, max: number): number | undefined {
    const text = this.string(key);
    if (text === undefined) return undefined;
    const value = NUMBER.test(text.trim()) ? Number(text) : NaN;
    if (!Number.isInteger(value) || value < min || value > max) {
      return this.problem(option, text, `an integer from ${min} to ${max}`);
    }
    return value;
  }

  /** A finite number with an inclusive or exclusive lower bound and an optional upper bound. */
  number(key: string, option: string, check: (n: number) => boolean, allowed: string): number | undefined {
    const text = this.string(key);
    if (text === undefined) return undefined;
    const value = NUMBER.test(text.trim()) ? Number(text) : NaN;
    if (!Number.isFinite(value) || !check(value)) return this.problem(option, text, allowed);
    return value;
  }

  duration(key: string, option: string, allowZero = false): number | undefined {
    const text = this.string(key);
    if (text === undefined) return undefined;
    const ms = parseDuration(text);
    if (ms === undefined || (!allowZero && ms <= 0)) {
      return this.problem(option, text, 'a duration such as 500ms, 30s, 5m, 1h or 1m30s');
    }
    return ms;
  }
}
