import { FAIL_ON_LEVELS, FailOn } from './options';
import { Review } from './review';
import { ReviewFinding } from './findings-diff';

const rank = (severity: string): number => FAIL_ON_LEVELS.indexOf(severity.toLowerCase() as FailOn);

/** New findings at or above the `--fail-on` level: any of them makes the review exit 1. */
export function blockingFindings(review: Review, failOn: FailOn | undefined): ReviewFinding[] {
  if (failOn === undefined) return [];
  const threshold = rank(failOn);
  return review.stacks.flatMap((s) => s.findings.new).filter((f) => rank(f.severity) >= threshold);
}
