/**
 * What each chart of the HTML report shows, as plain data (axes, series, values) derived from a report object:
 * testable without a browser. draw-charts.js turns these into uPlot charts; one chart per question.
 */
import type { FindLimitReport } from '../find-limit-report';
import type { RunReport } from '../report';

export type SeriesStyle = 'line' | 'dashed' | 'points' | 'line-points' | 'step' | 'bars' | 'bars-left' | 'bars-right';

export interface ChartSeries {
  readonly label: string;
  readonly values: readonly (number | null)[];
  readonly color: string;
  readonly style: SeriesStyle;
  /** Which y axis: the left one (default) or the right one. */
  readonly axis?: 'y' | 'y2';
}

export interface ChartSpec {
  readonly id: string;
  readonly title: string;
  /** One line under the title saying how to read it. */
  readonly note: string;
  readonly x: { readonly label: string; readonly values: readonly number[]; readonly labels?: readonly string[] };
  readonly y: { readonly label: string; readonly log?: boolean };
  readonly y2?: { readonly label: string };
  readonly series: readonly ChartSeries[];
}

/** Colors that stay apart for the common kinds of color blindness (Okabe-Ito). */
export const COLORS = {
  target: '#000000',
  sent: '#56B4E9',
  acked: '#009E73',
  throttled: '#E69F00',
  retried: '#CC79A7',
  dropped: '#0072B2',
  failed: '#B00020',
  request: '#56B4E9',
  record: '#D55E00',
  consumer: '#7B3294',
} as const;

