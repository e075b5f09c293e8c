import { extractIam, extractIamStatements, type IamStatement } from '../iam-statements';
import { UNSCOPABLE_ACTIONS } from '../../contract/iam-unscoped-actions';
import { finding, type PolicyRule } from '../types';

/** An Allow that grants permissions (trust policies grant sts:AssumeRole to principals, checked separately). */
const granting = (s: IamStatement) => s.effect === 'Allow' && s.documentRole !== 'trust';
// A key policy's resource "*" means "this key", and the account-root kms:* statement is how IAM gets control.
const exempt = (s: IamStatement) => s.documentRole === 'key';

/** `*`, or an ARN whose partition, service, account, bucket or whole resource name is a wildcard. */
export function isWildcardResource(resource: string): boolean {
  if (resource === '*') return true;
  if (!resource.startsWith('arn:')) return false; // a reference such as ${aws_s3_bucket.x.arn}/*: scoped to it
  const [, partition, service, , account, ...rest] = resource.split(':');
  const name = rest.join(':');
  if ([partition, service, account].some((p) => p?.includes('*')) || name === '') return true;
  // S3 ARNs have no resource type: `arn:aws:s3:::bucket/*` is one bucket's objects, `arn:aws:s3:::*` all buckets.
  if (service === 's3') return name.startsWith('*');
  return /^([\w-]+[/:])?\*$/.test(name); // e.g. stream/*: every resource of the type
}

const wildcardAction: PolicyRule = {
  id: 'IOT-AWS-009',
  severity: 'CRITICAL',
  description: 'IAM policies allow named actions, no wildcards or NotAction (KMS key policy exempt)',
  checkov: 'CKV_AWS_49, CKV_AWS_63',
  check(stack) {
    return extractIamStatements(stack)
      .filter((s) => granting(s) && !exempt(s))
      .flatMap((s) => {
        const wild = s.actions.filter((a) => a.includes('*'));
        const found = wild.length ? [`wildcard action(s) ${wild.join(', ')}`] : [];
        if (s.notActions?.length) found.push(`NotAction ${s.notActions.join(', ')}`);
        return found.map((what) => finding(this, s.address, `${s.documentRole} statement ${s.sid ?? '(no sid)'} allows ${what}`));
      });
  },
};

/** A statement allowing only actions that take no resource ARN, on "*": as narrow as IAM allows. */
const unscopable = (s: IamStatement) =>
  s.actions.length > 0 && s.actions.every((a) => UNSCOPABLE_ACTIONS.includes(a)) && s.resources.length === 1 && s.resources[0] === '*' && !s.notResources?.length;

const wildcardResource: PolicyRule = {
  id: 'IOT-AWS-010',
  severity: 'HIGH',
  description: 'IAM policies allow actions on exact resources, not * (KMS key policy exempt; actions that take no resource ARN, alone, on *)',
  checkov: 'CKV_AWS_355',
  check(stack) {
    return extractIamStatements(stack)
      .filter((s) => granting(s) && !exempt(s) && !unscopable(s))
      .flatMap((s) => {
        const wild = s.resources.filter(isWildcardResource);
        const found = wild.length ? [`wildcard resource(s) ${wild.join(', ')}`] : [];
        if (s.notResources?.length) found.push(`NotResource ${s.notResources.join(', ')}`);
        if (!s.resources.length && !s.notResources?.length) found.push('no resources');
        return found.map((what) => finding(this, s.address, `${s.documentRole} statement ${s.sid ?? '(no sid)'} allows ${what}`));
      });
  },
};

const conditionedTrust: PolicyRule = {
  id: 'IOT-AWS-011',
  severity: 'HIGH',
  description: 'Trust policies that admit AWS accounts or roles are conditioned (sts:ExternalId or aws:PrincipalArn); none admits *',
  check(stack) {
    return extractIamStatements(stack)
      .filter((s) => s.documentRole === 'trust' && s.effect === 'Allow')
      .flatMap((s) => {
        const ids = s.principals.flatMap((p) => p.identifiers.map((id) => ({ type: p.type, id })));
        if (ids.some(({ id }) => id === '*')) return [finding(this, s.address, `trust statement ${s.sid ?? '(no sid)'} admits any principal (*)`)];
        const aws = ids.filter(({ type }) => type === 'AWS');
        const conditioned = s.conditions.some(
          (c) => (c.variable === 'sts:ExternalId' && c.test === 'StringEquals') || (c.variable === 'aws:PrincipalArn' && /^Arn(Like|Equals)$/.test(c.test)),
        );
        return aws.length && !conditioned
          ? [finding(this, s.address, `trust statement ${s.sid ?? '(no sid)'} admits ${aws.map((a) => a.id).join(', ')} without an sts:ExternalId or aws:PrincipalArn condition`)]
          : [];
      });
  },
};

const documentsNotStrings: PolicyRule = {
  id: 'IOT-AWS-012',
  severity: 'LOW',
  description: 'IAM policies are built with aws_iam_policy_document, not hand-written JSON strings or expressions',
  check(stack) {
    const { statements, opaque } = extractIam(stack);
    const literal = statements.filter((s) => !s.address.startsWith('data.aws_iam_policy_document.'));
    return [
      ...[...new Set(literal.map((s) => s.address))].map((address) =>
        finding(this, address, 'policy is a hand-written JSON string: build it with an aws_iam_policy_document data source'),
      ),
      ...opaque.map((o) => finding(this, o.source, `policy is an expression no rule can read (${o.expression.slice(0, 60)}): build it with an aws_iam_policy_document data source`)),
    ];
  },
};

export const iamRules: PolicyRule[] = [wildcardAction, wildcardResource, conditionedTrust, documentsNotStrings];
