import { Construct } from 'constructs';
import type { AccountContext } from './arns';
import type { PolicyStatement } from './policy-document';
import { ServiceRole } from './service-role';

/** Databricks' Unity Catalog master role (AWS commercial partition), the principal UC assumes our roles from. */
export const UNITY_CATALOG_MASTER_ROLE_ARN = 'arn:aws:iam::414351767826:role/unity-catalog-prod-UCMasterRole-14S5ZJVKOTYTL';

export interface UnityCatalogRoleProps {
  readonly account: AccountContext;
  readonly roleName: string;
  /**
   * The external id Unity Catalog presents: the credential's own `aws_iam_role.external_id`. Databricks uses
   * the account id only when an account admin creates the credential; anyone else gets a generated one
   * (Databricks KB "AWS S3 storage credential validation failure due to external ID";
   * terraform-provider-databricks#2986), so the trust policy takes it from the credential.
   */
  readonly externalId: string;
  /** What the credential is for (shown in the IAM console). */
  readonly description: string;
}

/**
 * The trust policy Unity Catalog requires for storage and service credentials (the same statements as the
 * Databricks provider's `databricks_aws_unity_catalog_assume_role_policy`): the UC master role with our
 * external id, and the role assuming itself (required since January 2025). The role's own ARN is built from
 * the account id and the name rather than read from the role, which would be a cycle.
 */
export function unityCatalogTrust(account: AccountContext, roleName: string, externalId: string): PolicyStatement[] {
  const externalIdCondition = { test: 'StringEquals', variable: 'sts:ExternalId', values: [externalId] };
  return [
    {
      sid: 'UnityCatalogAssumeRole',
      actions: ['sts:AssumeRole'],
      principals: [{ type: 'AWS', identifiers: [UNITY_CATALOG_MASTER_ROLE_ARN] }],
      condition: [externalIdCondition],
    },
    {
      sid: 'ExplicitSelfRoleAssumption',
      actions: ['sts:AssumeRole'],
      principals: [{ type: 'AWS', identifiers: [account.rootArn] }],
      condition: [{ test: 'ArnLike', variable: 'aws:PrincipalArn', values: [account.roleArn(roleName)] }, externalIdCondition],
    },
  ];
}

/** An IAM role for a Unity Catalog storage or service credential; it may also assume itself. */
export class UnityCatalogRole extends ServiceRole {
  constructor(scope: Construct, id: string, props: UnityCatalogRoleProps) {
    super(scope, id, {
      roleName: props.roleName,
      description: props.description,
      trust: unityCatalogTrust(props.account, props.roleName, props.externalId),
    });
    this.addToPolicy({ sid: 'AssumeSelf', actions: ['sts:AssumeRole'], resources: [props.account.roleArn(props.roleName)] });
  }
}
