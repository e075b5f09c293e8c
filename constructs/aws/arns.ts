import { Construct } from 'constructs';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';

/**
 * The account and partition the stack is planned in, as data-source tokens: synth needs no credentials, and
 * ARNs built from them (a role's own ARN in its trust policy) create no dependency cycle.
 */
export class AccountContext extends Construct {
  readonly accountId: string;
  readonly partition: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.accountId = new DataAwsCallerIdentity(this, 'caller').accountId;
    this.partition = new DataAwsPartition(this, 'partition').partition;
  }

  /** `arn:<partition>:iam::<account>:root`: the account itself as a principal. */
  get rootArn(): string {
    return `arn:${this.partition}:iam::${this.accountId}:root`;
  }

  /** The ARN a role named `roleName` (path `/`) will have. */
  roleArn(roleName: string): string {
    return `arn:${this.partition}:iam::${this.accountId}:role/${roleName}`;
  }
}
