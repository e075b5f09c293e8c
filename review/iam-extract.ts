import { extractIam as extractStackIam, type DocumentRole, type IamStatement as PolicyStatement, type OpaquePolicy, type PolicyAttachment } from '../policy';
import type { TerraformJson } from './terraform-json';

export type { OpaquePolicy, PolicyAttachment };

/**
 * The IAM side of one stack as the review compares it. What is there comes from the policy module's
 * extraction (the one the rules use); the review only puts statements in a canonical form for diffing:
 * every list sorted, principals as `Type:identifier`, conditions as `Operator key = [values]`.
 */
export interface IamStatement {
  /** Where the statement is written: `data.aws_iam_policy_document.x` or `aws_s3_bucket_policy.p.policy`. */
  readonly source: string;
  /** What the document is used as: trust, inline, managed, bucket, key, resource, output or unused. */
  readonly role: DocumentRole;
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  readonly actions: string[];
  readonly notActions: string[];
  readonly resources: string[];
  readonly notResources: string[];
  /** `Service:ec2.amazonaws.com`, `AWS:arn:aws:iam::123:root`, or `*`. */
  readonly principals: string[];
  /** `StringEquals sts:ExternalId = [abc]`. */
  readonly conditions: string[];
  /** Resources (or outputs) that use the document. */
  readonly usedBy: string[];
}

export interface StackIam {
  readonly statements: IamStatement[];
  readonly attachments: PolicyAttachment[];
  readonly opaque: OpaquePolicy[];
}

const sortedSet = (items: string[] | undefined): string[] => [...new Set(items ?? [])].sort();

function canonical(st: PolicyStatement): IamStatement {
  return {
    source: st.address,
    role: st.documentRole,
    ...(st.sid !== undefined ? { sid: st.sid } : {}),
    effect: st.effect,
    actions: sortedSet(st.actions),
    notActions: sortedSet(st.notActions),
    resources: sortedSet(st.resources),
    notResources: sortedSet(st.notResources),
    principals: sortedSet(st.principals.flatMap((p) => p.identifiers.map((id) => (p.type === '*' && id === '*' ? '*' : `${p.type}:${id}`)))),
    conditions: sortedSet(st.conditions.map((c) => `${c.test} ${c.variable} = [${sortedSet(c.values.map(String)).join(', ')}]`)),
    usedBy: sortedSet(st.usedBy),
  };
}

/** Every IAM statement (canonical), managed-policy attachment and unreadable policy expression of a stack. */
export function extractIam(stack: TerraformJson): StackIam {
  const { statements, attachments, opaque } = extractStackIam(stack);
  return { statements: statements.map(canonical), attachments, opaque };
}

/**
 * Identity of a statement: where it is written plus what it grants, with every list sorted. The Sid and
 * the position in the document are not part of it, so reordering statements or renaming a Sid is no change.
 */
export function statementKey(st: IamStatement): string {
  return JSON.stringify([st.source, st.effect, st.actions, st.notActions, st.resources, st.notResources, st.principals, st.conditions]);
}
