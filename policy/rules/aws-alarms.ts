import { blocks, resourcesOf } from '../terraform-json';
import { finding, type PolicyRule } from '../types';

/** Kinesis consumer-lag metrics: polling (per stream) and enhanced fan-out (per consumer). */
const LAG_METRICS = ['GetRecords.IteratorAgeMilliseconds', 'SubscribeToShardEvent.MillisBehindLatest'];

const consumerLagMissingData: PolicyRule = {
  id: 'IOT-AWS-014',
  severity: 'MEDIUM',
  description: 'Kinesis consumer-lag alarms do not treat missing data as breaching (no data means nobody reads, not lag)',
  check(stack) {
    return resourcesOf(stack, 'aws_cloudwatch_metric_alarm')
      .filter(([, alarm]) => {
        const metrics = [alarm.metric_name, ...blocks(alarm.metric_query).flatMap((q) => [q.expression, ...blocks(q.metric).map((m) => m.metric_name)])];
        return metrics.some((m) => typeof m === 'string' && LAG_METRICS.some((lag) => m.includes(lag)));
      })
      .filter(([, alarm]) => alarm.treat_missing_data === 'breaching')
      .map(([address]) =>
        finding(this, address, 'consumer-lag alarm treats missing data as breaching, so it fires whenever no consumer runs: use missing or notBreaching'),
      );
  },
};

export const alarmRules: PolicyRule[] = [consumerLagMissingData];
