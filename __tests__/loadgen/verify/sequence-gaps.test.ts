import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { verifySequences } from '../../../loadgen/verify/sequence-gaps';
import { useEmbeddedStream } from '../helpers';

describe('standalone verify (sensor contract seq numbers)', () => {
  const stream = useEmbeddedStream('verify', 2);

  it('reports gaps in a device seq as missing, repeated payloads as duplicates, and reads records through the contract schema', async () => {
    const reading = (device: string, seq: number, extra: object = {}) =>
      JSON.stringify({ device_id: device, timestamp: 1, metrics: { temperature_c: 20 }, status: 'HEALTHY', seq, run_id: 'r1', ...extra });
    const data = [
      ...[0, 1, 2, 4, 5].map((s) => reading('d1', s)), // seq 3 lost
      ...[0, 1, 2].map((s) => reading('d2', s)),
      reading('d2', 2), // stored twice
      'not json',
      reading('d3', 0, { status: 'ON_FIRE' }), // JSON, but not in the contract
    ];
    const client = stream.client();
    await client.send(
      new PutRecordsCommand({ StreamName: 'verify', Records: data.map((d, i) => ({ PartitionKey: `k${i}`, Data: Buffer.from(d) })) }),
    );
    const result = await verifySequences(client, 'verify');
    expect(result).toMatchObject({ received: 11, missing: 1, duplicates: 1, runs: 1, unrecognized: 2, shardsRead: 2 });
    expect(result.missingSample).toEqual(['r1/d1#3']);
  });
});
