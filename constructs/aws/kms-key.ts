import { Construct } from 'constructs';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import type { AccountContext } from './arns';
import { PolicyDocument, type IGrantable, type PolicyStatement } from './policy-document';

/** KMS actions per use, so callers never write them by hand. */
export const KMS_DECRYPT_ACTIONS = ['kms:Decrypt'];
export const KMS_ENCRYPT_ACTIONS = ['kms:GenerateDataKey'];
export const KMS_ENCRYPT_DECRYPT_ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'];

/** What a grantee does with a key: read data, write data, or both. */
export type KeyUse = 'decrypt' | 'encrypt' | 'encrypt-decrypt';
const KEY_USES: Record<KeyUse, { sid: string; actions: string[] }> = {
  decrypt: { sid: 'KeyDecrypt', actions: KMS_DECRYPT_ACTIONS },
  encrypt: { sid: 'KeyGenerateDataKey', actions: KMS_ENCRYPT_ACTIONS },
  'encrypt-decrypt': { sid: 'KeyEncryptDecrypt', actions: KMS_ENCRYPT_DECRYPT_ACTIONS },
};

/** Lets `grantee` use the key `keyArn` for `use` (a function, so a stack holding only the ARN can grant). */
export function grantKey(grantee: IGrantable, keyArn: string, use: KeyUse): void {
  grantee.addToPolicy({ ...KEY_USES[use], resources: [keyArn] });
}

export interface CustomerManagedKeyProps {
  /** The account whose root principal administers the key (through IAM policies). */
  readonly account: AccountContext;
  /** Alias without the `alias/` prefix, e.g. `iot-dev`. */
  readonly aliasName: string;
  /**
   * What the key protects (shown in the KMS console).
   * @default "IoT streaming pipeline data"
   */
  readonly description?: string;
  /**
   * Waiting period before a scheduled deletion takes effect, 7 to 30 days.
   * @default 30 (the longest: a deleted key makes its data unreadable)
   */
  readonly deletionWindowDays?: number;
}

/**
 * A symmetric customer-managed KMS key with yearly rotation and an alias. Its key policy lets the account
 * administer and use it, so IAM policies (our grants) decide who may use it: the one place a `kms:*` on
 * resource `*` is right, because in a key policy `*` means this key.
 */
export class CustomerManagedKey extends Construct {
  readonly keyArn: string;
  readonly keyId: string;
  readonly aliasName: string;
  private readonly policy: PolicyDocument;

  constructor(scope: Construct, id: string, props: CustomerManagedKeyProps) {
    super(scope, id);
    const deletionWindowDays = props.deletionWindowDays ?? 30;
    if (!Number.isInteger(deletionWindowDays) || deletionWindowDays < 7 || deletionWindowDays > 30) {
      throw new Error(`deletionWindowDays must be an integer between 7 and 30. Received ${deletionWindowDays}`);
    }
    if (!/^[a-zA-Z0-9/_-]{1,250}$/.test(props.aliasName) || props.aliasName.startsWith('aws/')) {
      throw new Error(`aliasName must be 1-250 of letters, digits, / _ - and not start with aws/. Received ${JSON.stringify(props.aliasName)}`);
    }
    const policy = (this.policy = new PolicyDocument(this, 'key-policy', [
      {
        sid: 'AccountAdministersKeyThroughIam',
        actions: ['kms:*'],
        resources: ['*'],
        principals: [{ type: 'AWS', identifiers: [props.account.rootArn] }],
      },
    ]));
    const key = new KmsKey(this, 'key', {
      description: props.description ?? 'IoT streaming pipeline data',
      enableKeyRotation: true,
      deletionWindowInDays: deletionWindowDays,
      policy: policy.json,
    });
    const alias = new KmsAlias(this, 'alias', { name: `alias/${props.aliasName}`, targetKeyId: key.keyId });
    this.keyArn = key.arn;
    this.keyId = key.keyId;
    this.aliasName = alias.name;
  }

  /**
   * Lets an AWS service principal use the key directly (services that cannot use IAM grants, e.g.
   * CloudWatch publishing alarms to an encrypted SNS topic), optionally only under `condition` (e.g. the
   * encryption context naming the one log group it may encrypt). Goes into the key policy, where resource `*`
   * means this key.
   */
  allowServiceUse(sid: string, servicePrincipal: string, actions: string[], condition?: PolicyStatement['condition']): void {
    if (!/^[a-z0-9.-]+\.amazonaws\.com$/.test(servicePrincipal)) {
      throw new Error(`servicePrincipal must be a service such as cloudwatch.amazonaws.com. Received ${JSON.stringify(servicePrincipal)}`);
    }
    if (actions.some((a) => !a.startsWith('kms:') || a.includes('*'))) {
      throw new Error(`actions must be named kms: actions. Received ${JSON.stringify(actions)}`);
    }
    this.policy.addStatement({ sid, actions, resources: ['*'], principals: [{ type: 'Service', identifiers: [servicePrincipal] }], condition });
  }

  grantDecrypt(grantee: IGrantable): void {
    grantKey(grantee, this.keyArn, 'decrypt');
  }
}
