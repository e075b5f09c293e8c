import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { grantKey, type CustomerManagedKey } from './kms-key';
import { PolicyDocument, type IGrantable } from './policy-document';

/** Finding the bucket's region (has no s3:prefix context, so it is never prefix-scoped). */
export const BUCKET_LOCATION_OPERATIONS = ['s3:GetBucketLocation'];
/**
 * Bucket-level calls a writer of large objects makes besides listing: the in-progress multipart uploads
 * (no s3:prefix context either). Databricks' own Unity Catalog policy (`databricks_aws_unity_catalog_policy`)
 * includes it; without it UC cannot clean up failed uploads.
 */
export const BUCKET_UPLOAD_OPERATIONS = ['s3:ListBucketMultipartUploads'];
/** Listing the bucket (scoped to a prefix through the s3:prefix condition when one is given). */
export const BUCKET_LIST_OPERATIONS = ['s3:ListBucket'];
/** Reading objects. */
export const OBJECT_READ_OPERATIONS = ['s3:GetObject'];
/** Writing whole objects, nothing else: no read, list, delete or multipart upload (e.g. a report per run). */
export const OBJECT_WRITE_OPERATIONS = ['s3:PutObject'];
/** Reading and writing objects, including the multipart uploads Delta Lake uses for large files. */
export const OBJECT_READ_WRITE_OPERATIONS = [
  's3:AbortMultipartUpload',
  's3:DeleteObject',
  's3:GetObject',
  's3:ListMultipartUploadParts',
  's3:PutObject',
];

/** A bucket and the key its objects are encrypted with, by ARN: enough to grant access from any stack. */
export interface BucketReference {
  readonly bucketArn: string;
  /** The bucket's SSE-KMS key. */
  readonly keyArn: string;
}

const PREFIX = /^[a-zA-Z0-9_.-]+(\/[a-zA-Z0-9_.-]+)*\/$/;

function checkPrefix(prefix: string | undefined): void {
  if (prefix !== undefined && !PREFIX.test(prefix)) {
    throw new Error(`prefix must be a key prefix such as delta/ (no wildcards, ends with /). Received ${JSON.stringify(prefix)}`);
  }
}

function grantListing(grantee: IGrantable, bucket: BucketReference, prefix: string | undefined): void {
  grantee.addToPolicy({
    sid: 'BucketList',
    actions: BUCKET_LIST_OPERATIONS,
    resources: [bucket.bucketArn],
    condition: prefix ? [{ test: 'StringLike', variable: 's3:prefix', values: [prefix, `${prefix}*`] }] : undefined,
  });
}

/**
 * Read, write and delete objects of `bucket` (under `prefix`, e.g. `delta/`, or all of them), list them and
 * their multipart uploads, and use the bucket's key for it. A function, so a stack that only knows the ARNs
 * (the Databricks stack's Unity Catalog role) grants exactly what the bucket's own `grantReadWrite` does.
 */
export function grantBucketReadWrite(grantee: IGrantable, bucket: BucketReference, prefix?: string): void {
  checkPrefix(prefix);
  grantee.addToPolicy({ sid: 'BucketLevel', actions: [...BUCKET_LOCATION_OPERATIONS, ...BUCKET_UPLOAD_OPERATIONS], resources: [bucket.bucketArn] });
  grantListing(grantee, bucket, prefix);
  grantee.addToPolicy({ sid: 'BucketObjects', actions: OBJECT_READ_WRITE_OPERATIONS, resources: [`${bucket.bucketArn}/${prefix ?? ''}*`] });
  grantKey(grantee, bucket.keyArn, 'encrypt-decrypt');
}

/** Read and list objects of `bucket` (under `prefix`, or all of them) and decrypt them. */
export function grantBucketRead(grantee: IGrantable, bucket: BucketReference, prefix?: string): void {
  checkPrefix(prefix);
  grantee.addToPolicy({ sid: 'BucketLocation', actions: BUCKET_LOCATION_OPERATIONS, resources: [bucket.bucketArn] });
  grantListing(grantee, bucket, prefix);
  grantee.addToPolicy({ sid: 'BucketObjectsRead', actions: OBJECT_READ_OPERATIONS, resources: [`${bucket.bucketArn}/${prefix ?? ''}*`] });
  grantKey(grantee, bucket.keyArn, 'decrypt');
}

/**
 * Write objects of `bucket` under `prefix` (required: a writer gets one folder, never the bucket) with single
 * PutObject calls, and generate data keys with the bucket's key for it. Nothing to read, list or delete:
 * a writer cannot see or remove what others wrote.
 */
export function grantBucketWrite(grantee: IGrantable, bucket: BucketReference, prefix: string): void {
  checkPrefix(prefix);
  grantee.addToPolicy({ sid: 'BucketObjectsWrite', actions: OBJECT_WRITE_OPERATIONS, resources: [`${bucket.bucketArn}/${prefix}*`] });
  grantKey(grantee, bucket.keyArn, 'encrypt');
}

