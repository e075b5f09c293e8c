import { z } from 'zod';
import { AWS_REGION, KINESIS_STREAM_NAME } from '../contract/aws-names';
import { ECR_IMAGE_TAG, FARGATE_VCPUS, fargateMemoryProblem, LOG_RETENTION_DAYS, MAX_SECURITY_GROUPS, SECURITY_GROUP_ID, SUBNET_ID } from '../contract/aws-values';
import { REPORTS_PREFIX } from '../contract/load-fleet';
import { databricksConfigSchema } from './databricks-schema';
import { int } from './zod-helpers';

/**
 * The app config: `config/<stage>.json`, validated at synth. Every object is strict, so a misspelt key stops
 * synth instead of silently falling back to a default. Messages are written to complete the sentence
 * "<key> ...", e.g. "stream.shardCount must be >= 1"; config/load.ts adds the value received.
 */

/** Per-shard metrics Kinesis can publish to CloudWatch (EnableEnhancedMonitoring). */
export const SHARD_LEVEL_METRICS = [
  'IncomingBytes',
  'IncomingRecords',
  'OutgoingBytes',
  'OutgoingRecords',
  'WriteProvisionedThroughputExceeded',
  'ReadProvisionedThroughputExceeded',
  'IteratorAgeMilliseconds',
] as const;


export const streamSchema = z
  .strictObject({
    /** Kinesis stream name: 1-128 of letters, digits, `_`, `-`, `.`. */
    name: z.string().regex(KINESIS_STREAM_NAME, { error: 'must be 1-128 letters, digits, _ - or .' }),
    mode: z.enum(['PROVISIONED', 'ON_DEMAND'], { error: 'must be one of PROVISIONED, ON_DEMAND' }).default('PROVISIONED'),
    /** Required for PROVISIONED; not allowed for ON_DEMAND (Kinesis scales the shards itself). */
    shardCount: int(1, 10000).optional(),
    retentionHours: int(24, 8760).default(24),
    shardLevelMetrics: z
      .array(z.enum(SHARD_LEVEL_METRICS, { error: `must list only ${SHARD_LEVEL_METRICS.join(', ')}` }))
      .default([...SHARD_LEVEL_METRICS]),
  })
  .superRefine((s, ctx) => {
    if (s.mode === 'PROVISIONED' && s.shardCount === undefined) {
      ctx.addIssue({ code: 'custom', path: ['shardCount'], message: 'is required when stream.mode is PROVISIONED (an integer >= 1)' });
    }
    if (s.mode === 'ON_DEMAND' && s.shardCount !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['shardCount'], message: 'must be left out when stream.mode is ON_DEMAND' });
    }
  });

export const lakeSchema = z.strictObject({
  /** S3 bucket name; default `iot-lake-<stage>-<account id>-<region>` (globally unique, known at plan). */
  bucketName: z
    .string()
    .regex(/^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: 'must be a valid S3 bucket name (3-63 of a-z, 0-9, . and -)' })
    .optional(),
  /** Let `cdktf destroy` delete a bucket that still holds objects. */
  forceDestroy: z.boolean({ error: 'must be true or false' }).default(false),
  noncurrentVersionDays: int(1, 3650).default(30),
});

export const clusterSchema = z.strictObject({
  /**
   * The Databricks cluster writes to the lake bucket through its instance profile (legacy, without Unity
   * Catalog). Off: tables are written through Unity Catalog's storage credential, and the cluster role gets
   * no S3 access at all.
   */
  writesToS3: z.boolean({ error: 'must be true or false' }).default(false),
  /** Bucket prefixes the cluster may read and write when writesToS3 is on. */
  lakePrefixes: z
    .array(z.string().regex(/^[a-zA-Z0-9_.-]+(\/[a-zA-Z0-9_.-]+)*\/$/, { error: 'must be a key prefix such as delta/ (no wildcards, ends with /)' }))
    .min(1, { error: 'must list at least one prefix' })
    .default(['delta/']),
});

export const alarmsSchema = z.strictObject({
  /** WriteProvisionedThroughputExceeded (Sum per period) at or above which the throttle alarm fires. */
  writeThrottleThreshold: int(1).default(1),
  /** GetRecords.IteratorAgeMilliseconds (Maximum) at or above which the consumer-lag alarm fires. */
  iteratorAgeMs: int(1000).default(60000),
  periodSeconds: z.union([z.literal(60), z.literal(300), z.literal(900), z.literal(3600)], { error: 'must be one of 60, 300, 900, 3600' }).default(60),
  evaluationPeriods: int(1, 100).default(5),
  /** Creates an encrypted SNS topic for the alarms and subscribes this address (confirm the mail AWS sends). */
  email: z.email({ error: 'must be an e-mail address' }).optional(),
  /** An existing SNS topic the alarms also notify. Neither this nor email: the alarms only change state. */
  snsTopicArn: z.string().regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/, { error: 'must be an SNS topic ARN' }).optional(),
});

export const backendSchema = z
  .strictObject({
    type: z.enum(['local', 's3'], { error: 'must be one of local, s3' }).default('local'),
    /** State bucket (s3 only). */
    bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: 'must be a valid S3 bucket name' }).optional(),
    /** State bucket's region (s3 only); default: the stack's region. */
    region: z.string().regex(AWS_REGION, { error: 'must be an AWS region such as eu-west-1' }).optional(),
    /** State key is `<keyPrefix>/<stack name>.tfstate`. */
    keyPrefix: z.string().regex(/^[a-zA-Z0-9_.-]+(\/[a-zA-Z0-9_.-]+)*$/, { error: 'must be a key prefix such as iot-streaming' }).default('iot-streaming'),
    /** Alias (without `alias/`) of the KMS key that encrypts state objects; the state-bucket bootstrap creates it. */
    kmsKeyAlias: z
      .string()
      .regex(/^(?!aws\/|alias\/)[a-zA-Z0-9/_-]{1,250}$/, { error: 'must be a KMS alias name without alias/, such as iot-tfstate' })
      .default('iot-tfstate'),
  })
  .superRefine((b, ctx) => {
    if (b.type === 's3' && b.bucket === undefined) {
      ctx.addIssue({ code: 'custom', path: ['bucket'], message: 'is required when backend.type is s3 (the state bucket name)' });
    }
  });

