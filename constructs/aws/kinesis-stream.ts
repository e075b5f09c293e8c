import { Construct } from 'constructs';
import { Token } from 'cdktf';
import { KinesisStream } from '@cdktf/provider-aws/lib/kinesis-stream';
import { KINESIS_STREAM_NAME } from '../../contract/aws-names';
import { grantKey, type CustomerManagedKey } from './kms-key';
import type { IGrantable } from './policy-document';

/**
 * What a polling consumer calls: Databricks documents ListShards, GetRecords and GetShardIterator for its
 * Kinesis source. All three take the stream ARN as their IAM resource (AWS's KCL permission table scopes
 * ListShards to `arn:aws:kinesis:<region>:<account>:stream/<name>`; older guides used `*`).
 */
export const READ_OPERATIONS = ['kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:ListShards'];

/**
 * What a producer calls: writes, plus shard discovery for shard-aware batching (loadgen lists shards and
 * reads the stream mode), all on the stream ARN.
 */
export const WRITE_OPERATIONS = ['kinesis:PutRecord', 'kinesis:PutRecords', 'kinesis:DescribeStreamSummary', 'kinesis:ListShards'];

/** Enhanced fan-out: registering a consumer is a stream action ... */
export const EFO_STREAM_OPERATIONS = ['kinesis:DescribeStreamSummary', 'kinesis:ListStreamConsumers', 'kinesis:RegisterStreamConsumer'];
/** ... while reading through it is an action on the consumer's own ARN (`<stream arn>/consumer/<name>:<ts>`). */
export const EFO_CONSUMER_OPERATIONS = ['kinesis:DeregisterStreamConsumer', 'kinesis:DescribeStreamConsumer', 'kinesis:SubscribeToShard'];

/**
 * Reading the stream's CloudWatch metrics (iterator age, incoming and throttled records). GetMetricData takes no
 * resource ARN, so the grant is on "*" (contract/iam-unscoped-actions.ts says why that is allowed).
 */
export const METRICS_READ_OPERATIONS = ['cloudwatch:GetMetricData'];

export type StreamMode = 'PROVISIONED' | 'ON_DEMAND';

/** A stream and the key its records are encrypted with, by ARN: enough to grant access from any stack. */
export interface StreamReference {
  readonly streamArn: string;
  /** The stream's server-side encryption key. */
  readonly keyArn: string;
}

/**
 * Read records and discover shards on `stream`, decrypt with its key; with `enhancedFanOut`, also register
 * and subscribe through a consumer of this stream. A function, so a stack that only knows the ARNs (the
 * Databricks stack's service-credential role) grants exactly what `IngestStream.grantRead` does.
 */
export function grantStreamRead(grantee: IGrantable, stream: StreamReference, options: { readonly enhancedFanOut?: boolean } = {}): void {
  grantee.addToPolicy({ sid: 'StreamRead', actions: READ_OPERATIONS, resources: [stream.streamArn] });
  if (options.enhancedFanOut) {
    grantee.addToPolicy({ sid: 'StreamRegisterConsumer', actions: EFO_STREAM_OPERATIONS, resources: [stream.streamArn] });
    // Consumer names and creation timestamps are chosen at run time: scoped to this stream's consumers.
    grantee.addToPolicy({ sid: 'StreamConsumerRead', actions: EFO_CONSUMER_OPERATIONS, resources: [`${stream.streamArn}/consumer/*`] });
  }
  grantKey(grantee, stream.keyArn, 'decrypt');
}

/**
 * Put records on `stream` and discover its shards, generate data keys with its key: exactly what the
 * producer policy holds. A function, so a stack that only knows the ARNs (the load fleet's job role) grants
 * exactly what `IngestStream.grantWrite` does.
 */
export function grantStreamWrite(grantee: IGrantable, stream: StreamReference): void {
  grantee.addToPolicy({ sid: 'StreamWrite', actions: WRITE_OPERATIONS, resources: [stream.streamArn] });
  grantKey(grantee, stream.keyArn, 'encrypt');
}

