import { Construct } from 'constructs';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import type { IngestStream } from './kinesis-stream';

export interface StreamAlarmsProps {
  readonly stream: IngestStream;
  /** Prefix of the alarm names, e.g. `iot-dev`. */
  readonly namePrefix: string;
  /**
   * Throttled writes (Sum of WriteProvisionedThroughputExceeded per period) at which the alarm fires.
   * @default 1 (any throttling)
   */
  readonly writeThrottleThreshold?: number;
  /**
   * Age of the oldest record a consumer read (Maximum of GetRecords.IteratorAgeMilliseconds) at which the
   * lag alarm fires.
   * @default 60000 (one minute behind)
   */
  readonly iteratorAgeMs?: number;
  /**
   * Metric period in seconds.
   * @default 60
   */
  readonly periodSeconds?: number;
  /**
   * Consecutive breaching periods before the alarm fires.
   * @default 5
   */
  readonly evaluationPeriods?: number;
  /**
   * How the stream's consumer reads, which decides the lag metric: polling consumers report
   * `GetRecords.IteratorAgeMilliseconds` per stream; enhanced fan-out consumers report
   * `SubscribeToShardEvent.MillisBehindLatest` per consumer (and no GetRecords metric at all).
   * @default 'polling'
   */
  readonly consumerMode?: 'polling' | 'efo';
  /**
   * SNS topic ARNs notified on ALARM and OK.
   * @default none: the alarms only change state
   */
  readonly actions?: string[];
}

/** The lag metrics of the two consumer modes (namespace AWS/Kinesis). */
export const POLLING_LAG_METRIC = 'GetRecords.IteratorAgeMilliseconds';
export const EFO_LAG_METRIC = 'SubscribeToShardEvent.MillisBehindLatest';

/**
 * CloudWatch alarms on the two signals that matter for an ingest stream: producers throttled, consumers
 * behind. Lag is measured only while a consumer reads: with no data (no job deployed yet, the job paused,
 * or a consumer mode that does not publish the metric) the lag alarm stays INSUFFICIENT_DATA instead of
 * firing, and a stopped job is reported by the job's own failure notifications.
 */
export class StreamAlarms extends Construct {
  readonly writeThrottleAlarmArn: string;
  readonly iteratorAgeAlarmArn: string;

  constructor(scope: Construct, id: string, props: StreamAlarmsProps) {
    super(scope, id);
    const writeThrottleThreshold = props.writeThrottleThreshold ?? 1;
    const iteratorAgeMs = props.iteratorAgeMs ?? 60000;
    const period = props.periodSeconds ?? 60;
    const evaluationPeriods = props.evaluationPeriods ?? 5;
    if (!Number.isInteger(writeThrottleThreshold) || writeThrottleThreshold < 1) {
      throw new Error(`writeThrottleThreshold must be an integer >= 1. Received ${writeThrottleThreshold}`);
    }
    if (!Number.isInteger(iteratorAgeMs) || iteratorAgeMs < 1000) {
      throw new Error(`iteratorAgeMs must be an integer >= 1000. Received ${iteratorAgeMs}`);
    }
    if (!Number.isInteger(period) || period < 60 || period % 60 !== 0) {
      throw new Error(`periodSeconds must be a multiple of 60 (Kinesis stream metrics are per minute). Received ${period}`);
    }
    if (!Number.isInteger(evaluationPeriods) || evaluationPeriods < 1) {
      throw new Error(`evaluationPeriods must be an integer >= 1. Received ${evaluationPeriods}`);
    }
    const common = {
      evaluationPeriods,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      alarmActions: props.actions,
      okActions: props.actions,
    };
    const perStream = { namespace: 'AWS/Kinesis', dimensions: { StreamName: props.stream.streamName }, period };
    this.writeThrottleAlarmArn = new CloudwatchMetricAlarm(this, 'write-throttled', {
      ...common,
      ...perStream,
      alarmName: `${props.namePrefix}-kinesis-write-throttled`,
      alarmDescription: 'Producers are throttled: add shards (or switch to on-demand) or slow the producers.',
      metricName: 'WriteProvisionedThroughputExceeded',
      statistic: 'Sum',
      threshold: writeThrottleThreshold,
      // No data means no writes, hence no throttling.
      treatMissingData: 'notBreaching',
    }).arn;
    const lag =
      (props.consumerMode ?? 'polling') === 'polling'
        ? { ...perStream, metricName: POLLING_LAG_METRIC, statistic: 'Maximum' }
        : {
            // Enhanced fan-out lag is per consumer, and the Databricks connector names its consumer at run
            // time: a Metrics Insights query takes the worst consumer of this stream.
            metricQuery: [
              {
                id: 'lag',
                expression: `SELECT MAX("${EFO_LAG_METRIC}") FROM SCHEMA("AWS/Kinesis", ConsumerName, StreamName) WHERE StreamName = '${props.stream.streamName}'`,
                period,
                returnData: true,
              },
            ],
          };
    this.iteratorAgeAlarmArn = new CloudwatchMetricAlarm(this, 'iterator-age', {
      ...common,
      ...lag,
      alarmName: `${props.namePrefix}-kinesis-consumer-lagging`,
      alarmDescription: 'The stream consumer is falling behind: records wait longer than the threshold before being read.',
      threshold: iteratorAgeMs,
      // No data means nobody is reading (no job yet, job paused): that is not lag. Keep the state instead of
      // firing; the job's failure e-mails report a consumer that stopped.
      treatMissingData: 'missing',
    }).arn;
  }
}
