/** The engine's inputs and outputs. */
import type { ShardRange } from '../kinesis/shard-map';
import type { AckedRecords } from '../metrics/acked-records';
import type { LedgerState, LiveCounts, MetricsSnapshot } from '../metrics/ledger';
import type { Sink } from '../sinks/types';
import type { SpreadOrder } from './key-spread';
import type { PendingRecord } from './record';
import type { Schedule } from './schedule';

export interface EngineParts {
  readonly sink: Sink;
  /** The next record to send (recordSource() over a generator). */
  readonly nextRecord: () => PendingRecord;
  readonly schedule: Schedule;
  /** Open shards from ListShards, or null for sinks without shards. */
  readonly shards: readonly ShardRange[] | null;
  /** Milliseconds, monotonic. */
  readonly clock?: () => number;
  /**
   * When the schedule starts, on the clock's scale. @default now. Segments of one run on several hosts or threads
   * share a wall-clock start; one that begins late finds the records due before it overdue (the open model drops them).
   */
  readonly startMs?: number;
  /** Randomness for the retry jitter: seed it for a reproducible run. */
  readonly random?: () => number;
  /** Sees the run's state on every turn of the loop (find-limit's steps switch their schedule from it). */
  readonly observe?: (state: EngineState) => void;
}

/** What `observe` sees. */
export type EngineState = LedgerState;

export interface EngineOptions {
  readonly batchSize: number;
  /** PutRecords requests in flight: a fixed number, or `auto` for the concurrency controller (engine/concurrency.ts). */
  readonly concurrency: number | 'auto';
  /** Give each device an explicit hash key so every open shard carries an equal share (engine/key-spread.ts). */
  readonly spreadKeys?: boolean;
  /**
   * The run's device number of each new device this engine spreads: the k-th is `first + k x step` (a segment's
   * devices, segments/device-share.ts), so the segments of a run place devices on the same shards the whole run
   * would. @default { first: 0, step: 1 }
   */
  readonly spreadOrder?: SpreadOrder;
  readonly maxRetries: number;
  /** Multiplier on the per-shard limits; null = no per-shard limit. */
  readonly shardLimit: number | null;
  readonly drainTimeoutMs: number;
  /** Stop when no request has been answered for this long. */
  readonly unreachableAfterMs: number;
  /** Keep what verification needs of the acked records (per key runs of seq numbers, or sequence numbers). */
  readonly recordAcks: boolean;
  /** Bound on queued records. @default 2 x batchSize x the concurrency limit in force, at least 1,000; for `max`, a batch per free request slot and one more */
  readonly maxQueuedRecords?: number;
  /** A partial batch leaves at most this often. @default 25 */
  readonly lingerMs?: number;
  /** Timer resolution. @default 5 */
  readonly tickMs?: number;
  /** Re-list shards at least this often. @default 60000 */
  readonly shardRefreshMs?: number;
  /** ...and at most this often, even when predictions miss. @default 5000 */
  readonly shardRefreshMinIntervalMs?: number;
  /**
   * The share of the time since the last call that this process's event loop was busy, 0..1 (the concurrency
   * controller does not grow while this process is the bottleneck). @default node's event loop utilization
   */
  readonly clientBusy?: () => number;
  /** Retry backoff. @default 100 ms base, 5 s cap */
  readonly retryBackoff?: { readonly baseMs: number; readonly capMs: number };
}

export interface EngineResult {
  readonly snapshot: MetricsSnapshot;
  /** The records acknowledged, with recordAcks. */
  readonly acks: AckedRecords | null;
  /** Set when the run stopped because the endpoint stopped answering. */
  readonly unreachable: { readonly code: string; readonly forMs: number } | null;
  /** Set when the run stopped on an error retrying cannot fix (the snapshot still counts what was acked). */
  readonly error: Error | null;
  /** The counts of the measurement window, when one was opened (openWindow). */
  readonly window: MetricsSnapshot | null;
}

export interface EngineProgress {
  readonly elapsedMs: number;
  readonly durationMs: number;
  readonly counts: LiveCounts;
  readonly queued: number;
  readonly inFlightRequests: number;
  /** Every record due before this elapsed time has been admitted or dropped: the seconds before it are complete. */
  readonly settledThroughMs: number;
  /** Requests allowed in flight now. */
  readonly concurrency: number;
  readonly draining: boolean;
}
