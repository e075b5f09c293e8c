/** Typed options of each command and their defaults. The CLI parses and checks them (cli/parse-options.ts). */
import type { RateSpec } from '../engine/rate-plan';
import { NO_LIMITS, type StreamLimits } from '../kinesis/shard-throughput';
import type { FleetTarget } from '../fleet/fleet-target';
import type { Stage } from '../engine/schedule';
import type { Segment } from '../segments/segment';
import type { SinkSpec } from '../sinks/types';
import type { Threshold } from '../thresholds/expression';

export { MAX_CONCURRENCY } from '../engine/concurrency';
export type { RateSpec } from '../engine/rate-plan';
export type { Stage } from '../engine/schedule';
export type { SinkSpec } from '../sinks/types';
export type { Threshold } from '../thresholds/expression';

/** `--out json=<file|->`: one JSON line per second of the run; path `-` is stdout. */
export interface MetricsOut {
  readonly format: 'json';
  readonly path: string;
}
export type { StreamLimits } from '../kinesis/shard-throughput';

/** Where records go: a named stream (optionally at an endpoint), or an embedded in-memory Kinesis. */
export interface TargetOptions {
  /** Undefined: start the embedded Kinesis and create a stream there. */
  readonly stream?: string;
  readonly region: string;
  readonly endpoint?: string;
}

/** What shapes the records and the requests: shared by run and find-limit. */
export interface ProducerOptions {
  /** Simulated devices = distinct partition keys. */
  readonly devices: number;
  readonly batchSize: number;
  /** In-flight PutRecords requests: a fixed number, or `auto` (the concurrency controller sizes it as the run goes). */
  readonly concurrency: number | 'auto';
  readonly generator: string;
  readonly anomalyRate: number;
  readonly seed: number;
}

export interface RunOptions extends TargetOptions, ProducerOptions {
  /** Shards of the embedded stream. @default 4 */
  readonly shards: number;
  /** The service limits the embedded stream enforces. @default none */
  readonly limits: StreamLimits;
  readonly rate: RateSpec;
  /** When set, replaces `rate` and `durationMs`. */
  readonly stages?: readonly Stage[];
  /** Undefined with `records` set: run until that many records. @default 30s when neither is set */
  readonly durationMs?: number;
  readonly records?: number;
  /** Multiplier on the per-shard limits (1,000 records/s, 1 MiB/s); null = no per-shard limit. */
  readonly shardLimit: number | null;
  readonly maxRetries: number;
  /** Fraction of the stream's write capacity `--rate auto` aims for. */
  readonly utilization: number;
  readonly verify: boolean;
  readonly report?: string;
  /** Write the self-contained HTML report here. */
  readonly reportHtml?: string;
  readonly quiet: boolean;
  readonly sink: SinkSpec;
  /** How long Ctrl-C or the end of the schedule waits for queued and in-flight records. */
  readonly drainTimeoutMs: number;
  /** Stop the run when no request has been answered for this long (endpoint gone). */
  readonly unreachableAfterMs: number;
  /** Share of each shard's read limits (5 calls/s, 2 MiB/s) the read-back may use; the rest is the consumers'. */
  readonly readShare: number;
  /** Pass/fail conditions on the report; any failure exits 99. */
  readonly thresholds: readonly Threshold[];
  /** The live per-second metrics stream. */
  readonly out?: MetricsOut;
  /** Sample the stream's CloudWatch metrics (consumer lag) during the run. */
  readonly watchConsumer: boolean;
  /** How often to sample CloudWatch during the run. */
  readonly watchIntervalMs: number;
  /** Longest wait after the run for CloudWatch to publish its last minute. */
  readonly watchGraceMs: number;
  /** The iterator age the consumer must stay under to count as keeping up. */
  readonly maxIteratorAgeMs: number;
  /** The share of the run this process does (`--segment i/n`, or a fleet child's array index). @default the whole run */
  readonly segment: Segment;
  /** Shared by every segment of one run, in records (`run_id`) and reports. */
  readonly runId: string;
  /** Wall-clock start of the schedule (`--start-at`): segments on several hosts start together. */
  readonly startAt?: Date;
  /** Worker threads, each running an equal segment of this process's share. @default 1 */
  readonly workers: number;
  /** A fleet child's report destination (from the fleet's environment): one PutObject after the run. */
  readonly reportUpload?: ReportUpload;
}

/** Where a fleet child puts its report: `s3://bucket/key` in `region`. */
export interface ReportUpload {
  readonly bucket: string;
  readonly key: string;
  readonly region: string;
}

export interface VerifyOptions extends TargetOptions {
  readonly stream: string;
  /** Read from this time; undefined = from the oldest record kept (TRIM_HORIZON). */
  readonly since?: Date;
  readonly report?: string;
  /** Share of each shard's read limits the reader may use. */
  readonly readShare: number;
}

export interface DescribeOptions extends TargetOptions {
  readonly stream: string;
  readonly json: boolean;
}

