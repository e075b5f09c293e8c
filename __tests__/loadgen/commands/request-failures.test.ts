import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { main } from '../../../loadgen/cli/main';
import { createKinesisClient } from '../../../loadgen/kinesis/client';
import { createStream, startLocalKinesis } from '../../../loadgen/kinesis/local-server';
import type { KinesisSender } from '../../../loadgen/kinesis/shards';
import { captureIo, interceptPutRecords } from '../helpers';

const dir = mkdtempSync(join(tmpdir(), 'loadgen-failures-'));

describe('an endpoint that goes away', () => {
  it('stops promptly once nothing has answered for --unreachable-after, writes the report, names the endpoint and the code, exits 1', async () => {
    const server = await startLocalKinesis(0, 10);
    const setup = createKinesisClient({ region: 'us-east-1', endpoint: server.endpoint }, {});
    await createStream(setup, 'doomed', 2);
    setup.destroy();
    const reportPath = join(dir, 'unreachable.json');
    const io = captureIo();
    let answered = 0;
    let stopped: Promise<void> | undefined;
    const code = await main(
      ['run', '--endpoint', server.endpoint, '--stream', 'doomed', '--rate', '500', '--duration', '60s', '--unreachable-after', '1s', '--quiet', '--report', reportPath],
      io,
      {
        // The server really stops after it has answered 5 requests.
        wrapClient: (client: KinesisClient) =>
          interceptPutRecords(client, async (records, forward) => {
            const results = await forward(records);
            if (++answered === 5) stopped = server.close();
            return results;
          }),
      },
    );
    await stopped;
    expect(code).toBe(1);
    const lines = io.err().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^loadgen: ${server.endpoint.replace(/[.]/g, '\\.')} unreachable for \\d+\\.\\d s \\((ECONNREFUSED|ECONNRESET)\\): stopped; `));
    const report = JSON.parse(readFileSync(reportPath, 'utf8'));
    expect(report.stopReason).toBe('unreachable');
    expect(report.unreachable.code).toMatch(/^(ECONNREFUSED|ECONNRESET)$/);
    expect(report.unreachable.forSeconds).toBeGreaterThanOrEqual(1);
    expect(report.recordsAcked).toBeGreaterThan(0);
    // It stopped well before the 60 s schedule ended: a fraction of the 30,000 records fell due.
    expect(report.recordsScheduled).toBeLessThan(15_000);
    expect(report.recordsScheduled).toBe(report.recordsAcked + report.recordsFailed + report.droppedRecords + report.recordsUnsent);
    // Codes are the real ones, never a generic "Error".
    for (const code of [...Object.keys(report.failureCodes), ...Object.keys(report.requestErrorCodes)]) {
      expect(code).toMatch(/^(ECONNREFUSED|ECONNRESET|EPIPE)$/);
    }
    expect(report.requestErrors).toBeGreaterThan(0);
  });
});

describe('errors that retrying cannot fix', () => {
  /** A client whose PutRecords throws `error` on the first call. */
  const failing = (error: Error) => (client: KinesisClient): KinesisSender =>
    interceptPutRecords(client, async () => {
      throw error;
    });

  it.each([
    ['a programming error', new TypeError("Cannot read properties of undefined (reading 'ShardId')"), "PutRecords failed: TypeError: Cannot read properties of undefined (reading 'ShardId')"],
    [
      'an access-denied answer',
      Object.assign(new Error('User is not authorized to perform: kinesis:PutRecords'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } }),
      'PutRecords failed: AccessDeniedException: User is not authorized to perform: kinesis:PutRecords',
    ],
  ])('%s ends the run at once with the real message, exit 1, no retries, report still written', async (_what, error, message) => {
    const io = captureIo();
    const reportPath = join(dir, 'fatal.json');
    const code = await main(['run', '--rate', '200', '--duration', '30s', '--quiet', '--shards', '1', '--report', reportPath], io, { wrapClient: failing(error) });
    expect(code).toBe(1);
    expect(io.err().trim()).toBe(`loadgen: ${message}`);
    const report = JSON.parse(readFileSync(reportPath, 'utf8'));
    expect(report).toMatchObject({ stopReason: 'failed', retries: 0, recordsAcked: 0, requestErrors: 1, exitCode: 1 });
    expect(report.recordsScheduled).toBeLessThan(200 * 30);
  });
});