export interface IngestStreamProps {
  /** Stream name, 1-128 of letters, digits, `_`, `-`, `.`. */
  readonly name: string;
  /** Server-side encryption key (a customer-managed key: there is no unencrypted option). */
  readonly encryptionKey: CustomerManagedKey;
  /**
   * PROVISIONED (fixed shards, `shardCount`) or ON_DEMAND (Kinesis scales shards itself).
   * @default 'PROVISIONED'
   */
  readonly mode?: StreamMode;
  /**
   * Shards of a provisioned stream; must be left out for ON_DEMAND.
   * @default 1 for PROVISIONED
   */
  readonly shardCount?: number;
  /**
   * How long records stay readable, 24 to 8760 hours.
   * @default 24
   */
  readonly retentionHours?: number;
  /**
   * Per-shard CloudWatch metrics to enable (shows hot shards, which stream-level metrics average away).
   * @default none
   */
  readonly shardLevelMetrics?: string[];
}

/** A KMS-encrypted Kinesis data stream with grants scoped to its ARN. */
export class IngestStream extends Construct implements StreamReference {
  readonly streamName: string;
  readonly streamArn: string;
  readonly keyArn: string;
  readonly mode: StreamMode;

  constructor(scope: Construct, id: string, props: IngestStreamProps) {
    super(scope, id);
    const mode = props.mode ?? 'PROVISIONED';
    const retentionHours = props.retentionHours ?? 24;
    if (!Token.isUnresolved(props.name) && !KINESIS_STREAM_NAME.test(props.name)) {
      throw new Error(`name must be 1-128 letters, digits, _ - or . Received ${JSON.stringify(props.name)}`);
    }
    if (!Number.isInteger(retentionHours) || retentionHours < 24 || retentionHours > 8760) {
      throw new Error(`retentionHours must be an integer between 24 and 8760. Received ${retentionHours}`);
    }
    if (mode === 'ON_DEMAND' && props.shardCount !== undefined) {
      throw new Error(`shardCount must be left out for an ON_DEMAND stream. Received ${props.shardCount}`);
    }
    const shardCount = mode === 'PROVISIONED' ? (props.shardCount ?? 1) : undefined;
    if (shardCount !== undefined && (!Number.isInteger(shardCount) || shardCount < 1)) {
      throw new Error(`shardCount must be an integer >= 1. Received ${shardCount}`);
    }
    const stream = new KinesisStream(this, 'stream', {
      name: props.name,
      retentionPeriod: retentionHours,
      shardCount,
      streamModeDetails: { streamMode: mode },
      encryptionType: 'KMS',
      kmsKeyId: props.encryptionKey.keyArn,
      shardLevelMetrics: props.shardLevelMetrics?.length ? [...props.shardLevelMetrics] : undefined,
      // Enhanced fan-out consumers are registered by the reader at run time (the Databricks connector in efo
      // mode), not by Terraform: without this a destroy stops on ResourceInUseException while one exists.
      enforceConsumerDeletion: true,
    });
    this.streamName = stream.name;
    this.streamArn = stream.arn;
    this.keyArn = props.encryptionKey.keyArn;
    this.mode = mode;
  }

  /** Read records from this stream: see grantStreamRead. */
  grantRead(grantee: IGrantable, options: { readonly enhancedFanOut?: boolean } = {}): void {
    grantStreamRead(grantee, this, options);
  }

  /** Read this stream's CloudWatch metrics; the action cannot be scoped to the stream, so the grant says "*". */
  grantMetricsRead(grantee: IGrantable): void {
    grantee.addToPolicy({ sid: 'StreamMetricsRead', actions: METRICS_READ_OPERATIONS, resources: ['*'] });
  }

  /** Put records on this stream (and list its shards), generate data keys with its key: see grantStreamWrite. */
  grantWrite(grantee: IGrantable): void {
    grantStreamWrite(grantee, this);
  }
}
