import { addressedBlocks, allResources, blocks, isBlock, resourcesOf, stringLeaves, type Block } from './terraform-json';
import type { TerraformJson } from './types';

/** What a policy document is used as. */
export type DocumentRole = 'trust' | 'inline' | 'managed' | 'bucket' | 'key' | 'resource' | 'output' | 'unused';

export interface IamCondition {
  readonly test: string;
  readonly variable: string;
  readonly values: string[];
}

export interface IamPrincipal {
  readonly type: string;
  readonly identifiers: string[];
}

/** One IAM statement of a synthesized stack, in the `aws_iam_policy_document` shape. */
export interface IamStatement {
  /** `data.aws_iam_policy_document.<name>`, or `<resource address>.<attribute>` for a literal JSON policy. */
  readonly address: string;
  readonly documentRole: DocumentRole;
  /** Addresses of the resources (or `output.<name>`) using the document. */
  readonly usedBy: string[];
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  readonly actions: string[];
  readonly notActions?: string[];
  readonly resources: string[];
  readonly notResources?: string[];
  readonly principals: IamPrincipal[];
  readonly conditions: IamCondition[];
}

/** Which attribute of which resource type makes a document a trust, inline, managed, bucket or key policy. */
const ROLE_OF: Record<string, DocumentRole> = {
  'aws_iam_role.assume_role_policy': 'trust',
  'aws_iam_role_policy.policy': 'inline',
  'aws_iam_role.inline_policy': 'inline',
  'aws_iam_policy.policy': 'managed',
  'aws_s3_bucket_policy.policy': 'bucket',
  'aws_kms_key.policy': 'key',
};

/** A document referenced by its `json` or its `minified_json`: both are the same policy. */
const DOC_REF = /\$\{data\.aws_iam_policy_document\.([\w-]+)\.(?:json|minified_json)\}/g;

/** A managed policy attached to a role, user or group (by a resource or `managed_policy_arns`). */
export interface PolicyAttachment {
  readonly source: string;
  readonly target: string;
  readonly policyArn: string;
}

/** A policy attribute whose value cannot be read statically (e.g. `${jsonencode(...)}`): nothing can check it. */
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
/** Attributes named `policy` that hold another grammar than IAM's (an ECR lifecycle policy's rules). */
const NOT_IAM_POLICIES = new Set(['aws_ecr_lifecycle_policy.policy']);
const ATTACHMENT_TARGETS: Record<string, string> = {
  aws_iam_role_policy_attachment: 'role',
  aws_iam_user_policy_attachment: 'user',
  aws_iam_group_policy_attachment: 'group',
};

/** True when the text is a literal JSON policy document. */
function isJsonPolicy(text: string): boolean {
  try {
    const parsed: unknown = JSON.parse(text);
    return isBlock(parsed) && parsed.Statement !== undefined;
  } catch {
    return false;
  }
}

/**
 * The IAM side of a stack, the one extraction the rules and the review share: every statement (of
 * `aws_iam_policy_document` data sources and of literal JSON policies), every managed-policy attachment,
 * and every policy attribute no one can read.
 */
export function extractIam(stack: TerraformJson): StackIam {
  const attachments: PolicyAttachment[] = [];
  const opaque: OpaquePolicy[] = [];
  for (const block of addressedBlocks(stack).values()) {
    if (block.mode === 'data') continue;
    const target = ATTACHMENT_TARGETS[block.type];
    if (target !== undefined) attachments.push({ source: block.address, target: String(block.body[target]), policyArn: String(block.body.policy_arn) });
    const arns = Array.isArray(block.body.managed_policy_arns) ? [...new Set(block.body.managed_policy_arns.map(String))].sort() : [];
    for (const arn of arns) attachments.push({ source: `${block.address}.managed_policy_arns`, target: block.address, policyArn: arn });
    for (const [path, value] of stringLeaves(block.body)) {
      DOC_REF.lastIndex = 0;
      if (POLICY_ATTRIBUTE.test(path) && !NOT_IAM_POLICIES.has(`${block.type}.${path}`) && !DOC_REF.test(value) && !isJsonPolicy(value)) opaque.push({ source: `${block.address}.${path}`, expression: value });
    }
  }
  DOC_REF.lastIndex = 0;
  return { statements: extractIamStatements(stack), attachments, opaque };
}

