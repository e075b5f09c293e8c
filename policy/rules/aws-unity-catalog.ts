import { extractIamStatements, type IamStatement } from '../iam-statements';
import { attachedTo, resourcesOf } from '../terraform-json';
import { finding, type PolicyRule, type TerraformJson } from '../types';

/** Databricks' Unity Catalog master role, the principal UC assumes customer roles from (any partition). */
const UC_MASTER_ROLE = /^arn:aws[a-z-]*:iam::\d{12}:role\/unity-catalog-prod-UCMasterRole-/;
/** What Databricks' own UC policy (`databricks_aws_unity_catalog_policy`) grants a storage credential's role. */
export const UNITY_CATALOG_S3_ACTIONS = [
  's3:AbortMultipartUpload',
  's3:DeleteObject',
  's3:GetBucketLocation',
  's3:GetObject',
  's3:ListBucket',
  's3:ListBucketMultipartUploads',
  's3:ListMultipartUploadParts',
  's3:PutObject',
];
/** The generated external id of a storage or service credential. */
const CREDENTIAL_EXTERNAL_ID = /\$\{databricks_(storage_)?credential\.[^.}]+\.aws_iam_role\[0\]\.external_id\}/;

const trustsUnityCatalog = (s: IamStatement) =>
  s.documentRole === 'trust' && s.effect === 'Allow' && s.principals.some((p) => p.identifiers.some((id) => UC_MASTER_ROLE.test(id)));

/** Roles whose trust admits Unity Catalog, with their inline permission statements. */
function unityCatalogRoles(stack: TerraformJson): Array<{ address: string; trust: IamStatement[]; permissions: IamStatement[] }> {
  const statements = extractIamStatements(stack);
  return resourcesOf(stack, 'aws_iam_role').flatMap(([address]) => {
    // Every statement of a trust policy that admits Unity Catalog, its self-assume statement included.
    const trust = statements.filter((s) => s.usedBy.includes(address) && s.documentRole === 'trust' && s.effect === 'Allow');
    if (!trust.some(trustsUnityCatalog)) return [];
    const policies = attachedTo(stack, 'aws_iam_role_policy', address, 'role').map(([policyAddress]) => policyAddress);
    const permissions = statements.filter((s) => s.documentRole === 'inline' && s.effect === 'Allow' && s.usedBy.some((u) => policies.includes(u)));
    return [{ address, trust, permissions }];
  });
}

const unityCatalogStorageActions: PolicyRule = {
  id: 'IOT-AWS-015',
  severity: 'MEDIUM',
  description: "Roles Unity Catalog assumes to write objects have Databricks' full UC storage action set (s3:ListBucketMultipartUploads included)",
  check(stack) {
    return unityCatalogRoles(stack).flatMap(({ address, permissions }) => {
      const granted = new Set(permissions.flatMap((s) => s.actions));
      if (!granted.has('s3:PutObject')) return [];
      const missing = UNITY_CATALOG_S3_ACTIONS.filter((a) => !granted.has(a));
      return missing.length ? [finding(this, address, `Unity Catalog storage role lacks ${missing.join(', ')}`)] : [];
    });
  },
};

const unityCatalogExternalId: PolicyRule = {
  id: 'IOT-AWS-016',
  severity: 'HIGH',
  description:
    "Unity Catalog trust policies take sts:ExternalId from the credential's aws_iam_role.external_id (a fixed id such as the account id works only for credentials an account admin creates)",
  check(stack) {
    return unityCatalogRoles(stack).flatMap(({ address, trust }) =>
      trust
        .filter((s) => !s.conditions.some((c) => c.variable === 'sts:ExternalId' && c.values.length > 0 && c.values.every((v) => CREDENTIAL_EXTERNAL_ID.test(v))))
        .map((s) => finding(this, address, `trust statement ${s.sid ?? '(no sid)'} does not take sts:ExternalId from a databricks credential's aws_iam_role[0].external_id`)),
    );
  },
};

export const unityCatalogRules: PolicyRule[] = [unityCatalogStorageActions, unityCatalogExternalId];