export interface AnalyticsOptions {
  /** A records file written by `run --sink file:`, or a folder of .jsonl/.ndjson records files. */
  readonly input: string;
  /** Notebook flag widgets to override (name -> value); the others keep the notebook's defaults. */
  readonly widgets: Readonly<Record<string, string>>;
  /** End of the charts' time windows; undefined = the newest reading. */
  readonly now?: Date;
  readonly report?: string;
  readonly json: boolean;
}

export interface MergeOptions {
  /** Report files, folders of them, or s3://bucket/prefix/ URLs. */
  readonly inputs: readonly string[];
  readonly report?: string;
  readonly reportHtml?: string;
  /** Evaluated on the merged report, after the parts' own. */
  readonly thresholds: readonly Threshold[];
  /** Region of the S3 bucket (s3:// inputs). */
  readonly region: string;
  readonly quiet: boolean;
}

export interface FleetRunOptions {
  /** Children of the array job: segments of the run. */
  readonly size: number;
  readonly target: FleetTarget;
  /** Shared by every child (`--run-id`), and the reports' folder. */
  readonly runId: string;
  /** The children's seed (the same in every child, so together they send one run's records). */
  readonly seed: number;
  /** From submission to the children's common start (`--start-at`): time for Fargate to start them. */
  readonly startDelayMs: number;
  /** How often the job is looked at while it runs. */
  readonly pollMs: number;
  /** The merged report. */
  readonly report: string;
  /** The merged report as HTML. */
  readonly reportHtml?: string;
  readonly quiet: boolean;
  /** `run` arguments every child gets (the fleet adds --segment through Batch, --run-id, --seed and --start-at). */
  readonly childArgs: readonly string[];
  /** Evaluated on the merged report (abortOnFail ones also by each child on its own segment). */
  readonly thresholds: readonly Threshold[];
}

export interface FleetStatusOptions {
  readonly jobId: string;
  readonly region: string;
}

export const FLEET_DEFAULTS = { startDelayMs: 120_000, pollMs: 15_000 } as const;
/** Children of one run: AWS Batch's array size limit. */
export const MAX_FLEET_SIZE = 10_000;

export interface LocalOptions {
  readonly port: number;
  readonly shards: number;
  readonly stream: string;
  /** The service limits the local stream enforces. @default none */
  readonly limits?: StreamLimits;
}

/** `find-limit`: the throttle-point search (search/). */
export interface FindLimitOptions extends TargetOptions, ProducerOptions {
  /** Shards of the embedded stream (which always enforces the write limits). */
  readonly shards: number;
  /** Records/s of the first step; undefined = half the stream's nominal capacity. */
  readonly startRate?: number;
  /** Highest rate to try; undefined = twice the nominal capacity. */
  readonly maxRate?: number;
  readonly growth: number;
  readonly resolution: number;
  /** Measured time of each step. */
  readonly stepDurationMs: number;
  /** Unmeasured time at the step's rate before the measurement. */
  readonly settleMs: number;
  /** Longest burst before each step (0: none). */
  readonly burstMaxMs: number;
  /** Largest share of throttled entries a sustained step may have. */
  readonly maxThrottled: number;
  /** Largest share of offered records a sustained step may leave unacknowledged. */
  readonly tolerance: number;
  readonly unreachableAfterMs: number;
  readonly report?: string;
  readonly reportHtml?: string;
  readonly quiet: boolean;
}

export const FIND_LIMIT_DEFAULTS = {
  growth: 1.5,
  resolution: 0.02,
  stepDurationMs: 30_000,
  settleMs: 5_000,
  burstMaxMs: 10_000,
  maxThrottled: 0.001,
  tolerance: 0.05,
  concurrency: 8,
} as const;

export const DEFAULT_REGION = 'us-east-1';
export const EMBEDDED_STREAM_NAME = 'loadgen';

export const RUN_DEFAULTS = {
  shards: 4,
  rate: { kind: 'auto' } as RateSpec,
  durationMs: 30_000,
  devices: 1000,
  batchSize: 500,
  concurrency: 'auto' as number | 'auto',
  generator: 'iot-sensor',
  anomalyRate: 0.01,
  shardLimit: 1 as number | null,
  maxRetries: 8,
  utilization: 0.8,
  drainTimeoutMs: 10_000,
  unreachableAfterMs: 5_000,
  readShare: 0.5,
  sink: { kind: 'kinesis' } as SinkSpec,
  limits: NO_LIMITS,
  watchIntervalMs: 60_000,
  watchGraceMs: 180_000,
  // The AWS stack's iterator-age alarm fires at the same age (alarms.iteratorAgeMs).
  maxIteratorAgeMs: 60_000,
} as const;

export const LOCAL_DEFAULTS = { port: 4567, shards: 4, stream: EMBEDDED_STREAM_NAME } as const;

/** Upper bounds that keep a typo from exhausting the machine. */
export const MAX_EMBEDDED_SHARDS = 200;
export const MAX_DEVICES = 10_000_000;
export const MAX_RETRIES_LIMIT = 100;
/** Worker threads: more than the cores only adds switching. */
export const MAX_WORKERS = 256;
