import { ALL_RULES } from './rules';
import { SEVERITY_ORDER, type Finding, type PolicyRule, type Severity, type TerraformJson } from './types';

export { ALL_RULES, SEVERITY_ORDER };
export type { Finding, PolicyRule, Severity, TerraformJson };
export { extractIam, extractIamStatements } from './iam-statements';
export type { DocumentRole, IamStatement, OpaquePolicy, PolicyAttachment, StackIam } from './iam-statements';

/**
 * Runs every rule over one synthesized stack (the parsed cdk.tf.json) and returns the findings, most severe
 * first. Rules only look at resource types they know, so any stack can be passed.
 */
export function evaluateStack(stackJson: object, rules: readonly PolicyRule[] = ALL_RULES): Finding[] {
  const stack = stackJson as TerraformJson;
  return rules
    .flatMap((rule) => rule.check(stack))
    .sort((a, b) => SEVERITY_ORDER.indexOf(b.severity) - SEVERITY_ORDER.indexOf(a.severity) || a.ruleId.localeCompare(b.ruleId));
}
