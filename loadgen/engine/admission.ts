/**
 * Admission: the one place that decides whether a due record enters the pipeline or is dropped. Records
 * fall due on the schedule; each is generated, routed to its shard and queued there. A due record is
 * dropped (and counted, never queued for later: the open model) when the pipeline has no room for it or
 * its shard's queue is full. Under `--rate max` nothing is due before there is room, so nothing drops
 * for lack of room.
 */
import type { Metrics } from '../metrics/ledger';
import type { PendingRecord } from './record';
import type { Router } from './router';
import type { Schedule } from './schedule';
import type { ShardQueues } from './shard-queues';

export class Admission {
  /** How far into the schedule we are: records that fell due so far (admitted or dropped). */
  private position = 0;
  /** Every record due before this time (ms from the start) has been admitted or dropped. */
  private settledMs = 0;

  constructor(
    private readonly schedule: Schedule,
    private readonly nextRecord: () => PendingRecord,
    private readonly router: Router,
    private readonly queues: ShardQueues,
    private readonly metrics: Metrics,
  ) {}

  /**
   * Admits the records due by `elapsedMs` that there is `room` for, and drops the rest. At most `chunk` are
   * generated in one call: after a stall, the backlog that has room waits for the next turns of the loop instead
   * of holding the event loop for one long burst (answers, and their latency, are read in between).
   */
  admit(elapsedMs: number, nowMs: number, room: number, chunk = Infinity): void {
    const { durationMs, totalRecords, kind } = this.schedule;
    if (elapsedMs >= durationMs && !Number.isFinite(totalRecords)) return;
    const dueNow = elapsedMs < durationMs ? this.schedule.dueBy(elapsedMs) : totalRecords;
    const overdue = Math.max(0, dueNow - this.position);
    const fits = Math.max(0, Math.min(overdue, room));
    const taken = Math.min(fits, chunk);
    const late = kind === 'paced' ? overdue - fits : 0;
    const startMs = nowMs - elapsedMs;
    let refused = 0;
    for (let i = 0; i < taken; i++) {
      const record = this.nextRecord();
      record.dueMs = this.dueMs(this.position + i, startMs, nowMs);
      this.router.route(record, nowMs);
      if (!this.queues.offer(record)) refused++;
    }
    if (taken + late > 0) {
      this.countScheduled(this.position, this.position + taken + late, startMs, nowMs);
      this.metrics.onAdmission(taken + late, taken, late + refused, nowMs);
    }
    this.position += taken + late;
    // A backlog left for the next turns holds back the second it fell due in.
    this.settledMs = this.position < dueNow ? Math.min(elapsedMs, this.schedule.dueAt(this.position) ?? elapsedMs) : elapsedMs;
  }

  /**
   * Every record due before this time (ms from the start) has been admitted or dropped, so the per-second counts
   * of the seconds before it are final (records count in the second they fell due in).
   */
  settledThroughMs(elapsedMs: number): number {
    return this.finished(elapsedMs) ? Infinity : this.settledMs;
  }

  /** When record `index` fell due (engine clock): on the schedule, or now under `--rate max`. */
  private dueMs(index: number, startMs: number, nowMs: number): number {
    const at = this.schedule.dueAt(index);
    return at === undefined ? nowMs : startMs + at;
  }

  /** Counts records [from, to) in the seconds they fell due in; one call unless they span a second boundary. */
  private countScheduled(from: number, to: number, startMs: number, nowMs: number): void {
    const first = this.dueMs(from, startMs, nowMs);
    const last = this.dueMs(to - 1, startMs, nowMs);
    const second = (dueMs: number): number => Math.floor((dueMs - startMs) / 1000 + 1e-9);
    if (second(first) === second(last)) return this.metrics.onScheduled(first, to - from);
    for (let i = from; i < to; i++) this.metrics.onScheduled(this.dueMs(i, startMs, nowMs), 1);
  }

  /** True once nothing more will ever fall due. */
  finished(elapsedMs: number): boolean {
    return this.position >= this.schedule.totalRecords || elapsedMs >= this.schedule.durationMs;
  }
}