/**
 * The load fleet: loadgen children as an AWS Batch array job on Fargate (stack `iot-loadgen-<stage>`). Off by
 * default: it needs the account's own subnets and security groups, which no shipped file can know.
 */
export const loadFleetSchema = z
  .strictObject({
    enabled: z.boolean({ error: 'must be true or false' }).default(false),
    /** Subnets the children run in: private with NAT or VPC endpoints, or public with assignPublicIp. */
    subnetIds: z
      .array(z.string().regex(SUBNET_ID, { error: 'must be a subnet id such as subnet-0123456789abcdef0' }), { error: 'must be a list of subnet ids' })
      .min(1, { error: 'must list at least one subnet id' })
      .optional(),
    securityGroupIds: z
      .array(z.string().regex(SECURITY_GROUP_ID, { error: 'must be a security group id such as sg-0123456789abcdef0' }), { error: 'must be a list of security group ids' })
      .min(1, { error: 'must list at least one security group id' })
      .max(MAX_SECURITY_GROUPS, { error: `must list at most ${MAX_SECURITY_GROUPS} security group ids (an AWS Batch limit)` })
      .optional(),
    assignPublicIp: z.boolean({ error: 'must be true or false' }).default(false),
    /** vCPU of each child. */
    vcpu: z
      .number({ error: 'must be a number' })
      .refine((v) => FARGATE_VCPUS.includes(v), { error: `must be one of ${FARGATE_VCPUS.join(', ')} (Fargate sizes)` })
      .default(1),
    /** Memory of each child in MiB; default the least Fargate allows for vcpu (2 GiB per vCPU). */
    memoryMiB: int(512).optional(),
    /** vCPUs all children together may use: children beyond it wait, so a fleet run needs size x vcpu <= maxVcpus. */
    maxVcpus: int(1, 10000).default(16),
    jobTimeoutMinutes: int(1, 20160).default(120),
    logRetentionDays: z
      .number({ error: 'must be a number' })
      .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), { error: `must be one of ${LOG_RETENTION_DAYS.join(', ')}` })
      .default(30),
    /** Image tag the job definition runs unless TF_VAR_loadgen_image_tag says otherwise (the deploy workflow does). */
    imageTag: z.string().regex(ECR_IMAGE_TAG, { error: 'must be an image tag: up to 128 of letters, digits, _ . -, not starting with . or -' }).optional(),
    /** The one key prefix of the reports bucket the children may write to. */
    reportsPrefix: z
      .string()
      .regex(REPORTS_PREFIX, { error: 'must be a key prefix such as reports/ (no wildcards, ends with /)' })
      .default('reports/'),
  })
  .superRefine((f, ctx) => {
    if (f.enabled && f.subnetIds === undefined) {
      ctx.addIssue({ code: 'custom', path: ['subnetIds'], message: 'is required when loadFleet.enabled is true (subnet ids such as subnet-0123456789abcdef0)' });
    }
    if (f.enabled && f.securityGroupIds === undefined) {
      ctx.addIssue({ code: 'custom', path: ['securityGroupIds'], message: 'is required when loadFleet.enabled is true (security group ids such as sg-0123456789abcdef0)' });
    }
    const memoryProblem = f.memoryMiB === undefined ? undefined : fargateMemoryProblem(f.vcpu, f.memoryMiB);
    if (memoryProblem) ctx.addIssue({ code: 'custom', path: ['memoryMiB'], message: memoryProblem });
    if (f.maxVcpus < f.vcpu) {
      ctx.addIssue({ code: 'custom', path: ['maxVcpus'], message: `must be at least loadFleet.vcpu (${f.vcpu}), or no child could ever start` });
    }
  });

export const appConfigSchema = z.strictObject({
  /** Must equal the STAGE the file is loaded for (guards against copying prod.json over dev.json). */
  stage: z.string().regex(/^[a-z][a-z0-9-]{0,11}$/, { error: 'must be 1-12 of a-z, 0-9 and -, starting with a letter' }),
  region: z.string().regex(AWS_REGION, { error: 'must be an AWS region such as eu-west-1' }),
  /** Extra tags on every AWS resource (provider default tags); project, stage and managed-by are always set. */
  tags: z.record(z.string(), z.string().max(256, { error: 'must be at most 256 characters' })).default({}),
  stream: streamSchema,
  lake: lakeSchema.prefault({}),
  cluster: clusterSchema.prefault({}),
  alarms: alarmsSchema.prefault({}),
  backend: backendSchema.prefault({}),
  loadFleet: loadFleetSchema.prefault({}),
  databricks: databricksConfigSchema.strict(),
}).superRefine((c, ctx) => {
  // The cluster role reaches the lake only through the instance profile, which a standard cluster cannot use.
  if (c.cluster.writesToS3 && c.databricks.cluster.accessMode !== 'dedicated') {
    ctx.addIssue({ code: 'custom', path: ['cluster', 'writesToS3'], message: 'must be false unless databricks.cluster.accessMode is dedicated (a standard cluster cannot use the instance profile)' });
  }
});

export type AppConfig = z.infer<typeof appConfigSchema>;
