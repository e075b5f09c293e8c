/** `run --watch-consumer`: the CloudWatch client and the watch over the run's stream. */
import { ConsumerWatch, createCloudWatchClient } from '../watch/consumer-watch';
import type { ConsumerReport } from '../watch/consumer-types';
import type { RunOptions } from './options';

export interface RunningWatch {
  finish(runEnd: Date, log: (line: string) => void): Promise<ConsumerReport>;
  close(): void;
}

/** Starts sampling the stream's metrics from `startedAt`; CloudWatch is asked at --endpoint when there is one. */
export function startConsumerWatch(options: RunOptions, streamName: string, startedAt: Date): RunningWatch {
  const client = createCloudWatchClient({ region: options.region, endpoint: options.endpoint });
  const watch = new ConsumerWatch(client, streamName, {
    intervalMs: options.watchIntervalMs,
    graceMs: options.watchGraceMs,
    boundMs: options.maxIteratorAgeMs,
  });
  watch.start(startedAt);
  return { finish: (runEnd, log) => watch.finish(runEnd, log), close: () => client.destroy() };
}
