import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { runLoad } from '../../../loadgen/commands/run';
import { mulberry32 } from '../../../loadgen/shared/random';
import { captureIo, runOptions, throttleFraction } from '../helpers';

// Short backoffs keep the retries well inside the drain timeout; the jitter is seeded by --seed.
const FAST_RETRIES = { engine: { retryBackoff: { baseMs: 1, capMs: 20 } } };

const options = (raw: Record<string, string | boolean>) => runOptions(raw, '7');

describe('partial-failure retries', () => {
  it('retries only the throttled entries, with backoff, and ends with zero missing', async () => {
    const random = mulberry32(99);
    let wrapped = 0;
    const { exitCode, report } = await runLoad(
      options({ rate: '1500', duration: '1s', verify: true, maxRetries: '20' }),
      captureIo(),
      {
        ...FAST_RETRIES,
        wrapClient: (client: KinesisClient) => {
          wrapped++;
          return throttleFraction(client, 0.3, random);
        },
      },
    );
    expect(wrapped).toBe(1);
    expect(report.recordsScheduled).toBe(1500);
    expect(report.throttled).toBeGreaterThan(300); // ~30% of first attempts, plus retries throttled again
    expect(report.retries).toBe(report.throttled);
    expect(report.series.reduce((sum, p) => sum + p.retried, 0)).toBe(report.retries);
    expect(report.series.reduce((sum, p) => sum + p.throttled, 0)).toBe(report.throttled);
    expect(report.shards.reduce((sum, s) => sum + s.throttled, 0)).toBe(report.throttled);
    expect(report.recordsAcked).toBe(1500);
    expect(report.recordsFailed).toBe(0);
    expect(report.droppedRecords).toBe(0);
    expect(report.verify).toMatchObject({ received: 1500, matched: 1500, missing: 0, duplicates: 0 });
    expect(exitCode).toBe(0);
  });

  it('reports records that exhaust --max-retries as failed (never silently dropped) and exits 1', async () => {
    const { exitCode, report } = await runLoad(
      options({ rate: '500', duration: '1s', maxRetries: '2' }),
      captureIo(),
      { ...FAST_RETRIES, wrapClient: (client: KinesisClient) => throttleFraction(client, 1, mulberry32(5)) },
    );
    expect(report.recordsAcked).toBe(0);
    expect(report.recordsFailed).toBe(500);
    expect(report.throttled).toBe(1500); // first attempt + 2 retries, each throttled
    expect(report.retries).toBe(1000);
    expect(report.failureCodes).toEqual({ ProvisionedThroughputExceededException: 500 });
    expect(report.recordsScheduled).toBe(report.recordsAcked + report.recordsFailed + report.droppedRecords + report.recordsUnsent);
    expect(exitCode).toBe(1);
  });
});
