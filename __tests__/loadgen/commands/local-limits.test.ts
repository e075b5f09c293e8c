import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { main } from '../../../loadgen/cli/main';
import { parseLocalOptions } from '../../../loadgen/cli/parse-options';
import { localCommand } from '../../../loadgen/commands/local';
import { captureIo } from '../helpers';

describe('loadgen local --limits', () => {
  it('throttles a plain SDK client at 1,000 records/s on its one shard and says so when it stops', async () => {
    const parsed = parseLocalOptions({ limits: true, port: '0', shards: '1', stream: 'limited' });
    if (!parsed.ok) throw new Error(parsed.problems.join('; '));
    const io = captureIo();
    let stop!: () => void;
    const serving = localCommand(parsed.options, io, new Promise<void>((resolve) => (stop = resolve)));
    await io.outIncludes('listening on');
    expect(io.out()).toContain('enforcing the Kinesis write limits (1,000 records/s and 1 MiB/s per shard)');
    const endpoint = /listening on (\S+),/.exec(io.out())![1];
    const client = new KinesisClient({
      region: 'us-east-1',
      endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      requestHandler: new NodeHttpHandler(),
      maxAttempts: 1,
    });

    let accepted = 0;
    let throttled = 0;
    const started = performance.now();
    for (let call = 0; call < 4; call++) {
      const Records = Array.from({ length: 500 }, (_, i) => ({ PartitionKey: `device-${i}`, Data: Buffer.from(`{"n":${call * 500 + i}}`) }));
      const answer = await client.send(new PutRecordsCommand({ StreamName: 'limited', Records }));
      expect(answer.$metadata.httpStatusCode).toBe(200);
      for (const entry of answer.Records!) {
        if (entry.ErrorCode === 'ProvisionedThroughputExceededException') throttled++;
        else if (entry.SequenceNumber) accepted++;
      }
      expect(answer.FailedRecordCount).toBe(answer.Records!.filter((e) => e.ErrorCode).length);
    }
    const elapsedMs = performance.now() - started;
    client.destroy();

    // A full one-second bucket, refilled at one record per millisecond: never more.
    expect(accepted + throttled).toBe(2000);
    expect(accepted).toBeGreaterThanOrEqual(1000);
    expect(accepted).toBeLessThanOrEqual(1000 + Math.ceil(elapsedMs));
    stop();
    expect(await serving).toBe(0);
    expect(io.out()).toContain(`embedded Kinesis stopped; throttled ${throttled} of 2000 entries`);
  });

  it('is refused by run for a stream loadgen does not serve', async () => {
    const io = captureIo();
    expect(await main(['run', '--stream', 's', '--endpoint', 'http://127.0.0.1:1', '--limits'], io)).toBe(2);
    expect(io.err()).toBe(
      'loadgen: invalid --limits true: expected only with the embedded Kinesis (no --stream, --sink kinesis); for another tool use `loadgen local --limits`\n',
    );
  });
});
