/**
 * The `--threshold` grammar (k6's thresholds, on the report's own keys):
 *
 *   threshold  := condition ("," option)*
 *   condition  := key op number            spaces allowed around op
 *   key        := name ("." name)*         a dotted path into the report: latencyMs.p99, verify.missing
 *   name       := [A-Za-z_][A-Za-z0-9_]*
 *   op         := "<" | "<=" | ">" | ">=" | "==" | "!="
 *   option     := "abortOnFail" | "delayAbortEval=" duration
 *
 * Small enough that a parser library would be larger than the grammar; every rule has a test.
 */
import { parseDuration } from '../shared/duration';

export const COMPARISONS = ['<=', '>=', '==', '!=', '<', '>'] as const;
export type Comparison = (typeof COMPARISONS)[number];

export interface Threshold {
  /** The expression as given (trimmed), to name it in the summary. */
  readonly expression: string;
  /** Dotted path into the report. */
  readonly key: string;
  readonly op: Comparison;
  readonly limit: number;
  /** Stop scheduling (and drain) as soon as it fails during the run. */
  readonly abortOnFail: boolean;
  /** With abortOnFail: not checked during the first this-many ms (early values are noisy). */
  readonly delayAbortEvalMs: number;
}

export type ParsedThreshold = { readonly ok: true; readonly threshold: Threshold } | { readonly ok: false; readonly expected: string };

export const THRESHOLD_SYNTAX = '<report key><op><number>[,abortOnFail[,delayAbortEval=<duration>]] with op one of < <= > >= == !=, e.g. latencyMs.p99<50';

const KEY = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const OP = /(<=|>=|==|!=|<|>|=)/;

const fail = (expected: string): ParsedThreshold => ({ ok: false, expected });

function parseCondition(text: string): { key: string; op: Comparison; limit: number } | string {
  const parts = text.split(OP);
  // [key, op, number] exactly: a second operator or none at all leaves another shape.
  if (parts.length !== 3) return THRESHOLD_SYNTAX;
  const [keyText, opText, numberText] = parts.map((p) => p.trim());
  if (opText === '=') return `${THRESHOLD_SYNTAX} ("=" compares nothing: use ==)`;
  if (!KEY.test(keyText)) return `${THRESHOLD_SYNTAX} (the key ${JSON.stringify(keyText)} is not a dotted name)`;
  if (!NUMBER.test(numberText)) return `${THRESHOLD_SYNTAX} (${JSON.stringify(numberText)} is not a number)`;
  return { key: keyText, op: opText as Comparison, limit: Number(numberText) };
}

export function parseThreshold(input: string): ParsedThreshold {
  const expression = input.trim();
  const [conditionText, ...optionTexts] = expression.split(',');
  const condition = parseCondition(conditionText);
  if (typeof condition === 'string') return fail(condition);
  let abortOnFail = false;
  let delayAbortEvalMs: number | undefined;
  for (const raw of optionTexts) {
    const option = raw.trim();
    if (option === 'abortOnFail') {
      abortOnFail = true;
    } else if (option.startsWith('delayAbortEval=')) {
      delayAbortEvalMs = parseDuration(option.slice('delayAbortEval='.length));
      if (delayAbortEvalMs === undefined) return fail(`delayAbortEval=<duration> such as 10s or 1m30s, not ${JSON.stringify(option)}`);
    } else {
      return fail(`options abortOnFail and delayAbortEval=<duration> after the condition, not ${JSON.stringify(option)}`);
    }
  }
  if (delayAbortEvalMs !== undefined && !abortOnFail) return fail('delayAbortEval only together with abortOnFail');
  return { ok: true, threshold: { expression, ...condition, abortOnFail, delayAbortEvalMs: delayAbortEvalMs ?? 0 } };
}

export function compare(value: number, op: Comparison, limit: number): boolean {
  switch (op) {
    case '<':
      return value < limit;
    case '<=':
      return value <= limit;
    case '>':
      return value > limit;
    case '>=':
      return value >= limit;
    case '==':
      return value === limit;
    case '!=':
      return value !== limit;
  }
}
