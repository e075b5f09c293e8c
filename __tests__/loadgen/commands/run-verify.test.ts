import { GetRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import type { KinesisSender } from '../../../loadgen/kinesis/shards';
import { runLoad } from '../../../loadgen/commands/run';
import { captureIo, interceptPutRecords, runOptions } from '../helpers';

const options = (raw: Record<string, string | boolean>) => runOptions(raw, '11');

describe('run --verify', () => {
  it('detects a record the endpoint acknowledged but never stored, and names it by device and seq', async () => {
    let lost: { device_id: string; seq: number } | undefined;
    const { exitCode, report } = await runLoad(options({ rate: '400', duration: '1s', verify: true }), captureIo(), {
      wrapClient: (client: KinesisClient) =>
        interceptPutRecords(client, async (records, forward) => {
          if (lost) return forward(records);
          lost = JSON.parse(Buffer.from(records[0].Data!).toString());
          // Acknowledge the first entry without writing it, like a lost write on the server side.
          const written = await forward(records.slice(1));
          return [{ ShardId: written[0]?.ShardId ?? 'shardId-000000000000', SequenceNumber: '1' }, ...written];
        }),
    });
    expect(report.recordsAcked).toBe(400);
    expect(report.verify).toMatchObject({ received: 399, matched: 399, missing: 1, duplicates: 0 });
    expect(report.verify!.missingSample).toEqual([`${lost!.device_id}#${lost!.seq}`]);
    expect(exitCode).toBe(1);
  });

  it('counts a payload stored twice (a retried write that had succeeded) as a duplicate', async () => {
    let duplicated = false;
    const { exitCode, report } = await runLoad(options({ rate: '300', duration: '1s', verify: true }), captureIo(), {
      wrapClient: (client: KinesisClient) =>
        interceptPutRecords(client, async (records, forward) => {
          const results = await forward(records);
          if (!duplicated) {
            duplicated = true;
            await forward(records.slice(0, 1));
          }
          return results;
        }),
    });
    expect(report.verify).toMatchObject({ received: 301, matched: 300, missing: 0, duplicates: 1 });
    expect(exitCode).toBe(0);
  });
});

describe('run --verify reading back within the read limits', () => {
  it('retries reads the stream throttles (injected) and still finds every record exactly', async () => {
    let reads = 0;
    const { exitCode, report } = await runLoad(options({ rate: '500', duration: '1s', verify: true, readShare: '1' }), captureIo(), {
      wrapClient: (client: KinesisClient) =>
        ({
          send: (command: unknown, ...rest: unknown[]) => {
            // Every other GetRecords call is refused the way Kinesis refuses reads over a shard's limits.
            if (command instanceof GetRecordsCommand && ++reads % 2 === 1) {
              return Promise.reject(Object.assign(new Error('Rate exceeded for shard (injected)'), { name: 'ProvisionedThroughputExceededException', $metadata: { httpStatusCode: 400 } }));
            }
            return client.send(command as never, ...(rest as []));
          },
        }) as unknown as KinesisSender,
    });
    expect(report.verify).toMatchObject({ received: 500, matched: 500, missing: 0, duplicates: 0, method: 'seq-per-key' });
    expect(report.verify!.readsThrottled).toBeGreaterThanOrEqual(4); // at least the first read of each of the 4 shards
    expect(exitCode).toBe(0);
  });
});
