import { flatten } from './flatten';
import { addressedBlocks, isRecord, TerraformJson } from './terraform-json';

/**
 * IAM statements of one stack in one normal form, whichever way they were written: an
 * `aws_iam_policy_document` data source (HCL-shaped blocks) or a JSON policy string in any `policy` /
 * `assume_role_policy` attribute (managed, inline, trust, bucket, key, stream policies).
 */
export interface IamStatement {
  /** Where the statement is written: `data.aws_iam_policy_document.x` or `aws_iam_role.r.assume_role_policy`. */
  readonly source: string;
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  readonly actions: string[];
  readonly notActions: string[];
  readonly resources: string[];
  readonly notResources: string[];
  /** `Type:identifier`, e.g. `Service:ec2.amazonaws.com`, `AWS:arn:aws:iam::123:root`, or `*`. */
  readonly principals: string[];
  readonly notPrincipals: string[];
  /** `Operator key = [values]`, e.g. `StringEquals sts:ExternalId = [abc]`. */
  readonly conditions: string[];
  /** Attributes that use this policy document (for data sources), e.g. `aws_iam_role.r.assume_role_policy`. */
  readonly usedBy: string[];
}

/** A managed policy attached to a role, user or group (by a resource or `managed_policy_arns`). */
export interface PolicyAttachment {
  readonly source: string;
  readonly target: string;
  readonly policyArn: string;
}

/** A policy attribute whose value is an expression the review cannot read statically (e.g. `${jsonencode(...)}`). */
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
const DOCUMENT_REFERENCE = /^\$\{data\.aws_iam_policy_document\.[^.}]+\.(json|minified_json)\}$/;
const ATTACHMENT_TYPES: Record<string, string> = {
  aws_iam_role_policy_attachment: 'role',
  aws_iam_user_policy_attachment: 'user',
  aws_iam_group_policy_attachment: 'group',
};

const strings = (value: unknown): string[] => {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return [...new Set(list.map(String))].sort();
};

function formatConditions(entries: { test: string; variable: string; values: string[] }[]): string[] {
  return entries.map((c) => `${c.test} ${c.variable} = [${strings(c.values).join(', ')}]`).sort();
}

function fromDocumentBlock(source: string, block: Record<string, unknown>): Omit<IamStatement, 'usedBy'> {
  const principalList = (value: unknown): string[] =>
    (Array.isArray(value) ? value : [])
      .filter(isRecord)
      .flatMap((p) => strings(p.identifiers).map((id) => (p.type === '*' && id === '*' ? '*' : `${p.type}:${id}`)))
      .sort();
  const conditions = (Array.isArray(block.condition) ? block.condition : []).filter(isRecord).map((c) => ({
    test: String(c.test),
    variable: String(c.variable),
    values: strings(c.values),
  }));
  return {
    source,
    ...(block.sid !== undefined ? { sid: String(block.sid) } : {}),
    effect: block.effect === 'Deny' ? 'Deny' : 'Allow',
    actions: strings(block.actions),
    notActions: strings(block.not_actions),
    resources: strings(block.resources),
    notResources: strings(block.not_resources),
    principals: [...new Set(principalList(block.principals))],
    notPrincipals: [...new Set(principalList(block.not_principals))],
    conditions: formatConditions(conditions),
  };
}

function jsonPrincipals(value: unknown): string[] {
  if (value === undefined) return [];
  if (value === '*') return ['*'];
  if (!isRecord(value)) return strings(value);
  return Object.entries(value)
    .flatMap(([type, ids]) => strings(ids).map((id) => `${type}:${id}`))
    .sort();
}

function fromJsonStatement(source: string, st: Record<string, unknown>): Omit<IamStatement, 'usedBy'> {
  const conditions = isRecord(st.Condition)
    ? Object.entries(st.Condition).flatMap(([test, byKey]) =>
        isRecord(byKey) ? Object.entries(byKey).map(([variable, values]) => ({ test, variable, values: strings(values) })) : [],
      )
    : [];
  return {
    source,
    ...(st.Sid !== undefined ? { sid: String(st.Sid) } : {}),
    effect: st.Effect === 'Deny' ? 'Deny' : 'Allow',
    actions: strings(st.Action),
    notActions: strings(st.NotAction),
    resources: strings(st.Resource),
    notResources: strings(st.NotResource),
    principals: jsonPrincipals(st.Principal),
    notPrincipals: jsonPrincipals(st.NotPrincipal),
    conditions: formatConditions(conditions),
  };
}

/** Parses a JSON policy string; undefined when the value is not a literal policy document. */
function parsePolicyJson(text: string): Record<string, unknown>[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed) || parsed.Statement === undefined) return undefined;
  const list = Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
  return list.filter(isRecord);
}

/** Every IAM statement, managed-policy attachment and unreadable policy expression of a stack. */
export function extractIam(stack: TerraformJson): StackIam {
  const blocks = addressedBlocks(stack);
  const statements: Omit<IamStatement, 'usedBy'>[] = [];
  const attachments: PolicyAttachment[] = [];
  const opaque: OpaquePolicy[] = [];
  const references = new Map<string, string[]>();

  for (const block of blocks.values()) {
    if (block.mode === 'data' && block.type === 'aws_iam_policy_document') {
      const list = Array.isArray(block.body.statement) ? block.body.statement : [];
      for (const st of list.filter(isRecord)) statements.push(fromDocumentBlock(block.address, st));
      continue;
    }
    const role = ATTACHMENT_TYPES[block.type];
    if (role !== undefined) {
      attachments.push({ source: block.address, target: String(block.body[role]), policyArn: String(block.body.policy_arn) });
    }
    for (const arn of strings(block.body.managed_policy_arns)) {
      attachments.push({ source: `${block.address}.managed_policy_arns`, target: block.address, policyArn: arn });
    }
    for (const [path, value] of flatten(block.body)) {
      if (!POLICY_ATTRIBUTE.test(path) || typeof value !== 'string') continue;
      const source = `${block.address}.${path}`;
      const documentRef = DOCUMENT_REFERENCE.exec(value);
      if (documentRef) {
        const document = value.slice(2, value.lastIndexOf('.'));
        references.set(document, [...(references.get(document) ?? []), source]);
        continue;
      }
      const parsed = parsePolicyJson(value);
      if (parsed) parsed.forEach((st) => statements.push(fromJsonStatement(source, st)));
      else opaque.push({ source, expression: value });
    }
  }
  return {
    statements: statements.map((st) => ({ ...st, usedBy: (references.get(st.source) ?? []).sort() })),
    attachments,
    opaque,
  };
}

/**
 * Identity of a statement: where it is written plus what it grants, with every list sorted. The Sid and
 * the position in the document are not part of it, so reordering statements or renaming a Sid is no change.
 */
export function statementKey(st: IamStatement): string {
  return JSON.stringify([
    st.source,
    st.effect,
    st.actions,
    st.notActions,
    st.resources,
    st.notResources,
    st.principals,
    st.notPrincipals,
    st.conditions,
  ]);
}
