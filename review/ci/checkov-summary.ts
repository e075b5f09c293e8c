import { isRecord } from '../terraform-json';

export interface CheckovFailure {
  readonly checkId: string;
  readonly name: string;
  readonly resource: string;
  readonly file: string;
}

export type CheckovResult =
  | { readonly ok: true; readonly passed: number; readonly failed: CheckovFailure[]; readonly parsingErrors: string[] }
  | { readonly ok: false; readonly reason: string };

/**
 * Reads `checkov --output json`: one report object, a list of them (several frameworks), or a bare summary
 * (nothing scanned). Anything else means checkov did not produce a report; on `cdk.tf.json` that is a known
 * checkov problem (its terraform_json parser crashes on some cdktf output), so the caller reports it and
 * moves on rather than failing the job.
 */
export function parseCheckov(text: string | undefined): CheckovResult {
  if (text === undefined || text.trim() === '') return { ok: false, reason: 'no report file: the scan step did not run or checkov crashed' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'checkov output is not JSON (it may have crashed parsing cdk.tf.json)' };
  }
  const reports = (Array.isArray(parsed) ? parsed : [parsed]).filter(isRecord);
  if (reports.length === 0) return { ok: false, reason: 'checkov report is empty' };
  let passed = 0;
  const failed: CheckovFailure[] = [];
  const parsingErrors: string[] = [];
  for (const report of reports) {
    if (!isRecord(report.results)) {
      passed += Number(report.passed ?? 0); // bare summary: nothing scanned
      continue;
    }
    const { results } = report;
    passed += Array.isArray(results.passed_checks) ? results.passed_checks.length : 0;
    for (const check of Array.isArray(results.failed_checks) ? results.failed_checks : []) {
      if (!isRecord(check)) continue;
      failed.push({
        checkId: String(check.check_id),
        name: String(check.check_name ?? ''),
        resource: String(check.resource ?? ''),
        file: String(check.file_path ?? ''),
      });
    }
    if (Array.isArray(results.parsing_errors)) parsingErrors.push(...results.parsing_errors.map(String));
  }
  return { ok: true, passed, failed, parsingErrors };
}
