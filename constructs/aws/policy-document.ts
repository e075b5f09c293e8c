import { Construct } from 'constructs';
import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
} from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';

/** One IAM statement, in the `aws_iam_policy_document` data source's shape. */
export type PolicyStatement = DataAwsIamPolicyDocumentStatement;

/** Anything a resource can grant permissions to: a role's inline policy or a managed policy. */
export interface IGrantable {
  addToPolicy(statement: PolicyStatement): void;
}

/**
 * An `aws_iam_policy_document` data source that statements can be added to after creation, so resources can
 * grant to it (`stream.grantRead(role)`) without any caller writing policy JSON.
 */
export class PolicyDocument extends Construct {
  private readonly statements: PolicyStatement[] = [];
  private readonly document: DataAwsIamPolicyDocument;

  constructor(scope: Construct, id: string, statements: PolicyStatement[] = []) {
    super(scope, id);
    this.document = new DataAwsIamPolicyDocument(this, 'document', { statement: [] });
    statements.forEach((s) => this.addStatement(s));
    // IAM rejects an empty policy at apply time; fail at synth instead.
    this.node.addValidation({ validate: () => (this.statements.length ? [] : [`policy document ${this.node.path} has no statements: grant something to it`]) });
  }

  addStatement(statement: PolicyStatement): void {
    if (!statement.actions?.length) throw new Error(`a policy statement needs at least one action. Received ${JSON.stringify(statement.actions)}`);
    if (!statement.resources?.length && !statement.principals) {
      throw new Error(`an identity-policy statement needs resources. Received ${JSON.stringify(statement.resources)}`);
    }
    // IAM rejects duplicate Sids: the same grant twice is merged, a different one gets a numbered Sid.
    const same = this.statements.find((s) => s.sid !== undefined && s.sid === statement.sid);
    if (same && !statement.principals && !same.condition && !statement.condition && sameList(same.actions, statement.actions)) {
      const resources = [...new Set([...(same.resources ?? []), ...(statement.resources ?? [])])];
      this.statements[this.statements.indexOf(same)] = { ...same, resources };
    } else {
      const taken = new Set(this.statements.map((s) => s.sid));
      let sid = statement.sid;
      for (let n = 2; sid !== undefined && taken.has(sid); n++) sid = `${statement.sid}${n}`;
      this.statements.push({ effect: 'Allow', ...statement, sid });
    }
    this.document.putStatement([...this.statements]);
  }

  /** The rendered policy JSON (a token resolved at plan time). */
  get json(): string {
    return this.document.json;
  }
}

function sameList(a: string[] | undefined, b: string[] | undefined): boolean {
  return JSON.stringify([...(a ?? [])].sort()) === JSON.stringify([...(b ?? [])].sort());
}
