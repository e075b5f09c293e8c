import { Admission } from '../../../loadgen/engine/admission';
import { encodeRecord } from '../../../loadgen/engine/record';
import { Router } from '../../../loadgen/engine/router';
import { constantRate, unpaced, type Schedule } from '../../../loadgen/engine/schedule';
import { ShardQueues } from '../../../loadgen/engine/shard-queues';
import { Metrics } from '../../../loadgen/metrics/ledger';
import { NullSink } from '../../../loadgen/sinks/null';

/** Admission over one pseudo-shard (a sink without shards), with a clock the test moves. */
function setup(schedule: Schedule, shardLimit: number | null = null) {
  const metrics = new Metrics(0);
  const queues = new ShardQueues(1, shardLimit, 0, 1_000_000);
  const router = new Router(new NullSink(), null, queues, metrics, { refreshMs: 60_000, minRefreshIntervalMs: 5_000 }, () => 0);
  let n = 0;
  const admission = new Admission(schedule, () => encodeRecord({ partitionKey: `k${n++}`, data: 'x' }), router, queues, metrics);
  return { admission, metrics, queues };
}

describe('admission: the one place that decides a drop', () => {
  it('counts due records that find no room as dropped, and never queues them for later', () => {
    const { admission, metrics, queues } = setup(constantRate(1000, 3000));
    let generated = 0;
    for (let t = 0; t <= 3000; t += 100) {
      // During the second second the pipeline has room for only 50 records per 100 ms tick.
      admission.admit(t, t, t >= 1000 && t < 2000 ? 50 : Infinity);
      generated += queues.drainAll().length; // as if sent at once
    }
    const m = metrics.snapshot(3000);
    expect(m.scheduled).toBe(3000);
    expect(m.generated).toBe(generated);
    // Ticks at 1000..1900 ms could take 50 each instead of 100: 500 dropped, none caught up later.
    expect(m.dropped).toBe(500);
    expect(m.generated + m.dropped).toBe(m.scheduled);
    expect(admission.finished(3000)).toBe(true);
  });

  it('drops a generated record whose shard queue is full (one second of the shard limit)', () => {
    const { admission, metrics, queues } = setup(constantRate(1500, 1000), 1);
    admission.admit(999.999, 999.999, Infinity);
    const m = metrics.snapshot(1000);
    expect(m).toMatchObject({ scheduled: 1500, generated: 1500, dropped: 500, unsent: 1000 });
    expect(queues.size).toBe(1000);
    // The ledger's invariant: scheduled = acked + failed + dropped + unsent.
    expect(m.acked + m.failed + m.dropped + m.unsent).toBe(m.scheduled);
  });

  it('after a stall, takes a backlog that has room over several turns (at most a chunk each), dropping nothing', () => {
    const { admission, metrics, queues } = setup(constantRate(1000, 3000));
    // One late turn finds 1,500 records due, all with room: 400 now, the rest on the next turns.
    admission.admit(1499.999, 1500, Infinity, 400);
    expect(queues.size).toBe(400);
    // Seconds are final only up to the first record still waiting (record 400, due at 400 ms).
    expect(admission.settledThroughMs(1499.999)).toBe(400);
    for (const t of [1501, 1502, 1503]) admission.admit(1499.999, t, Infinity, 400);
    expect(queues.size).toBe(1500);
    expect(admission.settledThroughMs(1499.999)).toBe(1499.999);
    expect(metrics.snapshot(1503)).toMatchObject({ scheduled: 1500, generated: 1500, dropped: 0 });
    // What has no room is still dropped at once, chunk or not.
    admission.admit(2999.999, 3000, 100, 400);
    expect(metrics.snapshot(3000)).toMatchObject({ scheduled: 3000, generated: 1600, dropped: 1400 });
  });

  it('never drops for lack of room under --rate max: room only paces it', () => {
    const { admission, metrics, queues } = setup(unpaced(1000));
    admission.admit(0, 0, 500);
    admission.admit(10, 10, 0);
    admission.admit(20, 20, 700);
    expect(queues.size).toBe(1200);
    expect(admission.finished(999)).toBe(false);
    admission.admit(1000, 1000, 700); // the duration is over
    expect(admission.finished(1000)).toBe(true);
    expect(metrics.snapshot(1000)).toMatchObject({ scheduled: 1200, generated: 1200, dropped: 0 });
  });
});
