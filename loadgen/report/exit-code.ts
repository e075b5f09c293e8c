/**
 * A run's exit code from its report, the same for a run and for a merge of runs: 1 when the run could not be done
 * (an error, the endpoint gone), 99 when a threshold failed, 1 when records failed for good, were left unconfirmed
 * (unless the output's reader closed it) or verification found some missing, else 0.
 */
import { EXIT_FAILED, EXIT_OK, EXIT_THRESHOLDS } from '../shared/exit-codes';
import type { RunReport } from './report';

export function exitCodeOf(report: Omit<RunReport, 'exitCode'>): number {
  if (report.stopReason === 'failed' || report.stopReason === 'unreachable') return EXIT_FAILED;
  if (report.thresholds?.some((t) => !t.ok)) return EXIT_THRESHOLDS;
  // `| head` asked for no more: what was still queued is not a failure.
  const abandoned = report.recordsUnsent > 0 && report.stopReason !== 'output-closed';
  return report.recordsFailed > 0 || abandoned || (report.verify?.missing ?? 0) > 0 ? EXIT_FAILED : EXIT_OK;
}