/**
 * Every IAM statement in a stack: those of `aws_iam_policy_document` data sources (how this project writes
 * them), plus any literal JSON policy string in a `policy` / `assume_role_policy` attribute, so a hand-written
 * policy cannot hide from the rules.
 */
export function extractIamStatements(stack: TerraformJson): IamStatement[] {
  const uses = new Map<string, Array<{ address: string; role: DocumentRole }>>();
  const literal: IamStatement[] = [];
  const note = (doc: string, address: string, role: DocumentRole) => uses.set(doc, [...(uses.get(doc) ?? []), { address, role }]);

  for (const { address, type, body } of allResources(stack)) {
    for (const [attr, value] of Object.entries(body)) {
      if (NOT_IAM_POLICIES.has(`${type}.${attr}`)) continue;
      const role = ROLE_OF[`${type}.${attr}`] ?? (/policy$/.test(attr) ? 'resource' : undefined);
      if (!role) continue;
      for (const text of attr === 'inline_policy' ? blocks(value).map((b) => b.policy) : [value]) {
        if (typeof text !== 'string') continue;
        const refs = [...text.matchAll(DOC_REF)].map((m) => `data.aws_iam_policy_document.${m[1]}`);
        refs.forEach((doc) => note(doc, address, role));
        if (!refs.length) literal.push(...fromJsonPolicy(text, `${address}.${attr}`, role, address));
      }
    }
  }
  const outputs = (stack.output ?? {}) as Record<string, Block>;
  for (const [name, body] of Object.entries(outputs)) {
    for (const m of String(body?.value ?? '').matchAll(DOC_REF)) note(`data.aws_iam_policy_document.${m[1]}`, `output.${name}`, 'output');
  }

  const fromDocuments = resourcesOf(stack, 'aws_iam_policy_document', 'data').flatMap(([address, body]) => {
    const used = uses.get(address) ?? [];
    const role = used.find((u) => u.role !== 'output')?.role ?? used[0]?.role ?? 'unused';
    return blocks(body.statement).map((s) => normalize(s, address, role, used.map((u) => u.address)));
  });
  return [...fromDocuments, ...literal];
}

function normalize(s: Block, address: string, documentRole: DocumentRole, usedBy: string[]): IamStatement {
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)]);
  return {
    address,
    documentRole,
    usedBy,
    ...(s.sid !== undefined ? { sid: String(s.sid) } : {}),
    effect: s.effect === 'Deny' ? 'Deny' : 'Allow',
    actions: list(s.actions),
    ...(s.not_actions !== undefined ? { notActions: list(s.not_actions) } : {}),
    resources: list(s.resources),
    ...(s.not_resources !== undefined ? { notResources: list(s.not_resources) } : {}),
    principals: blocks(s.principals).map((p) => ({ type: String(p.type), identifiers: list(p.identifiers) })),
    conditions: blocks(s.condition).map((c) => ({ test: String(c.test), variable: String(c.variable), values: list(c.values) })),
  };
}

/** Statements of a literal JSON policy (IAM grammar) in the data-source shape; nothing if it is not JSON. */
function fromJsonPolicy(text: string, address: string, role: DocumentRole, usedBy: string): IamStatement[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return [];
  }
  const statements = blocks((doc as Block)?.Statement);
  return statements.map((s) => {
    const principal = s.Principal;
    const principals =
      principal === '*'
        ? [{ type: '*', identifiers: ['*'] }]
        : Object.entries((principal ?? {}) as Block).map(([type, ids]) => ({ type, identifiers: Array.isArray(ids) ? ids.map(String) : [String(ids)] }));
    const condition = Object.entries((s.Condition ?? {}) as Record<string, Block>).flatMap(([test, byKey]) =>
      Object.entries(byKey).map(([variable, values]) => ({ test, variable, values })),
    );
    return normalize(
      {
        sid: s.Sid,
        effect: s.Effect,
        actions: s.Action,
        not_actions: s.NotAction,
        resources: s.Resource,
        not_resources: s.NotResource,
        principals,
        condition,
      },
      address,
      role,
      [usedBy],
    );
  });
}
