import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { AppConfig } from '../config/schema';
import { AccountContext } from '../constructs/aws/arns';
import { CustomerManagedKey } from '../constructs/aws/kms-key';
import { ManagedPolicy } from '../constructs/aws/managed-policy';
import { SecureBucket } from '../constructs/aws/secure-bucket';
import { addAwsProvider } from './aws-provider';
import { useLocalState } from './backend';
import { writeOutputs } from './outputs';

/** Days a replaced state version is kept: enough to roll back a bad apply found weeks later. */
export const STATE_VERSION_DAYS = 90;

export interface StateBucketStackProps {
  /** A stage config whose `backend` is `s3`: the bucket, region, key prefix and key alias it names are created. */
  readonly config: Pick<AppConfig, 'stage' | 'region' | 'tags' | 'backend'>;
}

/**
 * The remote-state bootstrap: the S3 bucket the stages' `backend.type: "s3"` points at (versioned,
 * SSE-KMS under its own CMK with the configured alias, TLS-only, no public access, never destroyed by a
 * plan), and two managed policies for CI: read state (the plan role) and read/write state and its
 * S3-native lock files (the deploy role). Its own state stays local: it exists before any bucket does.
 */
export class StateBucketStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: StateBucketStackProps) {
    super(scope, id);
    const { config } = props;
    const backend = config.backend;
    if (backend.type !== 's3' || !backend.bucket) {
      throw new Error(`the state bucket needs backend.type "s3" and backend.bucket in the ${config.stage} config. Received ${JSON.stringify(backend)}`);
    }
    addAwsProvider(this, config, backend.region ?? config.region);
    useLocalState(this, id);

    const account = new AccountContext(this, 'account');
    const key = new CustomerManagedKey(this, 'key', { account, aliasName: backend.kmsKeyAlias, description: 'Terraform state of the IoT pipeline' });
    const bucket = new SecureBucket(this, 'state', {
      bucketName: backend.bucket,
      encryptionKey: key,
      noncurrentVersionDays: STATE_VERSION_DAYS,
      preventDestroy: true,
    });

    // State keys are <keyPrefix>/<stack>.tfstate, lock files <keyPrefix>/<stack>.tfstate.tflock.
    const prefix = `${backend.keyPrefix}/`;
    const policyPrefix = `iot-tfstate-${config.stage}`;
    const read = new ManagedPolicy(this, 'read', {
      policyName: `${policyPrefix}-read`,
      description: 'Attach to the CI plan role: read Terraform state (plans run with -lock=false)',
    });
    bucket.grantRead(read, prefix);
    const write = new ManagedPolicy(this, 'write', {
      policyName: `${policyPrefix}-write`,
      description: 'Attach to the CI deploy role and deployers: read and write Terraform state and its lock files',
    });
    bucket.grantReadWrite(write, prefix);

    writeOutputs(
      this,
      { stateBucket: bucket.bucketName, stateKeyArn: key.keyArn, readPolicyArn: read.policyArn, writePolicyArn: write.policyArn },
      {
        stateBucket: 'backend.bucket',
        stateKeyArn: `CMK of the state objects (alias ${key.aliasName})`,
        readPolicyArn: 'managed policy for the plan role',
        writePolicyArn: 'managed policy for the deploy role',
      },
    );
  }
}
