/** The parsed `cdk.tf.json` of one synthesized stack. */
export type TerraformJson = Record<string, unknown>;

export type Severity = 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

/** Lowest to highest. */
export const SEVERITY_ORDER: readonly Severity[] = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  /** Terraform address of the offending block, e.g. `aws_s3_bucket.lake_bucket_1A2B`. */
  readonly address: string;
  readonly message: string;
  /** The matching checkov rule id(s), where one exists. */
  readonly checkov?: string;
  /** The matching trivy rule id, where one exists. */
  readonly trivy?: string;
}

export interface PolicyRule {
  readonly id: string;
  readonly severity: Severity;
  readonly description: string;
  readonly checkov?: string;
  readonly trivy?: string;
  check(stack: TerraformJson): Finding[];
}

/** A finding of `rule` at `address`, carrying the rule's severity and scanner ids. */
export function finding(rule: Omit<PolicyRule, 'check'>, address: string, message: string): Finding {
  return {
    ruleId: rule.id,
    severity: rule.severity,
    address,
    message,
    ...(rule.checkov ? { checkov: rule.checkov } : {}),
    ...(rule.trivy ? { trivy: rule.trivy } : {}),
  };
}