const shortShard = (shardId: string): string => shardId.replace(/^shardId-0*/, '#').replace(/^#$/, '#0');

function runCharts(r: RunReport): ChartSpec[] {
  const seconds = r.series.map((p) => p.second);
  const pick = (f: (p: RunReport['series'][number]) => number | null | undefined) => r.series.map((p) => f(p) ?? null);
  const charts: ChartSpec[] = [
    {
      id: 'chart-rate',
      title: 'Target vs achieved rate',
      note: 'Records per second: due on the schedule (the target), sent, and acknowledged by the stream.',
      x: { label: 'seconds since start', values: seconds },
      y: { label: 'records/s' },
      series: [
        { label: r.rateMode === 'max' ? 'taken (max)' : 'target', values: pick((p) => p.scheduled), color: COLORS.target, style: 'dashed' },
        { label: 'sent', values: pick((p) => p.sent), color: COLORS.sent, style: 'line' },
        { label: 'acked', values: pick((p) => p.acked), color: COLORS.acked, style: 'line' },
      ],
    },
    {
      id: 'chart-failures',
      title: 'Throttled, retried, dropped and failed',
      note: 'Per second. Throttled entries are retried with backoff; dropped records fell due with no room (open model); failed ones used up their retries.',
      x: { label: 'seconds since start', values: seconds },
      y: { label: 'records/s' },
      series: [
        { label: 'throttled', values: pick((p) => p.throttled), color: COLORS.throttled, style: 'line' },
        { label: 'retried', values: pick((p) => p.retried), color: COLORS.retried, style: 'dashed' },
        { label: 'dropped', values: pick((p) => p.dropped), color: COLORS.dropped, style: 'line' },
        { label: 'failed', values: pick((p) => p.failed), color: COLORS.failed, style: 'line' },
      ],
    },
    {
      id: 'chart-latency',
      title: 'Request and record latency',
      note: 'Per second, log scale. Request: one PutRecords call. Record: from the time the record fell due to its ack (queueing and retries included).',
      x: { label: 'seconds since start', values: seconds },
      y: { label: 'ms', log: true },
      series: [
        { label: 'request p50', values: pick((p) => p.latencyMs?.p50), color: COLORS.request, style: 'dashed' },
        { label: 'request p99', values: pick((p) => p.latencyMs?.p99), color: COLORS.request, style: 'line' },
        { label: 'record p50', values: pick((p) => p.recordLatencyMs?.p50), color: COLORS.record, style: 'dashed' },
        { label: 'record p99', values: pick((p) => p.recordLatencyMs?.p99), color: COLORS.record, style: 'line' },
      ],
    },
  ];
  if (r.shards.length) {
    charts.push({
      id: 'chart-shards',
      title: 'Records per shard',
      note: 'Acknowledged and throttled entries per shard over the whole run: an uneven spread means a hot partition key range.',
      x: { label: 'shard', values: r.shards.map((_, i) => i), labels: r.shards.map((s) => shortShard(s.shardId)) },
      y: { label: 'records' },
      series: [
        { label: 'acked', values: r.shards.map((s) => s.records), color: COLORS.acked, style: 'bars-left' },
        { label: 'throttled', values: r.shards.map((s) => s.throttled ?? 0), color: COLORS.throttled, style: 'bars-right' },
      ],
    });
  }
  if (r.consumer && r.consumer.points.length) {
    charts.push({
      id: 'chart-consumer',
      title: 'Consumer lag (CloudWatch)',
      note: `Per ${r.consumer.periodSeconds} s CloudWatch period: the maximum GetRecords.IteratorAgeMilliseconds (how far behind the consumer reads), and the records the stream counted in and throttled.`,
      x: { label: 'seconds since start', values: r.consumer.points.map((p) => p.second) },
      y: { label: 'iterator age, ms' },
      y2: { label: 'records/s' },
      series: [
        { label: 'iterator age max', values: r.consumer.points.map((p) => p.iteratorAgeMsMax), color: COLORS.consumer, style: 'line-points' },
        { label: 'incoming/s', values: r.consumer.points.map((p) => p.incomingRecordsPerSecond), color: COLORS.acked, style: 'line-points', axis: 'y2' },
        { label: 'write throttled/s', values: r.consumer.points.map((p) => p.writeThrottledPerSecond), color: COLORS.throttled, style: 'line-points', axis: 'y2' },
      ],
    });
  }
  return charts;
}

function findLimitCharts(r: FindLimitReport): ChartSpec[] {
  const steps = r.steps;
  const byRate = [...steps].sort((a, b) => a.targetRate - b.targetRate);
  const charts: ChartSpec[] = [
    {
      id: 'chart-steps',
      title: 'Offered vs achieved, step by step',
      note: 'Each step offers a rate (after a burst that uses up the shards\' burst allowance) and measures what the stream acknowledges.',
      x: { label: 'step', values: steps.map((s) => s.step) },
      y: { label: 'records/s' },
      series: [
        { label: 'offered', values: steps.map((s) => s.targetRate), color: COLORS.target, style: 'points' },
        { label: 'achieved', values: steps.map((s) => s.achievedRate), color: COLORS.acked, style: 'line-points' },
      ],
    },
    {
      id: 'chart-knee',
      title: 'Achieved and throttled by offered rate',
      note: 'The knee: below the limit achieved follows offered and nothing is throttled; above it achieved flattens and throttling climbs.',
      x: { label: 'offered records/s', values: byRate.map((s) => s.targetRate) },
      y: { label: 'achieved records/s' },
      y2: { label: 'throttled %' },
      series: [
        { label: 'achieved', values: byRate.map((s) => s.achievedRate), color: COLORS.acked, style: 'line-points' },
        { label: 'throttled %', values: byRate.map((s) => Math.round(s.throttledShare * 10000) / 100), color: COLORS.throttled, style: 'line-points', axis: 'y2' },
      ],
    },
    {
      id: 'chart-step-latency',
      title: 'Latency by step',
      note: 'Log scale. Record latency runs from the time a record fell due to its ack.',
      x: { label: 'step', values: steps.map((s) => s.step) },
      y: { label: 'ms', log: true },
      series: [
        { label: 'request p99', values: steps.map((s) => s.latencyMs.p99 || null), color: COLORS.request, style: 'line-points' },
        { label: 'record p50', values: steps.map((s) => s.recordLatencyMs.p50 || null), color: COLORS.record, style: 'dashed' },
        { label: 'record p99', values: steps.map((s) => s.recordLatencyMs.p99 || null), color: COLORS.record, style: 'line-points' },
      ],
    },
  ];
  if (r.maxSustainedPerShard.length) {
    charts.push({
      id: 'chart-shards',
      title: 'Per shard at the highest sustained rate',
      note: 'Records/s each shard acknowledged at the highest sustained step: the busiest shard reaches its limit first.',
      x: { label: 'shard', values: r.maxSustainedPerShard.map((_, i) => i), labels: r.maxSustainedPerShard.map((s) => shortShard(s.shardId)) },
      y: { label: 'records/s' },
      series: [{ label: 'acked/s', values: r.maxSustainedPerShard.map((s) => s.recordsPerSecond), color: COLORS.acked, style: 'bars' }],
    });
  }
  return charts;
}

export function chartSpecs(report: RunReport | FindLimitReport): ChartSpec[] {
  return report.command === 'find-limit' ? findLimitCharts(report) : runCharts(report);
}
