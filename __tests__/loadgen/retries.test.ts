import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { mulberry32 } from '../../loadgen/generators/random';
import { runLoad } from '../../loadgen/run';
import { parseRunOptions } from '../../loadgen/validate';
import { captureIo, throttleFraction } from './helpers';

function options(raw: Record<string, string | boolean>) {
  const parsed = parseRunOptions({ quiet: true, seed: '7', ...raw });
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return parsed.options;
}

describe('partial-failure retries', () => {
  it('retries only the throttled entries, with backoff, and ends with zero missing', async () => {
    const random = mulberry32(99);
    let wrapped = 0;
    const { exitCode, report } = await runLoad(
      options({ rate: '1500', duration: '1s', verify: true, maxRetries: '10' }),
      captureIo(),
      {
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
      { wrapClient: (client: KinesisClient) => throttleFraction(client, 1, Math.random) },
    );
    expect(report.recordsAcked).toBe(0);
    expect(report.recordsFailed).toBe(500);
    expect(report.throttled).toBe(1500); // first attempt + 2 retries, each throttled
    expect(report.retries).toBe(1000);
    expect(report.failureCodes).toEqual({ ProvisionedThroughputExceededException: 500 });
    expect(exitCode).toBe(1);
  });
});
