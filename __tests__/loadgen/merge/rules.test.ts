/**
 * Every key a report can have has a declared merge rule. The rule tables are typed against the report's types, so a
 * key added to RunReport does not compile without one; this test walks real reports for keys the types do not show
 * (a field spread into series points, a nested object), so a key added at run time fails here.
 */
import { Metrics } from '../../../loadgen/metrics/ledger';
import { REPORT_RULES, ruleAt } from '../../../loadgen/merge/rules';
import { buildReport, reportTemplate, type RunReport } from '../../../loadgen/report/report';
import { main } from '../../../loadgen/cli/main';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureIo } from '../helpers';

/** Every key path in a report: objects entered, list entries (series points, shards, thresholds) entered too. */
function keyPaths(value: unknown, prefix: string[] = []): string[][] {
  if (Array.isArray(value)) return value.flatMap((entry) => keyPaths(entry, prefix));
  if (value === null || typeof value !== 'object') return prefix.length ? [prefix] : [];
  const paths: string[][] = prefix.length ? [prefix] : [];
  for (const [key, child] of Object.entries(value)) paths.push(...keyPaths(child, [...prefix, key]));
  return paths;
}

const unique = (paths: string[][]): string[][] => [...new Map(paths.map((p) => [p.join('.'), p])).values()];

describe('merge rules', () => {
  let real: RunReport;

  beforeAll(async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'loadgen-rules-')), 'run.json');
    // The widest report a run writes: verified, with thresholds, on a stream with shards.
    const code = await main(['run', '--rate', 'max', '--records', '2000', '--verify', '--quiet', '--threshold', 'recordsAcked>0', '--report', path], captureIo());
    expect(code).toBe(0);
    real = JSON.parse(readFileSync(path, 'utf8'));
  });

  it('declares a rule for every key of a real report, of the template, and of an unreachable run\'s report', () => {
    const { startedAt: _at, exitCode: _code, ...template } = reportTemplate();
    const context = { ...template, keys: { ...template.keys!, expectedShares: {} }, startedAt: new Date(0), unreachable: { code: 'ECONNREFUSED', forMs: 5000 } };
    const unreachable = buildReport(context, new Metrics(0).snapshot(0), undefined, 1);
    expect(unreachable.unreachable).toEqual({ code: 'ECONNREFUSED', forSeconds: 5 });
    const paths = unique([...keyPaths(real), ...keyPaths(reportTemplate()), ...keyPaths(unreachable)]);
    expect(paths.length).toBeGreaterThan(60);
    const without = paths.filter((path) => ruleAt(path) === undefined).map((path) => path.join('.'));
    expect(without).toEqual([]);
  });

  it('finds no rule for a key nobody declared, at the top or nested', () => {
    expect(ruleAt(['newKey'])).toBeUndefined();
    expect(ruleAt(['verify', 'newKey'])).toBeUndefined();
    expect(ruleAt(['series', 'newKey'])).toBeUndefined();
    expect(ruleAt(['shards', 'newKey'])).toBeUndefined();
    expect(ruleAt(['client', 'newKey'])).toBeUndefined();
  });

  it('declares rules only for keys reports have (no rule outlives its key)', () => {
    const keys = new Set([...Object.keys(real), ...Object.keys(reportTemplate()), 'unreachable']);
    expect(Object.keys(REPORT_RULES).filter((key) => !keys.has(key))).toEqual([]);
  });
});
