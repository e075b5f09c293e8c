/** The read-back both checks share: every record of the stream once, counted as it streams past. */
import type { KinesisSender } from '../kinesis/shards';
import { readStream, type ReadOptions, type ReadRecord } from '../kinesis/stream-reader';
import type { VerifyResult } from './types';

export type ReadBackCounts = Pick<VerifyResult, 'received' | 'shardsRead' | 'readsThrottled'>;

export async function readBack(
  client: KinesisSender,
  streamName: string,
  options: ReadOptions,
  visit: (record: ReadRecord) => void,
): Promise<ReadBackCounts> {
  let received = 0;
  const stats = await readStream(
    client,
    streamName,
    (record) => {
      received++;
      visit(record);
    },
    options,
  );
  return { received, shardsRead: stats.shardsRead, readsThrottled: stats.throttled };
}
