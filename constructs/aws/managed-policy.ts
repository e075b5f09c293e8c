import { Construct } from 'constructs';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { PolicyDocument, type IGrantable, type PolicyStatement } from './policy-document';

export interface ManagedPolicyProps {
  /** Policy name, 1-128 of letters, digits and +=,.@_-. */
  readonly policyName: string;
  /** Who attaches it and why (shown in the IAM console). */
  readonly description: string;
}

/**
 * A customer-managed IAM policy built from grants, for principals this stack does not own (e.g. the load
 * generator's user or CI role attaches it).
 */
export class ManagedPolicy extends Construct implements IGrantable {
  readonly policyArn: string;
  private readonly document: PolicyDocument;

  constructor(scope: Construct, id: string, props: ManagedPolicyProps) {
    super(scope, id);
    if (!/^[\w+=,.@-]{1,128}$/.test(props.policyName)) {
      throw new Error(`policyName must be 1-128 of letters, digits and +=,.@_-. Received ${JSON.stringify(props.policyName)}`);
    }
    this.document = new PolicyDocument(this, 'document');
    this.policyArn = new IamPolicy(this, 'policy', {
      name: props.policyName,
      description: props.description,
      policy: this.document.json,
    }).arn;
  }

  addToPolicy(statement: PolicyStatement): void {
    this.document.addStatement(statement);
  }
}
