import { Construct } from 'constructs';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { PolicyDocument } from './policy-document';
import { ServiceRole } from './service-role';

export interface DatabricksClusterAccessProps {
  /** Name of the role and of its instance profile. */
  readonly roleName: string;
}

/**
 * The IAM role Databricks cluster nodes (EC2) run as, with its instance profile. It starts with no
 * permissions: grant them (`stream.grantRead(access.role)`). `passRolePolicyJson` is the statement the
 * workspace's cross-account role needs before Databricks can launch nodes with this profile.
 */
export class DatabricksClusterAccess extends Construct {
  readonly role: ServiceRole;
  readonly instanceProfileArn: string;
  readonly passRolePolicyJson: string;

  constructor(scope: Construct, id: string, props: DatabricksClusterAccessProps) {
    super(scope, id);
    this.role = new ServiceRole(this, 'role', {
      roleName: props.roleName,
      description: 'Databricks cluster nodes: read the IoT Kinesis stream',
      trust: [
        {
          sid: 'Ec2AssumeRole',
          actions: ['sts:AssumeRole'],
          principals: [{ type: 'Service', identifiers: ['ec2.amazonaws.com'] }],
        },
      ],
    });
    this.instanceProfileArn = new IamInstanceProfile(this, 'instance-profile', {
      name: props.roleName,
      role: this.role.roleName,
    }).arn;
    this.passRolePolicyJson = new PolicyDocument(this, 'pass-role', [
      { sid: 'PassClusterRole', actions: ['iam:PassRole'], resources: [this.role.roleArn] },
    ]).json;
  }
}