export interface SecureBucketProps {
  /** Globally unique bucket name (may be a token, e.g. built from the account id). */
  readonly bucketName: string;
  /** SSE-KMS key for every object (S3 bucket keys on, so KMS is called per bucket key, not per object). */
  readonly encryptionKey: CustomerManagedKey;
  /**
   * Let `terraform destroy` delete the bucket while it still holds objects.
   * @default false (a destroy cannot silently delete the lake)
   */
  readonly forceDestroy?: boolean;
  /**
   * Days after which a replaced or deleted object version is removed.
   * @default 30
   */
  readonly noncurrentVersionDays?: number;
  /**
   * Days after which unfinished multipart uploads are aborted (their parts are billed until then).
   * @default 7
   */
  readonly abortIncompleteUploadDays?: number;
  /**
   * Make Terraform refuse any plan that destroys the bucket (`lifecycle.prevent_destroy`), whatever
   * `forceDestroy` says: for a bucket that outlives every stack using it, such as the state bucket.
   * @default false
   */
  readonly preventDestroy?: boolean;
}

/**
 * A private bucket with secure defaults, for the Delta Lake and for Terraform state: SSE-KMS with a CMK,
 * versioning, no public access, ACLs disabled, TLS-only, and lifecycle rules that bound what old versions
 * and failed uploads cost.
 */
export class SecureBucket extends Construct implements BucketReference {
  readonly bucketName: string;
  readonly bucketArn: string;
  readonly keyArn: string;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    const noncurrentVersionDays = props.noncurrentVersionDays ?? 30;
    const abortIncompleteUploadDays = props.abortIncompleteUploadDays ?? 7;
    if (!Token.isUnresolved(props.bucketName) && !/^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(props.bucketName)) {
      throw new Error(`bucketName must be a valid S3 bucket name (3-63 of a-z, 0-9, . and -). Received ${JSON.stringify(props.bucketName)}`);
    }
    if (!Number.isInteger(noncurrentVersionDays) || noncurrentVersionDays < 1) {
      throw new Error(`noncurrentVersionDays must be an integer >= 1. Received ${noncurrentVersionDays}`);
    }
    if (!Number.isInteger(abortIncompleteUploadDays) || abortIncompleteUploadDays < 1) {
      throw new Error(`abortIncompleteUploadDays must be an integer >= 1. Received ${abortIncompleteUploadDays}`);
    }

    const bucket = new S3Bucket(this, 'bucket', {
      bucket: props.bucketName,
      forceDestroy: props.forceDestroy ?? false,
      ...(props.preventDestroy ? { lifecycle: { preventDestroy: true } } : {}),
    });
    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.keyArn = props.encryptionKey.keyArn;

    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: bucket.id,
      rule: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.encryptionKey.keyArn },
          bucketKeyEnabled: true,
        },
      ],
    });
    new S3BucketVersioningA(this, 'versioning', { bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } });
    const publicAccess = new S3BucketPublicAccessBlock(this, 'public-access', {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'ownership', { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket: bucket.id,
      rule: [
        {
          id: 'abort-incomplete-multipart-uploads',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: abortIncompleteUploadDays }],
        },
        {
          id: 'expire-noncurrent-versions',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          noncurrentVersionExpiration: [{ noncurrentDays: noncurrentVersionDays }],
        },
      ],
    });

    const tlsOnly = new PolicyDocument(this, 'tls-only', [
      {
        sid: 'DenyInsecureTransport',
        effect: 'Deny',
        actions: ['s3:*'],
        resources: [bucket.arn, `${bucket.arn}/*`],
        principals: [{ type: '*', identifiers: ['*'] }],
        condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
      },
    ]);
    // After the public access block, so S3 never evaluates the policy against a bucket that still allows it.
    new S3BucketPolicy(this, 'policy', { bucket: bucket.id, policy: tlsOnly.json, dependsOn: [publicAccess] });
  }

  /** `s3://<bucket>` */
  get bucketUrl(): string {
    return `s3://${this.bucketName}`;
  }

  /** Read, write and delete objects (under `prefix`, or all of them): see grantBucketReadWrite. */
  grantReadWrite(grantee: IGrantable, prefix?: string): void {
    grantBucketReadWrite(grantee, this, prefix);
  }

  /** Write objects under `prefix` and nothing else: see grantBucketWrite. */
  grantWrite(grantee: IGrantable, prefix: string): void {
    grantBucketWrite(grantee, this, prefix);
  }

  /** Read and list objects (under `prefix`, or all of them): see grantBucketRead. */
  grantRead(grantee: IGrantable, prefix?: string): void {
    grantBucketRead(grantee, this, prefix);
  }
}
