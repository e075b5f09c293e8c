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
   * SNS topic ARNs notified on ALARM and OK.
   * @default none: the alarms only change state
   */
  readonly actions?: string[];
}

/** CloudWatch alarms on the two signals that matter for an ingest stream: producers throttled, consumers behind. */
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
      namespace: 'AWS/Kinesis',
      dimensions: { StreamName: props.stream.streamName },
      period,
      evaluationPeriods,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      alarmActions: props.actions,
      okActions: props.actions,
    };
    this.writeThrottleAlarmArn = new CloudwatchMetricAlarm(this, 'write-throttled', {
      ...common,
      alarmName: `${props.namePrefix}-kinesis-write-throttled`,
      alarmDescription: 'Producers are throttled: add shards (or switch to on-demand) or slow the producers.',
      metricName: 'WriteProvisionedThroughputExceeded',
      statistic: 'Sum',
      threshold: writeThrottleThreshold,
      // No data means no writes, hence no throttling.
      treatMissingData: 'notBreaching',
    }).arn;
    this.iteratorAgeAlarmArn = new CloudwatchMetricAlarm(this, 'iterator-age', {
      ...common,
      alarmName: `${props.namePrefix}-kinesis-consumer-lagging`,
      alarmDescription: 'The stream consumer is falling behind: records wait longer than the threshold before being read.',
      metricName: 'GetRecords.IteratorAgeMilliseconds',
      statistic: 'Maximum',
      threshold: iteratorAgeMs,
      // No data means no consumer is reading at all: that is what this alarm is for.
      treatMissingData: 'breaching',
    }).arn;
  }
}
