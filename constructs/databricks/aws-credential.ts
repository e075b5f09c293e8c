import { Construct } from 'constructs';
import { Credential } from '@cdktf/provider-databricks/lib/credential';
import { StorageCredential } from '@cdktf/provider-databricks/lib/storage-credential';
import { Sleep } from '@cdktf/provider-time/lib/sleep';
import type { AccountContext } from '../aws/arns';
import type { IGrantable } from '../aws/policy-document';
import { UnityCatalogRole } from '../aws/unity-catalog-role';

/** How long IAM takes to make a new role's trust and permissions visible to Unity Catalog (the provider's guide waits 20 s). */
export const IAM_PROPAGATION_WAIT = '20s';

export interface UnityCatalogAwsCredentialProps {
  readonly account: AccountContext;
  /** STORAGE: a storage credential for external locations; SERVICE: a service credential (Kinesis from standard compute). */
  readonly purpose: 'STORAGE' | 'SERVICE';
  /** Unity Catalog name of the credential. */
  readonly name: string;
  /** Name of the IAM role the credential assumes (created here). */
  readonly roleName: string;
  readonly comment: string;
  /** Grants the role what the credential is for, e.g. `(role) => grantBucketReadWrite(role, lake)`. */
  readonly grant: (role: IGrantable) => void;
}

/**
 * A Unity Catalog credential and the IAM role it assumes, in the order the Databricks provider's Unity Catalog
 * guide uses so that it works for a deployer who is not a Databricks account admin:
 *
 * 1. the credential, on the role's ARN built from its name (the role does not exist yet; validating it is
 *    skipped, since nothing could pass before step 2);
 * 2. the role, whose trust policy names the credential's own `aws_iam_role.external_id`, with its permissions;
 * 3. a wait for IAM propagation: whatever uses the credential depends on `ready`, and is validated by
 *    Databricks only then (the external location validates the whole chain on creation).
 */
export class UnityCatalogAwsCredential extends Construct {
  public readonly name: string;
  public readonly roleArn: string;
  /** The external id Databricks generated for this credential (the trust policy's sts:ExternalId). */
  public readonly externalId: string;
  /** Depend on this before using the credential. */
  public readonly ready: Sleep;

  constructor(scope: Construct, id: string, props: UnityCatalogAwsCredentialProps) {
    super(scope, id);
    // Built, not read from the role: the role's trust policy reads the credential, so a reference would be a cycle.
    const roleArn = props.account.roleArn(props.roleName);
    const common = { name: props.name, comment: props.comment, awsIamRole: { roleArn }, skipValidation: true };
    const credential =
      props.purpose === 'STORAGE' ? new StorageCredential(this, 'credential', common) : new Credential(this, 'credential', { ...common, purpose: 'SERVICE' });
    this.name = credential.name;
    this.externalId = credential.awsIamRole.externalId;
    this.roleArn = roleArn;

    const role = new UnityCatalogRole(this, 'role', {
      account: props.account,
      roleName: props.roleName,
      externalId: this.externalId,
      description: props.comment,
    });
    props.grant(role);
    this.ready = new Sleep(this, 'iam-propagation', { createDuration: IAM_PROPAGATION_WAIT, dependsOn: role.dependables });
  }
}
