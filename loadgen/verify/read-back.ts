/** The read-back both checks share: every record of the stream once, with received and duplicate counts. */
import type { KinesisSender } from '../kinesis/shards';
import { readStream, type ReadOptions, type ReadRecord } from '../kinesis/stream-reader';
import { DuplicateCounter } from './duplicates';
import type { VerifyResult } from './types';

export type ReadBackCounts = Pick<VerifyResult, 'received' | 'duplicates' | 'shardsRead' | 'readsThrottled'>;

export async function readBack(
  client: KinesisSender,
  streamName: string,
  options: ReadOptions,
  visit: (record: ReadRecord) => void,
): Promise<ReadBackCounts> {
  let received = 0;
  const dupes = new DuplicateCounter();
  const stats = await readStream(
    client,
    streamName,
    (record) => {
      received++;
      dupes.add(record.data);
      visit(record);
    },
    options,
  );
  return { received, duplicates: dupes.duplicates, shardsRead: stats.shardsRead, readsThrottled: stats.throttled };
}
