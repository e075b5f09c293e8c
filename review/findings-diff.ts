/** The fields of a policy-module finding the review uses (structurally the policy module's `Finding`). */
export interface ReviewFinding {
  readonly ruleId: string;
  readonly severity: string;
  readonly address: string;
  readonly message: string;
}

export interface FindingsDiff<F extends ReviewFinding = ReviewFinding> {
  /** In the head, not in the base: what this change introduces. */
  readonly new: F[];
  /** In the base, not in the head: what this change fixes. */
  readonly resolved: F[];
  /** Present on both sides (not listed; the count tells the reviewer it is known debt). */
  readonly unchanged: number;
}

/** A finding is the same finding on both sides when rule and address match; the message may differ. */
export const findingKey = (f: ReviewFinding): string => `${f.ruleId}@${f.address}`;

export function diffFindings<F extends ReviewFinding>(base: F[], head: F[]): FindingsDiff<F> {
  const baseKeys = new Set(base.map(findingKey));
  const headKeys = new Set(head.map(findingKey));
  const order = (a: F, b: F): number => findingKey(a).localeCompare(findingKey(b));
  return {
    new: head.filter((f) => !baseKeys.has(findingKey(f))).sort(order),
    resolved: base.filter((f) => !headKeys.has(findingKey(f))).sort(order),
    unchanged: head.filter((f) => baseKeys.has(findingKey(f))).length,
  };
}
