import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { PolicyDocument, type IGrantable, type PolicyStatement } from './policy-document';

export interface ServiceRoleProps {
  /** Role name (its ARN is derived from it, e.g. for a self-assume trust statement). */
  readonly roleName: string;
  /** Who may assume the role: statements with principals, action sts:AssumeRole. */
  readonly trust: PolicyStatement[];
  /** What the role is for (shown in the IAM console). */
  readonly description: string;
  /**
   * Longest session in seconds, 3600 to 43200.
   * @default 3600
   */
  readonly maxSessionSeconds?: number;
}

/**
 * An IAM role whose permissions are one inline policy built from grants (`stream.grantRead(role)`), so the
 * role's whole access is visible in one `aws_iam_policy_document`.
 */
export class ServiceRole extends Construct implements IGrantable {
  readonly roleName: string;
  readonly roleArn: string;
  /** The role and its permissions policy: depend on these to use the role only once it can do its job. */
  readonly dependables: ITerraformDependable[];
  private readonly permissions: PolicyDocument;

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    const maxSessionSeconds = props.maxSessionSeconds ?? 3600;
    if (!/^[\w+=,.@-]{1,64}$/.test(props.roleName)) {
      throw new Error(`roleName must be 1-64 of letters, digits and +=,.@_-. Received ${JSON.stringify(props.roleName)}`);
    }
    if (!Number.isInteger(maxSessionSeconds) || maxSessionSeconds < 3600 || maxSessionSeconds > 43200) {
      throw new Error(`maxSessionSeconds must be an integer between 3600 and 43200. Received ${maxSessionSeconds}`);
    }
    if (props.trust.length === 0 || props.trust.some((s) => !Array.isArray(s.principals) || s.principals.length === 0)) {
      throw new Error(`trust must be statements that each name principals. Received ${JSON.stringify(props.trust)}`);
    }
    const trust = new PolicyDocument(this, 'trust', props.trust);
    const role = new IamRole(this, 'role', {
      name: props.roleName,
      description: props.description,
      assumeRolePolicy: trust.json,
      maxSessionDuration: maxSessionSeconds,
    });
    this.permissions = new PolicyDocument(this, 'permissions');
    const policy = new IamRolePolicy(this, 'policy', { name: 'permissions', role: role.id, policy: this.permissions.json });
    this.dependables = [role, policy];
    this.roleName = role.name;
    this.roleArn = role.arn;
  }

  addToPolicy(statement: PolicyStatement): void {
    this.permissions.addStatement(statement);
  }
}
