import { extractIamStatements, type DocumentRole, type IamStatement as PolicyStatement } from '../policy';
import { flatten } from './flatten';
import { addressedBlocks, isRecord, TerraformJson } from './terraform-json';

/**
 * The IAM side of one stack as the review compares it. Statements come from the policy module's
 * `extractIamStatements` (policy documents and literal JSON policies alike) and are put in a canonical form
 * here: every list sorted, principals as `Type:identifier`, conditions as `Operator key = [values]`.
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

/** A managed policy attached to a role, user or group (by a resource or `managed_policy_arns`). */
export interface PolicyAttachment {
  readonly source: string;
  readonly target: string;
  readonly policyArn: string;
}

/** A policy attribute whose value the review cannot read statically (e.g. `${jsonencode(...)}`). */
export interface OpaquePolicy {
  readonly source: string;
  readonly expression: string;
}

export interface StackIam {
  readonly statements: IamStatement[];
  readonly attachments: PolicyAttachment[];
  readonly opaque: OpaquePolicy[];
}

const POLICY_ATTRIBUTE = /(^|\.)(policy|assume_role_policy)$/;
const DOCUMENT_REFERENCE = /\$\{data\.aws_iam_policy_document\.[^.}]+\.(json|minified_json)\}/;
const ATTACHMENT_TYPES: Record<string, string> = {
  aws_iam_role_policy_attachment: 'role',
  aws_iam_user_policy_attachment: 'user',
  aws_iam_group_policy_attachment: 'group',
};

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

/** True when the text is a literal JSON policy document (which the policy module reads). */
function isJsonPolicy(text: string): boolean {
  try {
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) && parsed.Statement !== undefined;
  } catch {
    return false;
  }
}

/** Every IAM statement, managed-policy attachment and unreadable policy expression of a stack. */
export function extractIam(stack: TerraformJson): StackIam {
  const attachments: PolicyAttachment[] = [];
  const opaque: OpaquePolicy[] = [];
  for (const block of addressedBlocks(stack).values()) {
    if (block.mode === 'data') continue;
    const role = ATTACHMENT_TYPES[block.type];
    if (role !== undefined) {
      attachments.push({ source: block.address, target: String(block.body[role]), policyArn: String(block.body.policy_arn) });
    }
    for (const arn of sortedSet((block.body.managed_policy_arns as string[] | undefined)?.map(String))) {
      attachments.push({ source: `${block.address}.managed_policy_arns`, target: block.address, policyArn: arn });
    }
    // A policy the review cannot read would otherwise drop out of the IAM section silently.
    for (const [path, value] of flatten(block.body)) {
      if (POLICY_ATTRIBUTE.test(path) && typeof value === 'string' && !DOCUMENT_REFERENCE.test(value) && !isJsonPolicy(value)) {
        opaque.push({ source: `${block.address}.${path}`, expression: value });
      }
    }
  }
  return { statements: extractIamStatements(stack).map(canonical), attachments, opaque };
}

/**
 * Identity of a statement: where it is written plus what it grants, with every list sorted. The Sid and
 * the position in the document are not part of it, so reordering statements or renaming a Sid is no change.
 */
export function statementKey(st: IamStatement): string {
  return JSON.stringify([st.source, st.effect, st.actions, st.notActions, st.resources, st.notResources, st.principals, st.conditions]);
}
