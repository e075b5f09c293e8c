import { diffFindings, FindingsDiff, ReviewFinding } from './findings-diff';
import { diffIam, IamDiff } from './iam-diff';
import { diffResources, ResourceDiff } from './resource-diff';
import { StackSet } from './synth-dir';
import { TerraformJson } from './terraform-json';

/** What a change does to one stack. */
export interface StackReview extends ResourceDiff {
  readonly name: string;
  /** `new`/`deleted` when the stack exists on one side only. */
  readonly status: 'new' | 'deleted' | 'changed' | 'unchanged';
  readonly iam: IamDiff;
  readonly findings: FindingsDiff;
}

export interface Review {
  readonly base: string;
  readonly head: string;
  readonly notes: string[];
  readonly stacks: StackReview[];
}

export type Evaluate = (stack: TerraformJson) => ReviewFinding[];

function hasChanges(s: Omit<StackReview, 'status' | 'name'>): boolean {
  const { iam, findings } = s;
  return (
    s.added.length + s.removed.length + s.changed.length + s.settings.length > 0 ||
    iam.added.length + iam.removed.length + iam.attachmentsAdded.length + iam.attachmentsRemoved.length > 0 ||
    findings.new.length + findings.resolved.length > 0
  );
}

export function reviewStack(name: string, base: TerraformJson | undefined, head: TerraformJson | undefined, evaluate: Evaluate): StackReview {
  const before = base ?? {};
  const after = head ?? {};
  const body = {
    ...diffResources(before, after),
    iam: diffIam(before, after),
    findings: diffFindings(base ? evaluate(before) : [], head ? evaluate(after) : []),
  };
  const status = !base ? 'new' : !head ? 'deleted' : hasChanges(body) ? 'changed' : 'unchanged';
  return { name, status, ...body };
}

/** Reviews every stack found on either side, head stacks first in name order. */
export function buildReview(
  labels: { base: string; head: string; notes?: string[] },
  base: StackSet,
  head: StackSet,
  evaluate: Evaluate,
): Review {
  const names = [...new Set([...head.keys(), ...base.keys()])].sort();
  return {
    base: labels.base,
    head: labels.head,
    notes: labels.notes ?? [],
    stacks: names.map((name) => reviewStack(name, base.get(name), head.get(name), evaluate)),
  };
}
