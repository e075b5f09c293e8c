import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { runLoad } from '../../../loadgen/commands/run';
import { captureIo, interceptPutRecords, runOptions } from '../helpers';

const options = (raw: Record<string, string | boolean>) => runOptions(raw, '11');

describe('run --verify', () => {
  it('detects a record the endpoint acknowledged but never stored', async () => {
    let lost = false;
    const { exitCode, report } = await runLoad(options({ rate: '400', duration: '1s', verify: true }), captureIo(), {
      wrapClient: (client: KinesisClient) =>
        interceptPutRecords(client, async (records, forward) => {
          if (lost) return forward(records);
          lost = true;
          // Acknowledge the first entry without writing it, like a lost write on the server side.
          const written = await forward(records.slice(1));
          return [{ ShardId: written[0]?.ShardId ?? 'shardId-000000000000', SequenceNumber: '1' }, ...written];
        }),
    });
    expect(report.recordsAcked).toBe(400);
    expect(report.verify).toMatchObject({ received: 399, matched: 399, missing: 1, duplicates: 0 });
    expect(report.verify!.missingSample).toEqual([expect.stringMatching(/^shardId-\d+\/1$/)]);
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
